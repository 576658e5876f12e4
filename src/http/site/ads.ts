import { parseRowId } from '../../shared/ids.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AdStats, BannerStore } from '../../domains/ads/index.ts';
import { crawlerTest, isSpeculative } from '../../domains/analytics/index.ts';
import { purposeOf } from './purpose.ts';

export interface AdRouteDeps {
  banners: BannerStore;
  stats: AdStats;
}

// A transparent 1×1 GIF for the no-script impression pixel.
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

const idOf = parseRowId;

function notFound(reply: FastifyReply, message: string) {
  return reply
    .code(404)
    .header('content-type', 'text/plain; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(message);
}

/**
 * The public side of the banners: clicks through /ad/click/<id> (to that campaign's
 * stored URL only), impressions from the site script's beacon or the no-script pixel, and
 * the sandboxed frame that runs an HTML ad tag.
 */
export function registerAdRoutes(app: FastifyInstance, deps: AdRouteDeps): void {
  const { banners, stats } = deps;
  // The same rule as reader counts: no crawlers, no browser speculation.
  const isCrawler = crawlerTest();
  const countable = (request: FastifyRequest): boolean =>
    !isCrawler(request.headers['user-agent']) && !isSpeculative(purposeOf(request));

  app.get('/ad/click/:id', async (request, reply) => {
    const id = idOf((request.params as { id?: string }).id);
    const target = id === null ? null : await banners.clickTarget(id);
    if (id === null || target === null) return notFound(reply, '없는 광고입니다.');
    if (countable(request)) stats.click(id);
    return reply
      .code(302)
      .header('location', target)
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'origin')
      .send();
  });

  // The site script reports a banner once it is on screen (POST, sendBeacon); readers
  // without script load a pixel (GET). Either way: no body, nothing stored about them.
  const impression = async (request: FastifyRequest, reply: FastifyReply, pixel: boolean) => {
    const id = idOf((request.query as { b?: unknown }).b);
    if (id === null) {
      return reply
        .code(400)
        .header('content-type', 'text/plain; charset=utf-8')
        .header('cache-control', 'no-store')
        .send('b에 광고 번호를 주세요.');
    }
    if (countable(request) && (await banners.exists(id))) stats.impression(id);
    reply.header('cache-control', 'no-store');
    if (!pixel) return reply.code(204).send();
    return reply.code(200).header('content-type', 'image/gif').send(PIXEL);
  };
  app.post('/ad/view', { bodyLimit: 1024 }, (request, reply) => impression(request, reply, false));
  app.get('/ad/view', (request, reply) => impression(request, reply, true));

  app.get('/ad/frame/:id', async (request, reply) => {
    const id = idOf((request.params as { id?: string }).id);
    const tag = id === null ? null : await banners.htmlTag(id);
    if (tag === null) return notFound(reply, '없는 광고입니다.');
    // The tag is the ad network's own markup and script, entered by an admin. It runs in
    // a frame sandboxed by the page and, should anyone open it directly, by this CSP:
    // an opaque origin without the site's cookies, storage or page.
    return reply
      .code(200)
      .header('content-type', 'text/html; charset=utf-8')
      .header(
        'content-security-policy',
        "sandbox allow-scripts allow-popups allow-popups-to-escape-sandbox; frame-ancestors 'self'",
      )
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'public, max-age=60')
      .send(
        `<!doctype html><html lang="ko"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>광고</title></head><body style="margin:0">${tag}</body></html>`,
      );
  });
}
