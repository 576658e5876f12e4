import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The Korean search relevance set (issue 10): original articles of a Jeju regional
 * paper and the queries a reader would type, each with the articles a good search
 * must put first. It is data for quality tests (recall@10, MRR), not demo content.
 */

export const relevanceSections = [
  '사회',
  '정치',
  '경제',
  '문화',
  '스포츠',
  '교육',
  '환경',
  '관광',
  '사건사고',
  '오피니언',
] as const;

/** What each query exercises in the analyzer. */
export const queryKinds = [
  'particle',
  'compound-joined',
  'compound-split',
  'two-syllable',
  'name',
  'number',
  'latin',
  'phrase',
  'spacing',
  'one-syllable',
  'ending',
] as const;

const relevanceArticle = z.strictObject({
  key: z.string().regex(/^a\d{3}$/),
  section: z.enum(relevanceSections),
  title: z.string(),
  subtitle: z.string(),
  body: z.string(),
  tags: z.array(z.string().min(1)).max(4),
  publishedAt: z.string(),
});

const relevanceQuery = z.strictObject({
  q: z.string().min(1),
  relevant: z.array(z.string()).min(1).max(6),
  kind: z.enum(queryKinds),
  note: z.string().min(1),
});

const relevanceSet = z.strictObject({
  articles: z.array(relevanceArticle),
  queries: z.array(relevanceQuery),
});

export type RelevanceArticle = z.infer<typeof relevanceArticle>;
export type RelevanceQuery = z.infer<typeof relevanceQuery>;
export type RelevanceSet = z.infer<typeof relevanceSet>;

const setFile = new URL('../domains/search/relevance-set.json', import.meta.url);

/** Reads and shape-checks the set; integrity rules are in relevance-set.test.ts. */
export function loadRelevanceSet(): RelevanceSet {
  return relevanceSet.parse(JSON.parse(readFileSync(setFile, 'utf8')));
}
