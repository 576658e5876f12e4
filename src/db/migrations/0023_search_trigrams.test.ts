import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDialects } from '../../testing/databases.ts';
import { searchMigrationFixture } from '../../testing/search-migration.ts';
import { searchTrigrams } from './0023_search_trigrams.ts';

describe.runIf(testDialects.includes('postgres'))('migration 0023 on postgres', () => {
  it('gives every match vector its trigrams, now and on every later write', async () => {
    const { db, raw, writer, write, hits, close } = await searchMigrationFixture('postgres');
    try {
      const trigramsOf = async (id: number) =>
        (
          await sql<{ lexeme: string }>`
            select u.lexeme from article_search_match m, unnest(m.terms) u
            where m.article_id = ${id} and u.lexeme like 't%' order by 1`.execute(db)
        ).rows.map((r) => r.lexeme);

      const first = await write('서귀포시 감귤');
      // As an upgraded site has it: vectors written before trigrams.
      await searchTrigrams('postgres').down?.(raw);
      expect(await trigramsOf(first)).toEqual([]);
      const second = await write('서귀포시 한라봉');
      expect(await trigramsOf(second)).toEqual([]);

      await searchTrigrams('postgres').up(raw);
      // Title 서귀포시 감귤 (bigrams 서귀 귀포 포시 시감 감귤, across the space too) and
      // body 서귀포시 감귤 관련 소식입니다.
      expect(await trigramsOf(first)).toEqual(
        [
          't감귤관',
          't관련소',
          't귀포시',
          't귤관련',
          't련소식',
          't서귀포',
          't소식입',
          't시감귤',
          't식입니',
          't입니다',
          't포시감',
        ].sort(),
      );
      expect(await trigramsOf(second)).toContain('t시한라');
      expect((await hits('서귀포시')).sort((a, b) => a - b)).toEqual([first, second]);

      // Kept by the trigger from now on: a new article, and an edited title.
      const third = await write('한라봉 출하');
      expect(await trigramsOf(third)).toContain('t한라봉');
      await writer.updateArticleText(first, { title: '우도 땅콩' });
      expect(await trigramsOf(first)).toContain('t우도땅');
      expect((await hits('한라봉')).sort((a, b) => a - b)).toEqual([second, third]);
    } finally {
      await close();
    }
  });
});
