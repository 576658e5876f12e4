import type { FastifyRequest } from 'fastify';
import type { ContentService } from '../../domains/content/index.ts';
import type { Search } from '../../domains/search/index.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { ApiError } from './errors.ts';
import { ARTICLE_FILTERS, articleFilters, fromTime, untilTime } from './filters.ts';
import type { Presenter } from './present.ts';
import {
  ArticleListSchema,
  ArticleSchema,
  AuthorListSchema,
  cursorParam,
  idParam,
  limitParam,
  SearchResultSchema,
  SectionListSchema,
  timeParam,
  type Schema,
} from './schema.ts';

/**
 * One route of the content API, declared once: Fastify registers it with these schemas
 * (validation and serialization) and openapi.ts describes it from the same declaration.
 */
export interface ApiRoute {
  /** Under /api/v1, in OpenAPI's form: /articles/{id}. */
  path: string;
  operationId: string;
  summary: string;
  description: string;
  tag: 'Articles' | 'Sections' | 'Authors' | 'Search';
  querystring?: Schema;
  params?: Schema;
  /** The 200 answer. */
  response: Schema;
  /** Answers 404 for an id readers cannot see. */
  notFound?: boolean;
  handler(request: FastifyRequest): Promise<unknown>;
}

export interface ApiRouteDeps {
  content: ContentService;
  search: Search;
  present: Presenter;
}

type Query = Record<string, unknown>;

const query = (properties: Record<string, Schema>, required: string[] = []): Schema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

function cursorOf(kind: 'articles' | 'authors', value: unknown): number[] | undefined {
  if (value === undefined) return undefined;
  const decoded = typeof value === 'string' ? decodeCursor(kind, value) : null;
  if (decoded === null)
    throw new ApiError(
      400,
      'invalid_cursor',
      '잘못된 cursor입니다. 직전 응답의 nextCursor를 그대로 보내거나, cursor 없이 처음부터 요청하세요.',
    );
  return decoded;
}

export function apiRoutes(deps: ApiRouteDeps): ApiRoute[] {
  const { content, search, present } = deps;
  return [
    {
      path: '/articles',
      operationId: 'listArticles',
      summary: 'Published articles, newest first',
      description:
        'Every article readers can see (published, its time come, not under embargo, in a visible section), newest first. Follow `nextCursor` for the next page: the pages are keyed on (publish time, id), so articles published while you page through appear on the first page, never push others onto the next, and nothing is repeated or skipped.',
      tag: 'Articles',
      querystring: query({
        ...Object.fromEntries(ARTICLE_FILTERS.map((f) => [f.name, f.schema])),
        cursor: cursorParam,
        limit: limitParam(100, 20),
      }),
      response: ArticleListSchema,
      async handler(request) {
        const q = request.query as Query;
        const filters = await articleFilters(q, content);
        const after = cursorOf('articles', q.cursor);
        const page = await content.catalogPage(filters, {
          ...(after !== undefined
            ? { after: { publishedAt: after[0] ?? 0, id: after[1] ?? 0 } }
            : {}),
          limit: Number(q.limit ?? 20),
        });
        return {
          data: page.articles.map(present.summary),
          nextCursor:
            page.next === null
              ? null
              : encodeCursor('articles', [page.next.publishedAt, page.next.id]),
        };
      },
    },
    {
      path: '/articles/{id}',
      operationId: 'getArticle',
      summary: 'One article in full',
      description:
        'The article with its cleaned body HTML, photos (absolute URLs), bylines, tags, section and corrections (정정·반론·추후보도). 404 for an article readers cannot see: a draft, a scheduled or unpublished article, one under embargo or in a hidden section.',
      tag: 'Articles',
      params: query({ id: idParam }, ['id']),
      response: ArticleSchema,
      notFound: true,
      async handler(request) {
        const { id } = request.params as { id: number };
        const article = await content.readableArticle(id);
        if (article === null)
          throw new ApiError(404, 'not_found', `기사 ${id}번은 없거나 공개되지 않았습니다.`);
        return present.article(article);
      },
    },
    {
      path: '/sections',
      operationId: 'listSections',
      summary: 'Sections',
      description:
        'Every section readers can see, sub-sections too (parentId), in the order of the site menu.',
      tag: 'Sections',
      response: SectionListSchema,
      async handler() {
        return { data: (await content.readableSections()).map(present.section) };
      },
    },
    {
      path: '/authors',
      operationId: 'listAuthors',
      summary: 'Authors',
      description: 'Authors with at least one article readers can see, by id.',
      tag: 'Authors',
      querystring: query({ cursor: cursorParam, limit: limitParam(100, 50) }),
      response: AuthorListSchema,
      async handler(request) {
        const q = request.query as Query;
        const after = cursorOf('authors', q.cursor);
        const page = await content.catalogAuthors({
          ...(after !== undefined ? { afterId: after[0] ?? 0 } : {}),
          limit: Number(q.limit ?? 50),
        });
        return {
          data: page.authors.map(present.author),
          nextCursor: page.next === null ? null : encodeCursor('authors', [page.next]),
        };
      },
    },
    {
      path: '/search',
      operationId: 'searchArticles',
      summary: 'Search articles',
      description:
        "Korean full-text search over the articles readers can see, ranked like the site's search (relevance with a recency boost, or newest first). At most 2,000 hits, in numbered pages.",
      tag: 'Search',
      querystring: query(
        {
          q: { type: 'string', description: 'What to look for.', minLength: 1, maxLength: 200 },
          section: {
            type: 'string',
            description: "A section's slug; its sub-sections are included.",
            maxLength: 80,
          },
          author: { ...idParam, description: 'An author id.' },
          from: timeParam('Published at or after this time.'),
          until: timeParam('Published before this time; a date alone includes that whole day.'),
          sort: {
            type: 'string',
            enum: ['relevance', 'newest'],
            default: 'relevance',
            description: 'Ranking.',
          },
          page: { type: 'integer', minimum: 1, maximum: 2000, default: 1 },
          perPage: limitParam(50, 10),
        },
        ['q'],
      ),
      response: SearchResultSchema,
      async handler(request) {
        const q = request.query as Query;
        const text = String(q.q).trim();
        if (text === '')
          throw new ApiError(400, 'invalid_request', '잘못된 요청입니다: q — 찾을 말을 쓰세요.');
        let sectionIds: number[] | undefined;
        if (typeof q.section === 'string') {
          const ids = await content.sectionTree(q.section);
          if (ids === null)
            throw new ApiError(
              400,
              'unknown_section',
              `없는 섹션입니다: ${q.section}. /api/v1/sections의 slug를 쓰세요.`,
            );
          sectionIds = ids;
        }
        const perPage = Number(q.perPage ?? 10);
        const result = await search.search({
          q: text,
          page: Number(q.page ?? 1),
          perPage,
          sort: q.sort === 'newest' ? 'newest' : 'relevance',
          ...(sectionIds !== undefined ? { sectionIds } : {}),
          ...(q.author !== undefined ? { authorId: Number(q.author) } : {}),
          ...(q.from !== undefined ? { from: fromTime(String(q.from)) } : {}),
          ...(q.until !== undefined ? { until: untilTime(String(q.until)) } : {}),
        });
        const articles = new Map(
          (await content.catalogArticles(result.hits.map((h) => h.id))).map((a) => [a.id, a]),
        );
        return {
          query: result.query,
          total: result.total,
          capped: result.capped,
          page: result.page,
          perPage,
          pageCount: result.pageCount,
          timedOut: result.timedOut,
          hits: result.hits.flatMap((h) => {
            const article = articles.get(h.id);
            return article === undefined
              ? []
              : [{ score: h.score, snippet: h.snippet, article: present.summary(article) }];
          }),
        };
      },
    },
  ];
}
