import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createWriter } from '../../domains/content/index.ts';
import { createSearch } from '../../domains/search/index.ts';
import { ManualClock } from '../../shared/clock.ts';
import { freshDatabase, testDialects } from '../../testing/databases.ts';
import { migrateToLatest } from '../index.ts';
import { searchBuckets } from './0021_search_buckets.ts';

const NOW = Date.parse('2026-12-01T09:00:00+09:00');

describe.runIf(testDialects.includes('postgres'))('migration 0021 on postgres', () => {
  it('gives every match row its block of ids, now and on every later write', async () => {
    const handle = await freshDatabase('postgres');
    try {
      await migrateToLatest(handle);
      const clock = new ManualClock(NOW);
      const writer = createWriter({ db: handle.db, clock });
      const search = createSearch({ db: handle.db, dialect: 'postgres', clock });
      const section = await writer.createSection({ slug: 'society', name: '사회' });
      const write = async (id: number, title: string) => {
        await sql`select setval(pg_get_serial_sequence('articles', 'id'), ${id - 1})`.execute(
          handle.db,
        );
        return writer.createArticle({
          sectionId: section,
          title,
          bodyHtml: `<p>${title} 관련 소식입니다.</p>`,
          status: 'published',
          publishedAt: NOW - 3_600_000,
        });
      };
      const first = await write(3, '해녀 축제 개막');
      const buckets = async () =>
        (
          await sql<{
            id: string;
            bucket: string;
          }>`select article_id as id, bucket::text as bucket from article_search_match order by 1`.execute(
            handle.db,
          )
        ).rows.map((r) => [Number(r.id), r.bucket]);
      const hits = async (q: string) => (await search.rank(q)).map((h) => h.id);

      // As an upgraded site has it: match rows written before the column existed.
      const raw = handle.db as unknown as Kysely<unknown>;
      await searchBuckets('postgres').down?.(raw);
      const second = await write(5_000, '해녀 물질 시연');
      await searchBuckets('postgres').up(raw);
      expect(await buckets()).toEqual([
        [first, "'0'"],
        [second, "'4'"],
      ]);
      expect(await hits('해녀')).toEqual([second, first]);

      // Written after: the trigger fills it.
      const third = await write(70_000, '해녀 학교 입학식');
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
      await handle.close();
    }
  });
});
