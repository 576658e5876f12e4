import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import { htmlToText } from '../../shared/text.ts';
import { analyzeField, relationTerms } from './analyzer.ts';

type Row = Database['article_search'];

const HEAD_COLUMNS = ['title_words', 'title_grams', 'sub_words', 'sub_grams'] as const;
const DOCUMENT_COLUMNS = [...HEAD_COLUMNS, 'body_words', 'body_grams'] as const;

/** An upsert's update: each token column takes the value the insert brought. */
const fromExcluded = (columns: readonly (typeof DOCUMENT_COLUMNS)[number][]) =>
  Object.fromEntries(columns.map((c) => [c, sql.ref(`excluded.${c}`)]));

/** The searchable text of an article: captions count, markup does not. */
function bodyText(bodyHtml: string): string {
  return htmlToText(bodyHtml.replace(/<\/?figure\b[^>]*>/gi, ' '));
}

function documentOf(
  articleId: number,
  article: { title: string; subtitle: string; body_html: string },
  tags: readonly string[],
): Row {
  const title = analyzeField(article.title);
  const sub = analyzeField(`${article.subtitle}\n${tags.join('\n')}`);
  const body = analyzeField(bodyText(article.body_html));
  return {
    article_id: articleId,
    title_words: title.words,
    title_grams: title.grams,
    sub_words: sub.words,
    sub_grams: sub.grams,
    body_words: body.words,
    body_grams: body.grams,
  };
}

/**
 * Brings the search index in line with the articles as stored now: a published (or
 * scheduled) article gets its tokens and its title words for 관련기사 (article_terms),
 * anything else loses them. Call it inside the
 * transaction that changed the articles, after the change, so the index never disagrees
 * with a committed article; searches also check status and time themselves.
 */
export async function writeSearchDocuments(
  db: Kysely<Database>,
  articleIds: readonly number[],
): Promise<void> {
  const ids = [...new Set(articleIds)];
  for (let start = 0; start < ids.length; start += 200) {
    const chunk = ids.slice(start, start + 200);
    const [articles, tagRows] = await Promise.all([
      db
        .selectFrom('articles')
        .select(['id', 'title', 'subtitle', 'body_html', 'status'])
        .where('id', 'in', chunk)
        .execute(),
      db
        .selectFrom('article_tags as at')
        .innerJoin('tags as t', 't.id', 'at.tag_id')
        .select(['at.article_id', 't.name'])
        .where('at.article_id', 'in', chunk)
        .orderBy('at.article_id')
        .orderBy('at.position')
        .execute(),
    ]);
    const tags = new Map<number, string[]>();
    for (const row of tagRows) {
      const id = Number(row.article_id);
      tags.set(id, [...(tags.get(id) ?? []), row.name]);
    }
    const published = articles.filter((a) => a.status === 'published');
    const gone = chunk.filter((id) => !published.some((a) => Number(a.id) === id));
    if (gone.length > 0)
      await db.deleteFrom('article_search').where('article_id', 'in', gone).execute();
    await db.deleteFrom('article_terms').where('article_id', 'in', chunk).execute();
    if (published.length === 0) continue;
    const rows = published.map((article) => {
      const id = Number(article.id);
      return documentOf(id, article, tags.get(id) ?? []);
    });
    // One statement for the chunk: a bulk load (import, reindex, the benchmark's archive)
    // pays one round trip per 200 articles instead of one per article.
    await db
      .insertInto('article_search')
      .values(rows)
      .onConflict((oc) => oc.column('article_id').doUpdateSet(fromExcluded(DOCUMENT_COLUMNS)))
      .execute();
    // The narrow copy ranking reads (migration 0020).
    await db
      .insertInto('article_search_heads')
      .values(
        rows.map((row) => ({
          article_id: row.article_id,
          title_words: row.title_words,
          title_grams: row.title_grams,
          sub_words: row.sub_words,
          sub_grams: row.sub_grams,
        })),
      )
      .onConflict((oc) => oc.column('article_id').doUpdateSet(fromExcluded(HEAD_COLUMNS)))
      .execute();
    const terms = rows.flatMap((row) =>
      relationTerms(row.title_words).map((term) => ({ term, article_id: row.article_id })),
    );
    for (let i = 0; i < terms.length; i += 1000)
      await db
        .insertInto('article_terms')
        .values(terms.slice(i, i + 1000))
        .execute();
  }
}

/** One article's search document: see writeSearchDocuments. */
export function writeSearchDocument(db: Kysely<Database>, articleId: number): Promise<void> {
  return writeSearchDocuments(db, [articleId]);
}
