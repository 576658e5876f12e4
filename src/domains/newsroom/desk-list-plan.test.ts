import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../db/index.ts';
import { ManualClock } from '../../shared/clock.ts';
import { freshDatabase, testDialects } from '../../testing/databases.ts';
import { indexScans, statementsSent } from '../../testing/pg-plans.ts';
import { createWriter } from '../content/index.ts';
import { createDesk, type Actor } from './desk.ts';

const NOW = Date.parse('2026-12-01T09:00:00+09:00');

/**
 * The admin list's next page, and a title search's first reading of the newest titles,
 * give the (status, updated_at, id) index a range to walk. Said as `updated_at < x or
 * (updated_at = x and id < y)`, the cursor was only a filter: PostgreSQL walked every entry
 * from the newest change down to it, 70 ms for a page half-way down a million articles.
 */
describe.runIf(testDialects.includes('postgres'))('the desk list on postgres', () => {
  it('walks the update-time index from the cursor, not from the newest change', async () => {
    const handle = await freshDatabase('postgres');
    try {
      await migrateToLatest(handle);
      const { db } = handle;
      const clock = new ManualClock(NOW);
      const section = await createWriter({ db, clock }).createSection({
        slug: 'society',
        name: '사회',
      });
      // An archive loaded by plain SQL, one change a minute, analyzed as autovacuum would.
      await sql`
        insert into articles (section_id, title, subtitle, body_html, summary, status,
          is_breaking, is_photo_story, published_at, updated_at, created_at)
        select ${section}, '기사 ' || g, '', '', '', 'published', 0, 0, t, t, t
        from generate_series(1, 5000) g, lateral (select ${NOW}::bigint - g * 60000 as t) at`.execute(
        db,
      );
      await sql`analyze articles`.execute(db);

      const desk = createDesk({ db, dialect: 'postgres', clock });
      const editor: Actor = { id: 1, role: 'desk', name: '오데스크' };
      const cursor = { updatedAt: NOW - 4000 * 60000, id: 4000 };
      const { result, statements } = await statementsSent(async () => ({
        page: await desk.list(editor, { status: 'published', after: cursor, limit: 3 }),
        // A page among the newest 2,000 titles (these are not in the search index).
        titles: await desk.list(editor, { status: 'published', query: '기사 1' }),
      }));
      expect(result.page.map((a) => a.updatedAt)).toEqual(
        [4001, 4002, 4003].map((g) => NOW - g * 60000),
      );
      expect(result.titles.map((a) => a.title).slice(0, 2)).toEqual(['기사 1', '기사 10']);

      // The walk that read the page after the cursor. (The title search's walk over the
      // newest 2,000 has the same range, but on 5,000 rows PostgreSQL rightly reads them all.)
      const walks = statements.filter(
        (s) =>
          /^select "a"\."id", "a"\."title".* order by "a"\."updated_at" desc/s.test(s.text) &&
          !s.text.includes(' like '),
      );
      expect(walks).toHaveLength(1);
      const scans = (await indexScans(db, walks[0]!)).filter((s) =>
        s.index.startsWith('articles_'),
      );
      expect(scans.map((s) => s.index)).toEqual(['articles_status_updated_idx']);
      expect(scans[0]?.condition).toMatch(/updated_at <=/);
    } finally {
      await handle.close();
    }
  });
});
