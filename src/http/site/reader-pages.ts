import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ArticleTeaser, ContentService } from '../../domains/content/index.ts';
import { tag, type CacheTag } from '../../shared/cache-tags.ts';
import { parsePositiveInt, parseRowId } from '../../shared/ids.ts';
import type { ChromeView } from '../../views/model.ts';
import { renderReporterPage } from '../../views/pages/ReporterPage.tsx';
import { renderSeriesPage } from '../../views/pages/SeriesPage.tsx';
import { renderTagPage } from '../../views/pages/TagPage.tsx';
import { articlePath, reporterPath, tagPath } from '../../views/urls.ts';

/**
 * The pages readers reach from an article: a byline's 기자 페이지 (its feed is in
 * feeds.ts), a tag's articles, a series' parts; and old AMP links. Served through the
 * site's page cache (`page`), each carrying the tags of what it shows.
 */

export type Rendered = { html: string; tags: CacheTag[]; expiresAt?: number };

export interface ReaderPageKit {
  content: ContentService;
  perPage: number;
  /** The site's cached-page helper (see routes.ts). */
  page(
    request: FastifyRequest,
    reply: FastifyReply,
    key: string,
    render: (chrome: ChromeView) => Promise<Rendered>,
    contentType?: string,
  ): Promise<FastifyReply>;
  chrome(request: FastifyRequest): Promise<ChromeView>;
  sendError(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    view: ChromeView,
    detail?: string,
  ): FastifyReply;
  /** Thrown by a render for a 404 (or 400) page that is not cached. */
  notFound(detail?: string): Error;
}

/** The longest tag name the newsroom can store (tags.name is varchar(60)). */
const TAG_MAX_LENGTH = 60;

/** Tags of the bylines a list prints: a renamed byline refreshes it. */
export function bylineTags(teasers: readonly ArticleTeaser[]): CacheTag[] {
  return [...new Set(teasers.flatMap((t) => (t.bylines ?? []).map((b) => b.id)))].map(tag.byline);
}

/** Tags of the photos a list shows: a changed caption or alt text refreshes it. */
export function photoTags(teasers: readonly (ArticleTeaser | null | undefined)[]): CacheTag[] {
  return teasers.flatMap((t) => (t?.photo == null ? [] : [tag.photo(t.photo.id)]));
}

type Query = Record<string, string | string[] | undefined>;

/** `?page=`: 1 when absent, null when it is not a page number. */
function pageNumber(query: Query): number | null {
  const raw = query.page;
  if (raw === undefined) return 1;
  return typeof raw === 'string' ? parsePositiveInt(raw, 100_000) : null;
}

export function registerReaderPages(app: FastifyInstance, kit: ReaderPageKit): void {
  const { content } = kit;
  const badPage = (request: FastifyRequest, reply: FastifyReply) =>
    kit
      .chrome(request)
      .then((view) =>
        kit.sendError(request, reply, 400, view, '페이지 번호는 1 이상의 숫자여야 합니다.'),
      );
  const missing = (request: FastifyRequest, reply: FastifyReply, detail?: string) =>
    kit.chrome(request).then((view) => kit.sendError(request, reply, 404, view, detail));
  const pastTheEnd = (pageCount: number) => kit.notFound(`이 목록은 ${pageCount}쪽까지 있습니다.`);

  app.get(
    '/reporter/:id',
    (request: FastifyRequest<{ Params: { id: string }; Querystring: Query }>, reply) => {
      const id = parseRowId(request.params.id);
      if (id === null) return missing(request, reply);
      const pageNo = pageNumber(request.query);
      if (pageNo === null) return badPage(request, reply);
      return kit.page(request, reply, `${reporterPath(id)}?page=${pageNo}`, async (view) => {
        const listing = await content.reporterPage(id, pageNo, kit.perPage);
        if (listing === null) throw kit.notFound('찾으시는 기자나 필자의 페이지가 없습니다.');
        if (pageNo > listing.pageCount) throw pastTheEnd(listing.pageCount);
        const html = renderReporterPage({ chrome: view, ...listing });
        return {
          html,
          tags: [
            tag.author(id),
            tag.byline(id),
            ...(listing.author.photo === null ? [] : [tag.photo(listing.author.photo.id)]),
            ...bylineTags(listing.articles),
            ...photoTags(listing.articles),
          ],
        };
      });
    },
  );

  app.get(
    '/tag/:name',
    (request: FastifyRequest<{ Params: { name: string }; Querystring: Query }>, reply) => {
      const name = request.params.name.trim();
      const pageNo = pageNumber(request.query);
      if (pageNo === null) return badPage(request, reply);
      // No stored tag is blank or longer than the column: no query for those.
      if (name === '' || [...name].length > TAG_MAX_LENGTH)
        return missing(request, reply, '이 태그가 붙은 기사가 없습니다.');
      return kit.page(request, reply, `${tagPath(name)}?page=${pageNo}`, async (view) => {
        const listing = await content.tagPage(name, pageNo, kit.perPage);
        if (listing === null) throw kit.notFound(`‘${name}’ 태그가 붙은 기사가 없습니다.`);
        if (pageNo > listing.pageCount) throw pastTheEnd(listing.pageCount);
        const html = renderTagPage({ chrome: view, ...listing });
        return {
          html,
          tags: [
            tag.topic(listing.tag.name),
            ...bylineTags(listing.articles),
            ...photoTags(listing.articles),
          ],
        };
      });
    },
  );

  app.get('/series/:id', (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const id = parseRowId(request.params.id);
    if (id === null) return missing(request, reply);
    return kit.page(request, reply, `/series/${id}`, async (view) => {
      const listing = await content.seriesPage(id);
      if (listing === null) throw kit.notFound('찾으시는 연재가 없거나 아직 공개되지 않았습니다.');
      const html = renderSeriesPage({ chrome: view, ...listing });
      return {
        html,
        tags: [
          tag.series(id),
          // Every part, out or not: one coming out or changing shows here.
          ...listing.memberIds.map(tag.article),
          ...(listing.series.photo === null ? [] : [tag.photo(listing.series.photo.id)]),
          ...bylineTags(listing.parts),
          ...photoTags(listing.parts),
        ],
      };
    });
  });

  // Links from the AMP pages some papers had: the ordinary article page serves every device.
  app.get('/news/:id/amp', (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const id = parseRowId(request.params.id);
    if (id === null) return missing(request, reply);
    return reply.redirect(articlePath(id), 301);
  });
}
