import { connectDatabase } from '../src/db/index.ts';
import { createSearch } from '../src/domains/search/index.ts';
import { systemClock } from '../src/shared/clock.ts';
import { analyzeQuery } from '../src/domains/search/analyzer.ts';
const url = 'postgres://postgres@127.0.0.1:5432/test?options=-c%20search_path%3Dbench_search_25330';
const h = await connectDatabase({ kind: 'postgres', url });
const s = createSearch({ db: h.db, dialect: h.dialect, clock: systemClock } as never);
for (const q of process.argv.slice(2)) {
  console.log(q, JSON.stringify(analyzeQuery(q)));
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const r = await s.search({ q, page: 1 });
    console.log(' ', (performance.now() - t).toFixed(1), 'ms', r.total, r.timedOut);
  }
}
await h.close();
