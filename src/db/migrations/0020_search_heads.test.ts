import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createWriter } from '../../domains/content/index.ts';
import { ManualClock } from '../../shared/clock.ts';
import { freshDatabase, testDialects } from '../../testing/databases.ts';
import { migrateToLatest } from '../index.ts';
import { searchHeads } from './0020_search_heads.ts';

const NOW = Date.parse('2026-12-01T09:00:00+09:00');

describe.each(testDialects)('migration 0020 on %s', (dialect) => {
  it('copies the head tokens of every search document and keeps them in step', async () => {
    const handle = await freshDatabase(dialect);
    try {
      await migrateToLatest(handle);
      const db = handle.db;
      const writer = createWriter({ db, clock: new ManualClock(NOW) });
      const section = await writer.createSection({ slug: 'society', name: '사회' });
      const write = (title: string, subtitle: string) =>
        writer.createArticle({
          sectionId: section,
          title,
          subtitle,
          bodyHtml: `<p>${title} 본문</p>`,
          tags: ['해녀'],
          status: 'published',
          publishedAt: NOW - 3_600_000,
        });
      const first = await write('해녀 축제 개막', '사흘간 열려');
      const second = await write('감귤 수확 시작', '');
      const heads = () =>
        db
          .selectFrom('article_search_heads')
          .select(['article_id', 'title_words', 'title_grams', 'sub_words', 'sub_grams'])
          .orderBy('article_id')
          .execute();
      const documents = () =>
        db
          .selectFrom('article_search')
          .select(['article_id', 'title_words', 'title_grams', 'sub_words', 'sub_grams'])
          .orderBy('article_id')
          .execute();

      // As an upgraded site has it: documents written before the table existed.
      const raw = db as unknown as Kysely<unknown>;
      await searchHeads(dialect).down?.(raw);
      await searchHeads(dialect).up(raw);
      expect(await heads()).toEqual(await documents());
      expect((await heads()).map((h) => Number(h.article_id))).toEqual([first, second]);

      await writer.updateArticleText(second, { title: '한라봉 수확 시작' });
      expect(await heads()).toEqual(await documents());
      expect((await heads())[1]?.title_words).toContain('한라봉');
      await writer.setStatus(first, 'unpublished');
      expect((await heads()).map((h) => Number(h.article_id))).toEqual([second]);
    } finally {
      await handle.close();
    }
  });
});
