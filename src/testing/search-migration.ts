import { sql, type Kysely } from 'kysely';
import { migrateToLatest, type DialectName } from '../db/index.ts';
import { createWriter } from '../domains/content/index.ts';
import { createSearch } from '../domains/search/index.ts';
import { ManualClock } from '../shared/clock.ts';
import { freshDatabase } from './databases.ts';

export const MIGRATION_NOW = Date.parse('2026-12-01T09:00:00+09:00');
export const HOUR = 3_600_000;

/**
 * Where the search migrations' tests start: a fresh database at the latest schema, a
 * writer and a search on a clock at MIGRATION_NOW, and a section 사회. Each test then
 * takes its migration down and up again, as an upgraded site has it; `raw` is the
 * database as migrations see it.
 */
export async function searchMigrationFixture(dialect: DialectName) {
  const handle = await freshDatabase(dialect);
  try {
    await migrateToLatest(handle);
    const db = handle.db;
    const clock = new ManualClock(MIGRATION_NOW);
    const writer = createWriter({ db, clock });
    const search = createSearch({ db, dialect, clock });
    const society = await writer.createSection({ slug: 'society', name: '사회' });
    return {
      db,
      raw: db as unknown as Kysely<unknown>,
      clock,
      writer,
      search,
      society,
      /**
       * A published article of an hour ago in 사회 whose body repeats its title; with `id`,
       * the article gets that number (PostgreSQL's sequence is set just before).
       */
      async write(title: string, options: { id?: number } = {}): Promise<number> {
        if (options.id !== undefined) {
          if (dialect !== 'postgres') throw new Error('article numbers are set on PostgreSQL');
          await sql`select setval(pg_get_serial_sequence('articles', 'id'), ${options.id - 1})`.execute(
            db,
          );
        }
        return writer.createArticle({
          sectionId: society,
          title,
          bodyHtml: `<p>${title} 관련 소식입니다.</p>`,
          status: 'published',
          publishedAt: MIGRATION_NOW - HOUR,
        });
      },
      /** The ids a search for `q` finds, best first. */
      async hits(q: string): Promise<number[]> {
        return (await search.rank(q)).map((h) => h.id);
      },
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
