import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/index.ts';
import { createTestApp } from '../../testing/app.ts';
import { freshDatabase, postgresUrl, testDialects } from '../../testing/databases.ts';
import { ManualClock } from '../../shared/clock.ts';
import { CHANGE_CHANNEL, createChangeFeed } from './change-feed.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function database(dialect: 'sqlite' | 'postgres'): Promise<DatabaseHandle> {
  const handle = await freshDatabase(dialect);
  cleanups.push(() => handle.close());
  const { migrateToLatest } = await import('../../db/index.ts');
  await migrateToLatest(handle);
  return handle;
}

async function until(check: () => boolean, ms: number): Promise<number> {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return performance.now() - started;
}

describe.each(testDialects)('change feed reader (%s)', (dialect) => {
  it('finds a row committed late below its position, and forgets a gap that never fills', async () => {
    const handle = await database(dialect);
    const clock = new ManualClock(1_000_000);
    const feed = createChangeFeed({ db: handle.db, clock, dialect });
    const reader = feed.reader(0);
    await feed.record(['article:1']);
    // Two servers inserting at once: id 4 commits before ids 2 and 3.
    await handle.db.insertInto('change_feed').values({ id: 4, tags: 'article:4', at: 1 }).execute();
    expect((await reader.next()).map((c) => c.id)).toEqual([1, 4]);
    expect(reader.position).toBe(4);
    await handle.db.insertInto('change_feed').values({ id: 3, tags: 'article:3', at: 1 }).execute();
    expect(await reader.next()).toEqual([{ id: 3, tags: ['article:3'] }]);
    // Id 2 was rolled back: after a while it is no longer asked for.
    clock.advance(31_000);
    await handle.db.insertInto('change_feed').values({ id: 2, tags: 'article:2', at: 1 }).execute();
    expect(await reader.next()).toEqual([]);
  });

  it('reads past a batch of 500 in one call', async () => {
    const handle = await database(dialect);
    const feed = createChangeFeed({ db: handle.db, clock: new ManualClock(1), dialect });
    const reader = feed.reader(await feed.latestId());
    await handle.db
      .insertInto('change_feed')
      .values(Array.from({ length: 1_203 }, (_, i) => ({ tags: `article:${i}`, at: 1 })))
      .execute();
    expect(await reader.next()).toHaveLength(1_203);
    expect(await reader.next()).toHaveLength(0);
  });
});

describe('change notifications (PostgreSQL LISTEN/NOTIFY)', () => {
  it('notifies with the schema, so a listener on another schema hears nothing', async () => {
    const [a, b] = [await database('postgres'), await database('postgres')];
    const heard: Record<'a' | 'b', string[]> = { a: [], b: [] };
    const listeners = [
      a.listen?.(CHANGE_CHANNEL, (p) => heard.a.push(p)),
      b.listen?.(CHANGE_CHANNEL, (p) => heard.b.push(p)),
    ];
    for (const l of listeners) cleanups.push(async () => l?.close());
    await until(() => listeners.every((l) => l?.connected === true), 5_000);
    const id = await createChangeFeed({
      db: a.db,
      clock: new ManualClock(1),
      dialect: 'postgres',
    }).record(['front']);
    await until(() => heard.a.length > 0, 2_000);
    expect(heard.a).toEqual([String(id)]);
    await new Promise((r) => setTimeout(r, 100));
    expect(heard.b).toEqual([]);
  });

  it('drops another server’s changed pages within a second, without polling, and after losing its connection', async () => {
    const writer = await createTestApp({ dialect: 'postgres' });
    cleanups.push(() => writer.close());
    const reader = await createTestApp({ database: writer.database, changeNotifications: true });
    cleanups.push(() => reader.close());
    const listening = () => reader.watch.listener?.connected === true;
    await until(listening, 5_000);
    const dropped: string[][] = [];
    reader.bus.subscribe((tags) => void dropped.push([...tags]));

    await writer.services.writer.createSection({ slug: 'news', name: '뉴스', position: 1 });
    const ms = await until(() => dropped.length > 0, 1_000);
    expect(dropped[0]).toContain('sections');
    expect(ms).toBeLessThan(1_000);

    // The listening connection is cut (a PostgreSQL restart, a proxy's idle timeout): the
    // listener reconnects, and reads what was committed meanwhile as soon as it is back.
    const pid = reader.watch.listener?.backendPid;
    expect(pid).toBeTypeOf('number');
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    try {
      await admin.query('select pg_terminate_backend($1)', [pid]);
    } finally {
      await admin.end();
    }
    await until(() => !listening(), 2_000);
    dropped.length = 0;
    await writer.services.writer.createSection({ slug: 'sports', name: '스포츠', position: 2 });
    await until(listening, 5_000);
    await until(() => dropped.length > 0, 1_000);
    expect(dropped.flat()).toContain('sections');
  });
});
