import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { seedFixture, type Fixture } from '../../testing/fixtures.ts';
import type { OpenApiDocument } from './index.ts';

/**
 * The document is validated by an OpenAPI validator from npm
 * (`@seriousme/openapi-schema-validator`, against the OpenAPI Initiative's 3.1 schema), then
 * checked for what a schema cannot say (unique operation ids, declared path parameters,
 * resolvable references), and every schema in it is compiled by Ajv's JSON Schema 2020-12
 * validator (OpenAPI 3.1's dialect) in strict mode, which rejects unknown keywords and
 * malformed schemas. Finally the API's real answers are validated against the schemas the
 * document publishes.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every `$ref` in the document with where it was found. */
function refs(node: Json, path = '#'): { ref: string; at: string }[] {
  if (Array.isArray(node)) return node.flatMap((n, i) => refs(n, `${path}/${i}`));
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([k, v]) =>
    k === '$ref' && typeof v === 'string' ? [{ ref: v, at: path }] : refs(v, `${path}/${k}`),
  );
}

function resolve(document: Json, ref: string): Json | undefined {
  if (!ref.startsWith('#/')) return undefined;
  let node: Json | undefined = document;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node =
      node !== null && typeof node === 'object' && !Array.isArray(node) ? node[key] : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

describe('the OpenAPI 3.1 document at /api/v1/openapi.json', () => {
  let app: TestApp;
  let fx: Fixture;
  let document: OpenApiDocument;
  let raw: Json;
  let key: string;

  beforeAll(async () => {
    app = await createTestApp();
    fx = await seedFixture(app, { articlesPerSection: 2 });
    key = (await app.services.apiKeys.create({ name: '문서', rateLimit: 1000, createdBy: null }))
      .key;
    const res = await app.http.inject({ url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    document = res.json<OpenApiDocument>();
    raw = res.json<Json>();
  });
  afterAll(async () => {
    await app?.close();
  });

  /** A compiler for the document's schemas, its component refs pointed at one $defs. */
  function compiler() {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats.default(ajv);
    // Ajv reads OpenAPI 3.0's `nullable`; 3.1 has no such keyword (null is a type).
    ajv.removeKeyword('nullable');
    const rewrite = (node: Json): Json => {
      if (Array.isArray(node)) return node.map(rewrite);
      if (node === null || typeof node !== 'object') return node;
      return Object.fromEntries(
        Object.entries(node).map(([k, v]) => [
          k,
          k === '$ref' && typeof v === 'string'
            ? v.replace('#/components/schemas/', 'urn:tamna:components#/$defs/')
            : rewrite(v),
        ]),
      );
    };
    ajv.addSchema({
      $id: 'urn:tamna:components',
      $defs: rewrite(document.components.schemas as Json),
    } as object);
    return (schema: Json) => ajv.compile(rewrite(schema) as object);
  }

  it('is valid OpenAPI 3.1 to an OpenAPI validator', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(raw) as Record<string, unknown>);
    expect(result.errors, JSON.stringify(result.errors, null, 1)).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    // The validator is live: what the 3.1 schema forbids is refused.
    const broken = structuredClone(raw) as { paths: Record<string, Record<string, unknown>> };
    const list = broken.paths['/articles']?.get as { responses: unknown; parameters: unknown[] };
    list.parameters.push({ name: 'q', in: 'body' });
    expect((await new Validator().validate(broken)).valid).toBe(false);
    expect((await new Validator().validate({ ...document, info: { title: '제목만' } })).valid).toBe(
      false,
    );
  });

  it('has the 3.1 document structure: version, info, servers, unique operations', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.title).toBe('탐나일보 Content API');
    expect(document.info.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(document.jsonSchemaDialect).toBe('https://spec.openapis.org/oas/3.1/dialect/base');
    expect(document.servers).toEqual([{ url: 'https://news.example.kr/api/v1' }]);
    const ids: string[] = [];
    for (const [path, item] of Object.entries(document.paths)) {
      expect(path).toMatch(/^\/[a-z{}/.]*$/);
      for (const [method, op] of Object.entries(item)) {
        expect(METHODS).toContain(method);
        const operation = op as {
          operationId: string;
          responses: Record<string, { description?: string; $ref?: string }>;
          parameters?: { name: string; in: string; required?: boolean; schema: Json }[];
        };
        ids.push(operation.operationId);
        // Every response is a reference or has a description; every operation a 2xx.
        expect(Object.keys(operation.responses).some((s) => /^2\d\d$/.test(s))).toBe(true);
        for (const [status, response] of Object.entries(operation.responses)) {
          expect(status).toMatch(/^[1-5]\d\d$/);
          expect(response.$ref ?? response.description).toBeTruthy();
        }
        // Template segments are declared, required path parameters, and only those.
        const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        const params = operation.parameters ?? [];
        expect(params.filter((p) => p.in === 'path').map((p) => p.name)).toEqual(templated);
        for (const p of params) {
          expect(['query', 'path', 'header', 'cookie']).toContain(p.in);
          if (p.in === 'path') expect(p.required).toBe(true);
          expect(typeof p.schema).toBe('object');
        }
        const pairs = params.map((p) => `${p.in}:${p.name}`);
        expect(new Set(pairs).size).toBe(pairs.length);
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining([
        'listArticles',
        'getArticle',
        'listSections',
        'listAuthors',
        'searchArticles',
        'getOpenApiDocument',
      ]),
    );
  });

  it('resolves every $ref and names only declared security schemes', () => {
    const all = refs(raw);
    expect(all.length).toBeGreaterThan(10);
    for (const { ref, at } of all) expect(resolve(raw, ref), `${ref} at ${at}`).toBeDefined();
    const schemes = Object.keys(document.components.securitySchemes ?? {});
    for (const requirement of document.security)
      for (const name of Object.keys(requirement)) expect(schemes).toContain(name);
    expect(
      (document.paths['/openapi.json']?.get as { security: unknown[] } | undefined)?.security,
    ).toEqual([]);
  });

  it('documents the filters, cursor and limits from the routes themselves', () => {
    const list = document.paths['/articles']?.get as {
      parameters: { name: string; schema: { maximum?: number } }[];
      responses: Record<string, unknown>;
    };
    expect(list.parameters.map((p) => p.name)).toEqual([
      'section',
      'tag',
      'author',
      'origin',
      'from',
      'until',
      'cursor',
      'limit',
    ]);
    expect(list.parameters.find((p) => p.name === 'limit')?.schema.maximum).toBe(100);
    expect(Object.keys(list.responses).sort()).toEqual(['200', '400', '401', '429']);
    const one = document.paths['/articles/{id}']?.get as { responses: Record<string, unknown> };
    expect(one.responses['404']).toEqual({ $ref: '#/components/responses/NotFound' });
    const tooMany = document.components.responses?.TooManyRequests as {
      headers: Record<string, unknown>;
    };
    expect(Object.keys(tooMany.headers)).toContain('Retry-After');
  });

  it('holds only schemas that are valid JSON Schema 2020-12', () => {
    const compile = compiler();
    // The checker is live: an OpenAPI 3.0 habit or a stray keyword is refused.
    expect(() => compile({ type: 'string', nullable: true })).toThrow();
    expect(() => compile({ type: 'object', required: ['missing'] })).toThrow();
    const schemas = document.components.schemas as Record<string, Json>;
    expect(Object.keys(schemas)).toEqual(
      expect.arrayContaining(['Article', 'ArticleSummary', 'Photo', 'Error', 'SectionRef']),
    );
    for (const name of Object.keys(schemas))
      expect(() => compile({ $ref: `#/components/schemas/${name}` }), name).not.toThrow();
    for (const item of Object.values(document.paths))
      for (const op of Object.values(item))
        for (const p of (op as { parameters?: { schema: Json }[] }).parameters ?? [])
          expect(() => compile(p.schema)).not.toThrow();
  });

  it('describes what the API really answers', async () => {
    const compile = compiler();
    const get = (url: string) =>
      app.http.inject({ url, headers: { authorization: `Bearer ${key}` } });
    const checks: [string, string][] = [
      ['/articles?limit=3', 'ArticleList'],
      [`/articles/${fx.published[0]}`, 'Article'],
      ['/sections', 'SectionList'],
      ['/authors', 'AuthorList'],
      [`/search?q=${encodeURIComponent('기사')}`, 'SearchResult'],
      ['/articles?limit=0', 'Error'],
      ['/articles/99999', 'Error'],
    ];
    for (const [url, name] of checks) {
      const res = await get(`/api/v1${url}`);
      const validate = compile({ $ref: `#/components/schemas/${name}` });
      expect(validate(res.json()), `${url}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    const bare = await app.http.inject({ url: '/api/v1/sections' });
    expect(compile({ $ref: '#/components/schemas/Error' })(bare.json())).toBe(true);
  });
});
