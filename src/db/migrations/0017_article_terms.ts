import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../dialect.ts';

/**
 * 관련기사 read their candidates from indexes instead of the full-text index: each
 * published article's title words (`article_terms`, one row per word), so "the articles just
 * before and after this one that share a title word or a tag" is a short range scan per word
 * and per tag, whatever the archive's size (decision 0014, "관련기사"). Asking the full-text
 * index for every article sharing a common title word cost 12 ms an uncached article page
 * at 20,000 articles on SQLite and 70 ms at 100,000 on PostgreSQL.
 *
 * Filled here from the stored search documents, which hold the title's word tokens.
 */
export const articleTerms = (dialect: DialectName): Migration => ({
  up: (db) => up(db, dialect),
  down,
});

/**
 * A frozen copy of the search domain's relationTerms as of this migration: of a word's
 * spellings (서울을, 서울) the shortest, Hangul or Latin of two letters or more.
 */
function termsOf(titleWords: string): string[] {
  const tokens = [...new Set(titleWords.split(' '))].filter(
    (t) => t.length <= 40 && /^(?:[\uac00-\ud7a3]{2,}|[a-z]{2,})$/.test(t),
  );
  return tokens
    .filter((t) => !tokens.some((u) => u !== t && t.startsWith(u) && t.length - u.length <= 3))
    .slice(0, 12);
}

async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const ref = dialect === 'postgres' ? ('bigint' as const) : ('integer' as const);
  await db.schema
    .createTable('article_terms')
    .addColumn('term', 'varchar(40)', (c) => c.notNull())
    .addColumn('article_id', ref, (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('article_terms_pk', ['term', 'article_id'])
    // SQLite: the primary key is the table, so a term's articles are one range of it.
    .$call((t) => (dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t))
    .execute();
  await db.schema
    .createIndex('article_terms_article_idx')
    .on('article_terms')
    .column('article_id')
    .execute();

  const source = db as Kysely<{ article_search: { article_id: number; title_words: string } }>;
  const target = db as Kysely<{ article_terms: { term: string; article_id: number } }>;
  let after = 0;
  for (;;) {
    const rows = await source
      .selectFrom('article_search')
      .select(['article_id', 'title_words'])
      .where('article_id', '>', after)
      .orderBy('article_id')
      .limit(2000)
      .execute();
    if (rows.length === 0) break;
    after = Number(rows[rows.length - 1]!.article_id);
    const values = rows.flatMap((r) =>
      termsOf(r.title_words).map((term) => ({ term, article_id: Number(r.article_id) })),
    );
    // Parameters per statement stay far below either database's limit.
    for (let i = 0; i < values.length; i += 1000)
      await target
        .insertInto('article_terms')
        .values(values.slice(i, i + 1000))
        .execute();
  }
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('article_terms').execute();
}
