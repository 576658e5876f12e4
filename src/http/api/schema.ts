import { ORIGIN_KEYS } from '../../shared/article-origins.ts';
import { MAX_ROW_ID } from '../../shared/ids.ts';

/**
 * The JSON Schema subset the content API's routes declare: Fastify validates requests and
 * serializes responses with them, and openapi.ts publishes the same objects, so the
 * document cannot drift from what the server does. Only keywords JSON Schema draft-07
 * (Fastify's Ajv) and 2020-12 (OpenAPI 3.1) read alike are used: `type` lists for null,
 * never OpenAPI 3.0's `nullable`.
 */
export interface Schema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | JsonType[];
  description?: string;
  properties?: Readonly<Record<string, Schema>>;
  required?: readonly string[];
  additionalProperties?: boolean;
  items?: Schema;
  enum?: readonly (string | number)[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  default?: string | number | boolean;
  examples?: readonly unknown[];
}

type JsonType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null';

/** Schemas published under components/schemas, by name (see openapi.ts). */
export const components = new Map<Schema, string>();

function named<S extends Schema>(name: string, schema: S): S {
  components.set(schema, name);
  return schema;
}

const object = (
  properties: Record<string, Schema>,
  description?: string,
  optional: readonly string[] = [],
): Schema => ({
  type: 'object',
  ...(description !== undefined ? { description } : {}),
  properties,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  additionalProperties: false,
});

const string = (description: string, extra: Schema = {}): Schema => ({
  type: 'string',
  description,
  ...extra,
});
const nullable = (schema: Schema): Schema => ({
  ...schema,
  type: [schema.type as JsonType, 'null'],
});
const kstTime = (description: string): Schema =>
  string(`${description} KST, ISO 8601 with +09:00.`, {
    format: 'date-time',
    examples: ['2025-12-09T14:00:00+09:00'],
  });
const id = (description: string): Schema => ({
  type: 'integer',
  description,
  minimum: 1,
  maximum: MAX_ROW_ID,
});
const url = (description: string): Schema => string(description, { format: 'uri' });

export const ErrorSchema = named(
  'Error',
  object({
    error: object({
      code: string('Machine-readable reason, e.g. `invalid_cursor`, `rate_limited`.'),
      message: string('What went wrong and how to fix it, in Korean.'),
    }),
  }),
);

export const SectionRefSchema = named(
  'SectionRef',
  object({
    id: id('Section id.'),
    slug: string('The section address on the site: /section/<slug>.'),
    name: string('Section name, e.g. 사회.'),
    parentId: nullable(id('The parent section, or null for a top-level section.')),
    url: url("The section's page on the site."),
  }),
);

export const SectionSchema = named(
  'Section',
  object(
    {
      ...SectionRefSchema.properties,
      position: { type: 'integer', description: 'Order among its siblings.' },
      layout: { type: 'string', enum: ['list', 'photo'], description: 'How the site lists it.' },
    },
    'A section readers can see.',
  ),
);

export const BylineSchema = named(
  'Byline',
  object({
    id: id('Author id: the `author` filter of /articles.'),
    name: string('Name as printed.'),
    title: string('Printed after the name instead of 기자 (e.g. 객원 기자); empty for staff.'),
    email: nullable(string('Address printed in the byline.')),
  }),
);

export const AuthorSchema = named(
  'Author',
  object({ ...BylineSchema.properties }, 'An author with at least one article readers can see.'),
);

export const PhotoSchema = named(
  'Photo',
  object({
    id: id('Photo id.'),
    url: url('The original image.'),
    width: { type: 'integer', description: 'Pixels.' },
    height: { type: 'integer', description: 'Pixels.' },
    alt: string('Text alternative.'),
    caption: string('Caption as printed under the photo.'),
    credit: string('Credit, e.g. 사진=탐나일보.'),
    focalPoint: object(
      {
        x: { type: 'number', minimum: 0, maximum: 1, description: 'From the left.' },
        y: { type: 'number', minimum: 0, maximum: 1, description: 'From the top.' },
      },
      'What crops should keep in view.',
    ),
    renditions: {
      type: 'array',
      description: 'WebP renditions, narrowest first.',
      items: object({ url: url('Rendition.'), width: { type: 'integer' } }),
    },
  }),
);

const summaryProperties: Record<string, Schema> = {
  id: id('Article number: the same in /news/<id> on the site.'),
  url: url('The article page.'),
  title: string('Headline.'),
  subtitle: { type: 'array', items: { type: 'string' }, description: 'Lede lines.' },
  summary: string('Plain-text summary of the body.'),
  section: SectionRefSchema,
  bylines: { type: 'array', items: BylineSchema, description: 'In printed order.' },
  tags: { type: 'array', items: { type: 'string' }, description: 'In the order typed.' },
  publishedAt: kstTime('First published,'),
  updatedAt: kstTime('Last changed,'),
  breaking: { type: 'boolean', description: '속보 running now.' },
  photoStory: { type: 'boolean', description: 'A photo story (와이드포토).' },
  origin: {
    type: 'string',
    enum: ORIGIN_KEYS,
    description:
      'Where the article comes from: own (자체기사), wire (통신), press_release (보도자료), contribution (기고), advertorial (광고성 기사).',
  },
  originLabel: { type: 'string', description: 'The origin in Korean, as the site shows it.' },
  featuredPhoto: { ...PhotoSchema, type: ['object', 'null'], description: 'Or null.' },
};

export const ArticleSummarySchema = named(
  'ArticleSummary',
  object(summaryProperties, 'An article in a list.'),
);

export const NoticeSchema = named(
  'Notice',
  object(
    {
      kind: { type: 'string', enum: ['correction', 'reply', 'followup'] },
      label: string('정정보도, 반론보도 or 추후보도.'),
      body: string('Text as shown above the article.'),
      createdAt: kstTime('Attached'),
      updatedAt: nullable(kstTime('Last reworded,')),
    },
    'A correction, reply or follow-up attached by the desk.',
  ),
);

export const ArticleSchema = named(
  'Article',
  object(
    {
      ...summaryProperties,
      bodyHtml: string(
        'The cleaned body HTML (paragraphs, headings, lists, figures, links); every address in it is absolute.',
      ),
      photos: { type: 'array', items: PhotoSchema, description: 'Photos in the body, in order.' },
      notices: { type: 'array', items: NoticeSchema, description: 'Oldest first.' },
      sectionPath: {
        type: 'array',
        items: SectionRefSchema,
        description: "Ancestors first, the article's own section last.",
      },
    },
    'An article readers can see, in full.',
  ),
);

const nextCursor = nullable(
  string('Pass as `cursor` for the next page; null on the last page.', { maxLength: 200 }),
);

export const ArticleListSchema = named(
  'ArticleList',
  object({ data: { type: 'array', items: ArticleSummarySchema }, nextCursor }),
);

export const SectionListSchema = named(
  'SectionList',
  object({ data: { type: 'array', items: SectionSchema } }),
);

export const AuthorListSchema = named(
  'AuthorList',
  object({ data: { type: 'array', items: AuthorSchema }, nextCursor }),
);

export const SearchResultSchema = named(
  'SearchResult',
  object({
    query: string('The query as searched (trimmed); empty when nothing searchable was typed.'),
    total: { type: 'integer', description: 'Hits, at most 2,000 (then `capped`).' },
    capped: { type: 'boolean' },
    page: { type: 'integer' },
    perPage: { type: 'integer' },
    pageCount: { type: 'integer' },
    timedOut: { type: 'boolean', description: 'The search was stopped; narrow it.' },
    hits: {
      type: 'array',
      items: object({
        score: { type: 'number', description: 'Relevance with a recency boost.' },
        snippet: string('Plain text around the first word found.'),
        article: ArticleSummarySchema,
      }),
    },
  }),
);

/** Query parameters shared by listings. */
export const cursorParam: Schema = string(
  'Where to continue: `nextCursor` of the previous page. Pages hold still while articles are published.',
  { maxLength: 200 },
);
export const limitParam = (max: number, fallback: number): Schema => ({
  type: 'integer',
  description: `Items per page (1–${max}).`,
  minimum: 1,
  maximum: max,
  default: fallback,
});
export const idParam = id('Article number.');
export const timeParam = (description: string): Schema =>
  string(
    `${description} A date (2025-12-09, KST) or a date-time with an offset (2025-12-09T14:00:00+09:00); without an offset, KST.`,
    { maxLength: 40 },
  );
