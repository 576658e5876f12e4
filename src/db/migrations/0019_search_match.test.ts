import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDialects } from '../../testing/databases.ts';
import { searchMigrationFixture } from '../../testing/search-migration.ts';
import { searchMatch } from './0019_search_match.ts';
import { searchBuckets } from './0021_search_buckets.ts';
import { searchReadable } from './0022_search_readable.ts';

describe.runIf(testDialects.includes('postgres'))('migration 0019 on postgres', () => {
  it('fills the match table from the stored documents, and its trigger keeps it in step', async () => {
    const { db, raw, writer, society, write, hits, close } =
      await searchMigrationFixture('postgres');
    try {
      const haenyeo = await write('해녀 축제 개막');
      const tangerine = await write('감귤 수확 시작');
      const draft = await writer.createArticle({
        sectionId: society,
        title: '해녀 취재 메모',
        bodyHtml: '<p>초안</p>',
      });
      const matchIds = async () =>
        (
          await sql<{
            id: string;
          }>`select article_id as id from article_search_match order by 1`.execute(db)
        ).rows.map((r) => Number(r.id));

      // As an upgraded site has it: documents written before the table existed.
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
      await close();
    }
  });
});
