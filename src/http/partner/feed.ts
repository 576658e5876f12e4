import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FEED_PAGE_MAX, type PartnerFeed } from '../../domains/partners/index.ts';
import { isAppError } from '../../shared/errors.ts';
import { toKstIso } from '../../shared/kst.ts';

export interface PartnerFeedRouteDeps {
  feed: PartnerFeed;
  /** TAMNA_PARTNER_TOKEN, one per partner; none: the feed does not exist. */
  tokens: readonly string[];
  publisher: { name: string; siteUrl: string };
  now: () => number;
}

export const PARTNER_FEED_PATH = '/partner/feed.json';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * True when `given` is one of the tokens. Both sides are hashed first, so the comparison
 * takes the same time whatever the length or the first wrong character, and every token is
 * compared (no early exit that would tell which partner's token was close).
 */
export function tokenMatches(given: string, tokens: readonly Buffer[]): boolean {
  const hash = digest(given);
  let found = false;
  for (const token of tokens) found = timingSafeEqual(hash, token) || found;
  return found;
}

/** The bearer token (the Authorization header), or the `token` query parameter. */
function presentedToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (m?.[1] !== undefined) return m[1];
  }
  const query = (request.query as Record<string, unknown>).token;
  return typeof query === 'string' && query !== '' ? query : null;
}

function fail(reply: FastifyReply, status: number, error: string, message: string) {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .type('application/json; charset=utf-8')
    .send({ error, message });
}

/**
 * The portal partners' feed (네이버·다음 제휴): new and changed articles after a cursor,
 * for the holders of a partner token. See README "Portal partners".
 */
export function registerPartnerFeed(app: FastifyInstance, deps: PartnerFeedRouteDeps): void {
  const tokens = deps.tokens.map(digest);
  app.get(PARTNER_FEED_PATH, async (request, reply) => {
    // Without a configured token the feed is not there at all.
    if (tokens.length === 0) return reply.callNotFound();
    const given = presentedToken(request);
    if (given === null || given.length > 500 || !tokenMatches(given, tokens))
      return fail(
        reply.header('www-authenticate', 'Bearer realm="partner"'),
        401,
        'unauthorized',
        '제휴 토큰이 없거나 맞지 않습니다. Authorization: Bearer <토큰> 헤더로 보내세요.',
      );
    const query = request.query as Record<string, unknown>;
    const since = query.since;
    if (since !== undefined && typeof since !== 'string')
      return fail(reply, 400, 'invalid_cursor', 'since는 한 번만 보내세요.');
    let limit: number | undefined;
    if (query.limit !== undefined) {
      const text = typeof query.limit === 'string' ? query.limit : '';
      limit = /^[0-9]{1,4}$/.test(text) ? Number(text) : NaN;
      if (!(limit >= 1 && limit <= FEED_PAGE_MAX))
        return fail(reply, 400, 'invalid_limit', `limit은 1부터 ${FEED_PAGE_MAX}까지입니다.`);
    }
    try {
      const page = await deps.feed.changes({ since, ...(limit === undefined ? {} : { limit }) });
      return reply
        .header('cache-control', 'no-store')
        .header('x-robots-tag', 'noindex')
        .type('application/json; charset=utf-8')
        .send({
          publisher: { name: deps.publisher.name, url: deps.publisher.siteUrl },
          generatedAt: toKstIso(deps.now()),
          items: page.items,
          next: page.next,
          more: page.more,
        });
    } catch (error) {
      if (isAppError(error) && error.code === 'INVALID_INPUT')
        return fail(reply, 400, 'invalid_cursor', error.message);
      throw error;
    }
  });
}
