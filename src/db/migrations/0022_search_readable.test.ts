import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createWriter } from '../../domains/content/index.ts';
import { createSearch } from '../../domains/search/index.ts';
import { ManualClock } from '../../shared/clock.ts';
import { freshDatabase, testDialects } from '../../testing/databases.ts';
import { migrateToLatest } from '../index.ts';
import { searchReadable } from './0022_search_readable.ts';

const NOW = Date.parse('2026-12-01T09:00:00+09:00');
const HOUR = 3_600_000;

describe.runIf(testDialects.includes('postgres'))('migration 0022 on postgres', () => {
  it('copies the readers-rule columns into every match row, now and on every later change', async () => {
    const handle = await freshDatabase('postgres');
    try {
      await migrateToLatest(handle);
      const clock = new ManualClock(NOW);
      const writer = createWriter({ db: handle.db, clock });
      const search = createSearch({ db: handle.db, dialect: 'postgres', clock });
      const society = await writer.createSection({ slug: 'society', name: '사회' });
      const culture = await writer.createSection({ slug: 'culture', name: '문화' });
      const write = (title: string) =>
        writer.createArticle({
          sectionId: society,
          title,
          bodyHtml: `<p>${title} 관련 소식입니다.</p>`,
          status: 'published',
          publishedAt: NOW - HOUR,
        });
      const copies = async () =>
        (
          await sql<{
            id: string;
            status: string;
            published_at: string;
            embargo_until: string | null;
            section_id: string;
          }>`select m.article_id as id, m.status, m.published_at, m.embargo_until, m.section_id
             from article_search_match m order by 1`.execute(handle.db)
        ).rows.map((r) => [
          Number(r.id),
          r.status,
          Number(r.published_at),
          r.embargo_until === null ? null : Number(r.embargo_until),
          Number(r.section_id),
        ]);
      const hits = async (q: string) => (await search.rank(q)).map((h) => h.id);

      const first = await write('해녀 축제 개막');
      // As an upgraded site has it: match rows written before the columns existed.
      const raw = handle.db as unknown as Kysely<unknown>;
      await searchReadable('postgres').down?.(raw);
      const second = await write('해녀 물질 시연');
      await searchReadable('postgres').up(raw);
      expect(await copies()).toEqual([
        [first, 'published', NOW - HOUR, null, society],
        [second, 'published', NOW - HOUR, null, society],
      ]);
      expect((await hits('해녀')).sort((a, b) => a - b)).toEqual([first, second]);

      // Changed by any statement, not only the writer's: the copies follow in the same one.
      await handle.db
        .updateTable('articles')
        .set({ embargo_until: NOW + HOUR, section_id: culture })
        .where('id', '=', first)
        .execute();
      await handle.db
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
      await handle.close();
    }
  });
});
