import type { ApiRoute } from './routes.ts';
import { components, ErrorSchema, type Schema } from './schema.ts';

/** An OpenAPI 3.1 document (only the parts this API uses are typed). */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  jsonSchemaDialect: string;
  servers: { url: string }[];
  security: Record<string, string[]>[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, unknown>>;
  components: Record<string, Record<string, unknown>>;
}

export interface DocumentInfo {
  siteName: string;
  siteUrl: string;
}

const RATE_HEADERS = {
  'X-RateLimit-Limit': { $ref: '#/components/headers/RateLimitLimit' },
  'X-RateLimit-Remaining': { $ref: '#/components/headers/RateLimitRemaining' },
  'X-RateLimit-Reset': { $ref: '#/components/headers/RateLimitReset' },
};

const TAGS = [
  { name: 'Articles', description: 'Published articles.' },
  { name: 'Sections', description: "The paper's sections." },
  { name: 'Authors', description: 'Bylines.' },
  { name: 'Search', description: 'Korean full-text search.' },
  { name: 'Meta', description: 'This document.' },
];

/**
 * The OpenAPI 3.1 document of the content API, built from the routes' own declarations:
 * their query and path schemas become parameters, their answer schemas the 200 responses,
 * and every schema registered in schema.ts a component referenced by name.
 */
export function openApiDocument(routes: readonly ApiRoute[], info: DocumentInfo): OpenApiDocument {
  const schemas: Record<string, unknown> = {};

  function convert(schema: Schema, asComponent = false): unknown {
    const name = components.get(schema);
    if (name !== undefined && !asComponent) {
      if (!(name in schemas)) {
        schemas[name] = {};
        schemas[name] = convert(schema, true);
      }
      return { $ref: `#/components/schemas/${name}` };
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'properties' && value !== undefined)
        out.properties = Object.fromEntries(
          Object.entries(value as Record<string, Schema>).map(([k, v]) => [k, convert(v)]),
        );
      else if (key === 'items' && value !== undefined) out.items = convert(value as Schema);
      else out[key] = value;
    }
    return out;
  }

  function parameters(schema: Schema | undefined, where: 'query' | 'path') {
    const required = new Set(schema?.required ?? []);
    return Object.entries(schema?.properties ?? {}).map(([name, property]) => {
      const { description, ...rest } = property;
      return {
        name,
        in: where,
        required: where === 'path' || required.has(name),
        ...(description !== undefined ? { description } : {}),
        schema: convert(rest),
      };
    });
  }

  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    const responses: Record<string, unknown> = {
      '200': {
        description: route.summary,
        headers: RATE_HEADERS,
        content: { 'application/json': { schema: convert(route.response) } },
      },
      '400': { $ref: '#/components/responses/BadRequest' },
      '401': { $ref: '#/components/responses/Unauthorized' },
      '429': { $ref: '#/components/responses/TooManyRequests' },
    };
    if (route.notFound === true) responses['404'] = { $ref: '#/components/responses/NotFound' };
    paths[route.path] = {
      get: {
        operationId: route.operationId,
        summary: route.summary,
        description: route.description,
        tags: [route.tag],
        parameters: [
          ...parameters(route.params, 'path'),
          ...parameters(route.querystring, 'query'),
        ],
        responses,
      },
    };
  }
  paths['/openapi.json'] = {
    get: {
      operationId: 'getOpenApiDocument',
      summary: 'This document',
      description: 'The OpenAPI 3.1 description of this API. No key needed.',
      tags: ['Meta'],
      security: [],
      responses: {
        '200': {
          description: 'The document.',
          content: { 'application/json': { schema: { type: 'object' } } },
        },
      },
    },
  };

  const error = (description: string, headers?: Record<string, unknown>) => ({
    description,
    ...(headers !== undefined ? { headers } : {}),
    content: { 'application/json': { schema: convert(ErrorSchema) } },
  });

  return {
    openapi: '3.1.0',
    info: {
      title: `${info.siteName} Content API`,
      version: '1.0.0',
      description: [
        `Read-only JSON of what ${info.siteName} publishes: articles, sections, authors and search.`,
        'Send an API key (issued by the paper’s admins) as `Authorization: Bearer <key>` or `X-Api-Key: <key>`.',
        'Each key has a per-minute request limit; past it the API answers 429 with `Retry-After`.',
        'Times are KST (+09:00); addresses are absolute. Browsers may call it from any origin (CORS, GET only, no credentials).',
      ].join(' '),
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    servers: [{ url: `${info.siteUrl}/api/v1` }],
    security: [{ bearerAuth: [] }, { apiKeyHeader: [] }],
    tags: TAGS,
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'The API key.' },
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
      },
      headers: {
        RateLimitLimit: {
          description: 'Requests this key may make per minute.',
          schema: { type: 'integer' },
        },
        RateLimitRemaining: {
          description: 'Requests left in the current minute.',
          schema: { type: 'integer' },
        },
        RateLimitReset: {
          description: 'Seconds until the current minute ends.',
          schema: { type: 'integer' },
        },
        RetryAfter: { description: 'Seconds to wait.', schema: { type: 'integer' } },
      },
      responses: {
        BadRequest: error('A parameter or cursor is not valid; the message says which.'),
        Unauthorized: error('No API key, or one that is unknown or revoked.'),
        NotFound: error('Nothing readers can see has this id.'),
        TooManyRequests: error("Over the key's per-minute limit.", {
          'Retry-After': { $ref: '#/components/headers/RetryAfter' },
          ...RATE_HEADERS,
        }),
      },
    },
  };
}
