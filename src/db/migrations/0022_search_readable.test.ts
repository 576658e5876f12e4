import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDialects } from '../../testing/databases.ts';
import {
  HOUR,
  MIGRATION_NOW as NOW,
  searchMigrationFixture,
} from '../../testing/search-migration.ts';
import { searchReadable } from './0022_search_readable.ts';

describe.runIf(testDialects.includes('postgres'))('migration 0022 on postgres', () => {
  it('copies the readers-rule columns into every match row, now and on every later change', async () => {
    const { db, raw, clock, writer, society, write, hits, close } =
      await searchMigrationFixture('postgres');
    try {
      const culture = await writer.createSection({ slug: 'culture', name: '문화' });
      const copies = async () =>
        (
          await sql<{
            id: string;
            status: string;
            published_at: string;
            embargo_until: string | null;
            section_id: string;
          }>`select m.article_id as id, m.status, m.published_at, m.embargo_until, m.section_id
             from article_search_match m order by 1`.execute(db)
        ).rows.map((r) => [
          Number(r.id),
          r.status,
          Number(r.published_at),
          r.embargo_until === null ? null : Number(r.embargo_until),
          Number(r.section_id),
        ]);

      const first = await write('해녀 축제 개막');
      // As an upgraded site has it: match rows written before the columns existed.
      await searchReadable('postgres').down?.(raw);
      const second = await write('해녀 물질 시연');
      await searchReadable('postgres').up(raw);
      expect(await copies()).toEqual([
        [first, 'published', NOW - HOUR, null, society],
        [second, 'published', NOW - HOUR, null, society],
      ]);
      expect((await hits('해녀')).sort((a, b) => a - b)).toEqual([first, second]);

      // Changed by any statement, not only the writer's: the copies follow in the same one.
      await db
        .updateTable('articles')
        .set({ embargo_until: NOW + HOUR, section_id: culture })
        .where('id', '=', first)
        .execute();
      await db
        .updateTable('articles')
        .set({ published_at: NOW + 2 * HOUR })
        .where('id', '=', second)
        .execute();
      expect(await copies()).toEqual([
        [first, 'published', NOW - HOUR, NOW + HOUR, culture],
        [second, 'published', NOW + 2 * HOUR, null, society],
      ]);
      expect(await hits('해녀')).toEqual([]);
      clock.set(NOW + 3 * HOUR);
      expect((await hits('해녀')).sort((a, b) => a - b)).toEqual([first, second]);

      // A new match row (a re-index) reads them from the article as it is.
      await writer.updateArticleText(first, { title: '해녀 축제 폐막' });
      expect((await copies())[0]).toEqual([first, 'published', NOW - HOUR, NOW + HOUR, culture]);
    } finally {
      await close();
    }
  });
});
