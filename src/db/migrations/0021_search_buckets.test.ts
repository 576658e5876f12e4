import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDialects } from '../../testing/databases.ts';
import { searchMigrationFixture } from '../../testing/search-migration.ts';
import { searchBuckets } from './0021_search_buckets.ts';

describe.runIf(testDialects.includes('postgres'))('migration 0021 on postgres', () => {
  it('gives every match row its block of ids, now and on every later write', async () => {
    const { db, raw, writer, write, hits, close } = await searchMigrationFixture('postgres');
    try {
      const first = await write('해녀 축제 개막', { id: 3 });
      const buckets = async () =>
        (
          await sql<{
            id: string;
            bucket: string;
          }>`select article_id as id, bucket::text as bucket from article_search_match order by 1`.execute(
            db,
          )
        ).rows.map((r) => [Number(r.id), r.bucket]);

      // As an upgraded site has it: match rows written before the column existed.
      await searchBuckets('postgres').down?.(raw);
      const second = await write('해녀 물질 시연', { id: 5_000 });
      await searchBuckets('postgres').up(raw);
      expect(await buckets()).toEqual([
        [first, "'0'"],
        [second, "'4'"],
      ]);
      expect(await hits('해녀')).toEqual([second, first]);

      // Written after: the trigger fills it.
      const third = await write('해녀 학교 입학식', { id: 70_000 });
      await writer.updateArticleText(first, {
        title: '해녀 축제 폐막',
        bodyHtml: '<p>해녀 축제가 끝났다.</p>',
      });
      expect(await buckets()).toEqual([
        [first, "'0'"],
        [second, "'4'"],
        [third, "'68'"],
      ]);
      expect((await hits('해녀')).sort((a, b) => a - b)).toEqual([first, second, third]);
    } finally {
      await close();
    }
  });
});
