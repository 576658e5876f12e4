import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/index.ts';
import { visible } from './backends.ts';

/**
 * How many readable articles on each side of this one each of its tags and title words
 * contribute: the pool is at most (tags + words) × 2 × WINDOW articles, each found by a
 * short range scan of an index, so 관련기사 cost the same at a million articles as at a
 * thousand.
 */
const WINDOW = 10;
/** A shared tag is worth two shared title words. */
const TAG_WEIGHT = 2;
const MIN_RELATEDNESS = 2;
/**
 * The first tags as typed: nothing limits how many an article has, and each is two scans
 * (SQLite refuses a statement of more than 500 parts).
 */
const MAX_TAGS = 10;

interface Key {
  weight: number;
  /** Where its articles are listed: article_tags by tag, article_terms by word. */
  where: RawBuilder<unknown>;
}

interface Related {
  article_id: number | string;
  published_at: number | string;
  weight: number | string;
}

/**
 * 관련기사: readable articles sharing tags (each counts twice) and title words with this
 * one, the most related first and the newest first among equals. Candidates come from the
 * articles published just before and just after this one under each tag and word, so an
 * archive article finds its own time's stories and their follow-ups, and a new one the
 * latest.
 */
export async function relatedArticles(
  db: Kysely<Database>,
  articleId: number,
  now: number,
  limit: number,
): Promise<number[]> {
  const [tags, terms] = await Promise.all([
    db
      .selectFrom('article_tags')
      .select('tag_id')
      .where('article_id', '=', articleId)
      .orderBy('position')
      .orderBy('tag_id')
      .limit(MAX_TAGS)
      .execute(),
    db.selectFrom('article_terms').select('term').where('article_id', '=', articleId).execute(),
  ]);
  const keys: Key[] = [
    ...tags.map((t) => ({
      weight: TAG_WEIGHT,
      where: sql`article_tags k join articles a on a.id = k.article_id where k.tag_id = ${Number(t.tag_id)}`,
    })),
    ...terms.map((t) => ({
      weight: 1,
      where: sql`article_terms k join articles a on a.id = k.article_id where k.term = ${t.term}`,
    })),
  ];
  if (keys.length === 0) return [];
  const rule = visible(now, {}, true);
  // One statement: each window is its own ordered, limited scan (a subquery, as both
  // databases require for ORDER BY … LIMIT inside UNION ALL).
  const windows = keys.flatMap((key, i) =>
    (['<', '>'] as const).map(
      (side, j) =>
        sql`select * from (select k.article_id, a.published_at, ${sql.lit(key.weight)} as weight from ${key.where} and k.article_id ${sql.raw(side)} ${articleId} and ${rule} order by k.article_id ${sql.raw(side === '<' ? 'desc' : 'asc')} limit ${sql.lit(WINDOW)}) ${sql.raw(`w${2 * i + j}`)}`,
    ),
  );
  const { rows } = await sql<Related>`${sql.join(windows, sql` union all `)}`.execute(db);
  const found = new Map<number, { id: number; publishedAt: number; relatedness: number }>();
  for (const row of rows) {
    const id = Number(row.article_id);
    const entry = found.get(id) ?? { id, publishedAt: Number(row.published_at), relatedness: 0 };
    entry.relatedness += Number(row.weight);
    found.set(id, entry);
  }
  return [...found.values()]
    .filter((r) => r.relatedness >= MIN_RELATEDNESS)
    .sort((a, b) => b.relatedness - a.relatedness || b.publishedAt - a.publishedAt || b.id - a.id)
    .slice(0, limit)
    .map((r) => r.id);
}
