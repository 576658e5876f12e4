import { ORIGIN_KEYS, type ArticleOrigin } from '../../shared/article-origins.ts';
import type { CatalogFilters, ContentService } from '../../domains/content/index.ts';
import { parseKstDateTime } from '../../shared/kst.ts';
import { ApiError } from './errors.ts';
import { idParam, timeParam, type Schema } from './schema.ts';

const DAY_MS = 86_400_000;

/**
 * A time in a query: a date (KST; `endOfDay` makes it the next midnight, so `until` with a
 * date includes that day), a date-time with an offset, or a KST wall-clock date-time.
 */
export function parseQueryTime(text: string, endOfDay: boolean): number | null {
  const day = /^(\d{4}-\d{2}-\d{2})(?:$|T)/.exec(text)?.[1];
  if (day === undefined) return null;
  const midnight = parseKstDateTime(`${day} 00:00`);
  if (midnight === null) return null;
  if (text === day) return endOfDay ? midnight + DAY_MS : midnight;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    const at = Date.parse(text);
    return Number.isFinite(at) ? at : null;
  }
  return parseKstDateTime(text);
}

export interface ArticleFilter {
  /** The query parameter. */
  name: string;
  /** Validates it and documents it in the OpenAPI document. */
  schema: Schema;
  /** Sets the catalogue filter the parameter stands for. */
  apply(value: string | number, filters: CatalogFilters, content: ContentService): Promise<void>;
}

function time(name: string, endOfDay: boolean) {
  return (value: string | number): number => {
    const at = parseQueryTime(String(value), endOfDay);
    if (at === null)
      throw new ApiError(
        400,
        'invalid_request',
        `잘못된 요청입니다: ${name} — 2025-12-09 또는 2025-12-09T14:00:00+09:00 형식으로 쓰세요.`,
      );
    return at;
  };
}

const fromTime = time('from', false);
const untilTime = time('until', true);

/**
 * The filters of GET /articles, one entry each: its query parameter, its schema (which is
 * also its documentation) and the catalogue filter it sets. A new filter (an article's
 * origin, say) is one entry here and one field with its condition in the content
 * domain's CatalogFilters.
 */
export const ARTICLE_FILTERS: readonly ArticleFilter[] = [
  {
    name: 'section',
    schema: {
      type: 'string',
      description: "A section's slug (see /sections); its sub-sections are included.",
      maxLength: 80,
    },
    async apply(value, filters, content) {
      const ids = await content.sectionTree(String(value));
      if (ids === null)
        throw new ApiError(
          400,
          'unknown_section',
          `없는 섹션입니다: ${String(value).slice(0, 80)}. /api/v1/sections의 slug를 쓰세요.`,
        );
      filters.sectionIds = ids;
    },
  },
  {
    name: 'tag',
    schema: {
      type: 'string',
      description: 'A tag exactly as on the article.',
      minLength: 1,
      maxLength: 60,
    },
    async apply(value, filters) {
      filters.tag = String(value).trim();
    },
  },
  {
    name: 'author',
    schema: { ...idParam, description: 'An author id (bylines[].id, /authors).' },
    async apply(value, filters) {
      filters.authorId = Number(value);
    },
  },
  {
    name: 'origin',
    schema: {
      type: 'string',
      enum: ORIGIN_KEYS,
      description: 'Only articles of this origin (own = 자체기사, advertorial = 광고성 기사, …).',
    },
    async apply(value, filters) {
      filters.origin = String(value) as ArticleOrigin;
    },
  },
  {
    name: 'from',
    schema: timeParam('Published at or after this time.'),
    async apply(value, filters) {
      filters.from = fromTime(value);
    },
  },
  {
    name: 'until',
    schema: timeParam('Published before this time; a date alone includes that whole day.'),
    async apply(value, filters) {
      filters.until = untilTime(value);
    },
  },
];

/** The catalogue filters a request's query asks for. */
export async function articleFilters(
  query: Readonly<Record<string, unknown>>,
  content: ContentService,
): Promise<CatalogFilters> {
  const filters: CatalogFilters = {};
  for (const filter of ARTICLE_FILTERS) {
    const value = query[filter.name];
    if (typeof value === 'string' || typeof value === 'number')
      await filter.apply(value, filters, content);
  }
  if (filters.from !== undefined && filters.until !== undefined && filters.from >= filters.until)
    throw new ApiError(
      400,
      'invalid_request',
      '잘못된 요청입니다: from은 until보다 앞서야 합니다.',
    );
  return filters;
}

export { fromTime, untilTime };
