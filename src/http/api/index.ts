import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKeys } from '../../domains/apikeys/index.ts';
import type { ContentService } from '../../domains/content/index.ts';
import type { Search } from '../../domains/search/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { isAppError } from '../../shared/errors.ts';
import { statusOf } from '../errors.ts';
import { ApiError, validationMessage } from './errors.ts';
import { openApiDocument } from './openapi.ts';
import { createPresenter } from './present.ts';
import { apiRoutes } from './routes.ts';

export { openApiDocument, type OpenApiDocument } from './openapi.ts';

export interface ContentApiDeps {
  content: ContentService;
  search: Search;
  apiKeys: ApiKeys;
  clock: Clock;
  siteUrl: string;
  siteName: string;
}

export const API_PREFIX = '/api/v1';

/**
 * Every answer: readable by a page on any origin (GET only, no cookies are ever involved),
 * never cached by a shared cache (answers go through the key's limit), never indexed.
 */
const API_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'access-control-allow-origin': '*',
  'access-control-expose-headers':
    'Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-robots-tag': 'noindex',
});

const PREFLIGHT: Readonly<Record<string, string>> = Object.freeze({
  'access-control-allow-methods': 'GET, HEAD, OPTIONS',
  'access-control-allow-headers': 'Authorization, X-Api-Key',
  'access-control-max-age': '86400',
});

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A content API route answered without a key (the OpenAPI document). */
    publicApi?: boolean;
  }
}

/** The key a request carries: `Authorization: Bearer <key>` or `X-Api-Key: <key>`. */
function keyOf(request: FastifyRequest): string | null {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header.trim() !== '') return header.trim();
  const auth = request.headers.authorization;
  const bearer = typeof auth === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(auth)?.[1] : undefined;
  return bearer ?? null;
}

/** Any error as the API's JSON answer. */
function answerFor(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const { validation, validationContext } = error as {
    validation?: { instancePath?: string; keyword?: string; params?: Record<string, unknown> }[];
    validationContext?: string;
  };
  if (Array.isArray(validation))
    return new ApiError(400, 'invalid_request', validationMessage(validation, validationContext));
  const { status, detail } = statusOf(error);
  if (isAppError(error) && status < 500) {
    const code = status === 404 ? 'not_found' : status === 429 ? 'rate_limited' : 'invalid_request';
    return new ApiError(status === 404 || status === 429 ? status : 400, code, detail ?? '');
  }
  if (status === 404) return new ApiError(404, 'not_found', '없는 주소입니다.');
  if (status < 500) return new ApiError(400, 'bad_request', '잘못된 요청입니다.');
  return new ApiError(
    500,
    'server_error',
    '일시적인 오류가 발생했습니다. 잠시 후 다시 시도하세요.',
  );
}

const send = (reply: FastifyReply, error: ApiError) =>
  reply
    .code(error.status)
    .type('application/json; charset=utf-8')
    .send({ error: { code: error.code, message: error.message } });

/**
 * The content API at /api/v1: read-only JSON of what readers can see, for partners,
 * apps and the paper's own tools. Every route but the OpenAPI document needs a key; each
 * key has a per-minute limit counted in the database (see docs/decisions/0016).
 */
export async function registerContentApi(
  app: FastifyInstance,
  deps: ContentApiDeps,
): Promise<void> {
  const routes = apiRoutes({
    content: deps.content,
    search: deps.search,
    present: createPresenter(deps.siteUrl),
  });
  const document = JSON.stringify(
    openApiDocument(routes, { siteName: deps.siteName, siteUrl: deps.siteUrl }),
  );

  await app.register(
    async (api) => {
      api.addHook('onRequest', async (request, reply) => {
        reply.headers(API_HEADERS);
        if (request.method === 'OPTIONS' || request.routeOptions.config.publicApi === true) return;
        const key = keyOf(request);
        if (key === null) {
          reply.header('www-authenticate', 'Bearer realm="api"');
          throw new ApiError(
            401,
            'missing_api_key',
            'API 키가 필요합니다. Authorization: Bearer <키> 또는 X-Api-Key 헤더로 보내세요.',
          );
        }
        const client = await deps.apiKeys.authenticate(key);
        if (client === null) {
          reply.header('www-authenticate', 'Bearer realm="api", error="invalid_token"');
          throw new ApiError(401, 'invalid_api_key', '알 수 없거나 폐기된 API 키입니다.');
        }
        const rate = await deps.apiKeys.consume(client);
        const resetSeconds = Math.max(1, Math.ceil((rate.resetAt - deps.clock.now()) / 1000));
        reply.headers({
          'x-ratelimit-limit': String(rate.limit),
          'x-ratelimit-remaining': String(rate.remaining),
          'x-ratelimit-reset': String(resetSeconds),
        });
        if (!rate.allowed) {
          reply.header('retry-after', String(resetSeconds));
          throw new ApiError(
            429,
            'rate_limited',
            `요청이 너무 많습니다. 이 키는 분당 ${rate.limit}회까지입니다. ${resetSeconds}초 뒤에 다시 시도하세요.`,
          );
        }
      });

      api.setErrorHandler(async (error, request, reply) => {
        const answer = answerFor(error);
        if (answer.status >= 500)
          request.log.error({ err: error, url: request.url }, 'content API request failed');
        return send(reply, answer);
      });
      api.setNotFoundHandler(async (_request, reply) =>
        send(
          reply,
          new ApiError(404, 'not_found', '없는 주소입니다. /api/v1/openapi.json을 보세요.'),
        ),
      );

      // CORS preflight: a page elsewhere may send the key in a header.
      api.options('/*', async (_request, reply) => reply.code(204).headers(PREFLIGHT).send());

      api.get('/openapi.json', { config: { publicApi: true } }, async (_request, reply) =>
        reply
          .header('cache-control', 'public, max-age=300')
          .type('application/json; charset=utf-8')
          .send(document),
      );

      for (const route of routes) {
        api.get(
          route.path.replace(/\{(\w+)\}/g, ':$1'),
          {
            schema: {
              ...(route.querystring !== undefined ? { querystring: route.querystring } : {}),
              ...(route.params !== undefined ? { params: route.params } : {}),
              response: { 200: route.response },
            },
          },
          (request) => route.handler(request),
        );
      }
    },
    { prefix: API_PREFIX },
  );
}
