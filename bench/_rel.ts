import { connectDatabase } from '../src/db/index.ts';
import { createSearch } from '../src/domains/search/index.ts';
import { systemClock } from '../src/shared/clock.ts';
const url = 'postgres://postgres@127.0.0.1:5432/test?options=-c%20search_path%3Dbench_search_25330';
const h = await connectDatabase({ kind: 'postgres', url });
const s = createSearch({ db: h.db, dialect: h.dialect, clock: systemClock } as never);
const times: number[] = [];
for (const id of [100, 5000, 20000, 50000, 77777, 99000, 99999, 12345, 31415, 60606]) {
  const t = performance.now();
  const r = await s.related(id);
  times.push(performance.now() - t);
  console.log(id, r.length, (performance.now() - t).toFixed(1), 'ms');
}
await h.close();
