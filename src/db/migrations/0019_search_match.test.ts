import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createWriter } from '../../domains/content/index.ts';
import { createSearch } from '../../domains/search/index.ts';
import { ManualClock } from '../../shared/clock.ts';
import { freshDatabase, testDialects } from '../../testing/databases.ts';
import { migrateToLatest } from '../index.ts';
import { searchMatch } from './0019_search_match.ts';
import { searchBuckets } from './0021_search_buckets.ts';
import { searchReadable } from './0022_search_readable.ts';

const NOW = Date.parse('2026-12-01T09:00:00+09:00');

describe.runIf(testDialects.includes('postgres'))('migration 0019 on postgres', () => {
  it('fills the match table from the stored documents, and its trigger keeps it in step', async () => {
    const handle = await freshDatabase('postgres');
    try {
      await migrateToLatest(handle);
      const clock = new ManualClock(NOW);
      const writer = createWriter({ db: handle.db, clock });
      const search = createSearch({ db: handle.db, dialect: 'postgres', clock });
      const section = await writer.createSection({ slug: 'society', name: '사회' });
      const write = (title: string) =>
        writer.createArticle({
          sectionId: section,
          title,
          bodyHtml: `<p>${title} 관련 소식입니다.</p>`,
          status: 'published',
          publishedAt: NOW - 3_600_000,
        });
      const haenyeo = await write('해녀 축제 개막');
      const tangerine = await write('감귤 수확 시작');
      const draft = await writer.createArticle({
        sectionId: section,
        title: '해녀 취재 메모',
        bodyHtml: '<p>초안</p>',
      });
      const matchIds = async () =>
        (
          await sql<{
            id: string;
          }>`select article_id as id from article_search_match order by 1`.execute(handle.db)
        ).rows.map((r) => Number(r.id));
      const hits = async (q: string) => (await search.rank(q)).map((h) => h.id);

      // As an upgraded site has it: documents written before the table existed.
      const raw = handle.db as unknown as Kysely<unknown>;
      await searchReadable('postgres').down?.(raw);
      await searchBuckets('postgres').down?.(raw);
      await searchMatch('postgres').down?.(raw);
      await searchMatch('postgres').up(raw);
      await searchBuckets('postgres').up(raw);
      await searchReadable('postgres').up(raw);
      expect(await matchIds()).toEqual([haenyeo, tangerine]);
      expect(await hits('해녀')).toEqual([haenyeo]);
      expect(await hits('축제가')).toEqual([haenyeo]);
      expect(draft).toBeGreaterThan(0);

      // Edited, unpublished, published again: the trigger follows each search document.
      await writer.updateArticleText(tangerine, {
        title: '한라봉 수확 시작',
        bodyHtml: '<p>한라봉 소식입니다.</p>',
      });
      expect(await hits('한라봉')).toEqual([tangerine]);
      expect(await hits('감귤')).toEqual([]);
      await writer.setStatus(haenyeo, 'unpublished');
      expect(await matchIds()).toEqual([tangerine]);
      await writer.setStatus(haenyeo, 'published');
      expect(await matchIds()).toEqual([haenyeo, tangerine]);
      expect(await hits('해녀')).toEqual([haenyeo]);
    } finally {
      await handle.close();
    }
  });
});
