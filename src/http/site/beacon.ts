import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ReaderCounts } from '../../domains/analytics/index.ts';
import { parseRowId } from '../../shared/ids.ts';
import { purposeOf } from './purpose.ts';

/** sendBeacon may carry a small body; the count needs none, so anything larger is refused. */
const BODY_LIMIT = 1024;

function plain(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/plain; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(message);
}

/**
 * `POST /beacon/view?a=<article id>`: the site script reports one reading of an article
 * page (sendBeacon: no cookies, an empty or text body). GET is accepted too, for browsers
 * without sendBeacon. The count is a memory update (see ReaderCounts.recordView): no
 * database work and no log line per request, so the route costs about as much as an empty
 * one. The answer is the same 204 whether or not the reading was counted (a crawler, a
 * prefetch, a re-read, a number that is no article): the page has nothing to do with it.
 * Numbers that are no article are dropped when the counts are written.
 */
export async function registerBeacon(app: FastifyInstance, readers: ReaderCounts): Promise<void> {
  await app.register(async (scope) => {
    // Whatever the body and its type (text/plain from sendBeacon with a string, a form,
    // JSON, nothing), it is read up to the limit and ignored.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: BODY_LIMIT },
      (_request, _body, done) => {
        done(null, undefined);
      },
    );
    // Oversized or malformed requests get a short plain answer, not the site's error page
    // (which reads the navigation and ticker from the database).
    scope.setErrorHandler((error, request, reply) => {
      const status = (error as { statusCode?: unknown }).statusCode;
      if (typeof status === 'number' && status >= 400 && status < 500)
        return status === 413
          ? plain(reply, 413, '요청 본문이 너무 큽니다.')
          : plain(reply, 400, '잘못된 요청입니다.');
      request.log.error({ err: error, url: request.url }, 'beacon failed');
      return plain(reply, 500, '일시적인 오류가 발생했습니다.');
    });

    const view = (request: FastifyRequest, reply: FastifyReply) => {
      const articleId = parseRowId((request.query as { a?: unknown }).a);
      if (articleId === null)
        return plain(reply, 400, 'a에 기사 번호를 주세요. 예: /beacon/view?a=123');
      readers.recordView({
        articleId,
        userAgent: request.headers['user-agent'],
        ip: request.ip,
        purpose: purposeOf(request),
      });
      return reply.code(204).header('cache-control', 'no-store').send();
    };
    scope.route({
      method: ['POST', 'GET'],
      url: '/beacon/view',
      bodyLimit: BODY_LIMIT,
      // A HEAD (link checkers, monitors) is nobody reading.
      exposeHeadRoute: false,
      handler: view,
    });
  });
}
