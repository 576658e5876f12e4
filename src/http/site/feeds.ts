import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ContentService, FeedArticle, Syndication } from '../../domains/content/index.ts';
import { tag, type CacheTag } from '../../shared/cache-tags.ts';
import { parseRowId } from '../../shared/ids.ts';
import { NOTICE_KINDS } from '../../shared/notice-kinds.ts';
import { LOGO_PATH } from '../../shared/share-images.ts';
import { bylineLabel } from '../../views/components/Teasers.tsx';
import { renderAtom } from '../../views/feeds/atom.ts';
import type { FeedChannel, FeedItem } from '../../views/feeds/model.ts';
import { renderRss } from '../../views/feeds/rss.ts';
import {
  articlePath,
  reporterFeedPath,
  reporterPath,
  sectionAtomPath,
  sectionFeedPath,
  sectionPath,
  siteAtomPath,
  siteFeedPath,
} from '../../views/urls.ts';
import { bylineTags, photoTags, type ReaderPageKit } from './reader-pages.ts';

/**
 * RSS 2.0 and Atom: the whole site (`/rss/allArticle.xml`, `/atom/allArticle.xml`), each
 * section with its sub-sections (`/rss/S1N<id>.xml`, `/atom/S1N<id>.xml`), and each
 * byline (`/reporter/<id>/rss`). `/feed`, `/section/<slug>/feed`, `/rss/<slug>.xml` and
 * `/atom/<slug>.xml` redirect to them. Served through the page cache with the tags of
 * what they list, so a published, edited or corrected article refreshes them at once.
 */
export interface FeedKit extends Pick<ReaderPageKit, 'page' | 'chrome' | 'sendError' | 'notFound'> {
  content: ContentService;
  syndication: Syndication;
  siteUrl: string;
  publisherName: string;
  /** Items carry the whole body (`content:encoded`, Atom `content`), not just a summary. */
  fullText: boolean;
}

/** Items in each feed. */
export const FEED_ITEMS = 30;

export const RSS_TYPE = 'application/rss+xml; charset=utf-8';
export const ATOM_TYPE = 'application/atom+xml; charset=utf-8';

type Format = 'rss' | 'atom';

/** Root-relative `src`, `href` and `srcset` addresses made absolute: a feed is read elsewhere. */
export function absoluteLinks(html: string, siteUrl: string): string {
  return html
    .replace(/(\s(?:src|href|poster)=")\/(?!\/)/g, `$1${siteUrl}/`)
    .replace(/(\ssrcset=")([^"]*)"/g, (_m, start: string, list: string) => {
      const fixed = list
        .split(',')
        .map((part) => part.trim().replace(/^\/(?!\/)/, `${siteUrl}/`))
        .join(', ');
      return `${start}${fixed}"`;
    });
}

export function feedItem(article: FeedArticle, siteUrl: string): FeedItem {
  const photo = article.photo;
  return {
    title: article.title,
    link: siteUrl + articlePath(article.id),
    summary: article.summary,
    contentHtml: article.bodyHtml === null ? undefined : absoluteLinks(article.bodyHtml, siteUrl),
    publishedAt: article.publishedAt,
    updatedAt: article.updatedAt,
    category: article.section.name,
    authors: article.bylines.map((b) => ({
      label: bylineLabel(b),
      url: siteUrl + reporterPath(b.id),
    })),
    photo:
      photo === null
        ? null
        : {
            url: /^https?:\/\//.test(photo.src) ? photo.src : siteUrl + photo.src,
            type: /\.png$/i.test(photo.src) ? 'image/png' : 'image/jpeg',
            width: photo.width,
            height: photo.height,
            caption: photo.caption,
            credit: photo.credit,
          },
    notices: article.notices.map((n) => ({
      label: NOTICE_KINDS[n.kind],
      body: n.body,
      at: n.updatedAt ?? n.createdAt,
    })),
  };
}

/** Tags of what a feed prints: its articles, their bylines and photos. */
function itemTags(articles: readonly FeedArticle[]): CacheTag[] {
  return [
    ...articles.map((a) => tag.article(a.id)),
    ...bylineTags(articles),
    ...photoTags(articles),
  ];
}

export function registerFeeds(app: FastifyInstance, kit: FeedKit): void {
  const { siteUrl } = kit;
  const missing = (request: FastifyRequest, reply: FastifyReply, detail?: string) =>
    kit.chrome(request).then((view) => kit.sendError(request, reply, 404, view, detail));
  const logo = siteUrl + LOGO_PATH;

  function channel(
    base: Omit<FeedChannel, 'items' | 'updatedAt' | 'publisher' | 'logo'>,
    articles: readonly FeedArticle[],
    now: number,
  ): FeedChannel {
    return {
      ...base,
      publisher: kit.publisherName,
      logo,
      updatedAt: articles.reduce((t, a) => Math.max(t, a.updatedAt), 0) || now,
      items: articles.map((a) => feedItem(a, siteUrl)),
    };
  }

  const render = (format: Format, c: FeedChannel) =>
    format === 'rss' ? renderRss(c) : renderAtom(c);
  const typeOf = (format: Format) => (format === 'rss' ? RSS_TYPE : ATOM_TYPE);

  function siteFeed(request: FastifyRequest, reply: FastifyReply, format: Format) {
    const self = format === 'rss' ? siteFeedPath : siteAtomPath;
    return kit.page(
      request,
      reply,
      self,
      async (view) => {
        const articles = await kit.syndication.feedArticles({
          limit: FEED_ITEMS,
          withBody: kit.fullText,
        });
        const c = channel(
          {
            title: kit.publisherName,
            link: `${siteUrl}/`,
            self: siteUrl + self,
            description: `${kit.publisherName} 전체기사`,
          },
          articles,
          view.now,
        );
        // Every article change announces the front page's tag, whatever its section.
        return { html: render(format, c), tags: [tag.front, ...itemTags(articles)] };
      },
      typeOf(format),
    );
  }

  function sectionFeed(
    request: FastifyRequest,
    reply: FastifyReply,
    format: Format,
    sectionId: number,
  ) {
    const self = format === 'rss' ? sectionFeedPath(sectionId) : sectionAtomPath(sectionId);
    return kit.page(
      request,
      reply,
      self,
      async (view) => {
        const scope = await kit.syndication.sectionScope(sectionId);
        if (scope === null) throw kit.notFound('찾으시는 섹션의 피드가 없습니다.');
        const { section, sectionIds } = scope;
        const articles = await kit.syndication.feedArticles({
          limit: FEED_ITEMS,
          sectionIds,
          withBody: kit.fullText,
        });
        const c = channel(
          {
            title: `${kit.publisherName} ${section.name}`,
            link: siteUrl + sectionPath(section.slug),
            self: siteUrl + self,
            description: `${kit.publisherName} ${section.name} 기사`,
          },
          articles,
          view.now,
        );
        return {
          html: render(format, c),
          tags: [...sectionIds.map(tag.section), ...itemTags(articles)],
        };
      },
      typeOf(format),
    );
  }

  /** `allArticle.xml`, `S1N<id>.xml`, or a section's address (redirected to its number). */
  async function byFile(
    request: FastifyRequest,
    reply: FastifyReply,
    format: Format,
    file: string,
  ) {
    if (file === 'allArticle.xml') return siteFeed(request, reply, format);
    const numbered = /^S1N(\d{1,12})\.xml$/.exec(file);
    if (numbered !== null) {
      const id = parseRowId(numbered[1]);
      if (id === null) return missing(request, reply);
      return sectionFeed(request, reply, format, id);
    }
    const slug = /^([a-z0-9][a-z0-9-]{0,79})\.xml$/.exec(file)?.[1];
    const section = slug === undefined ? undefined : await kit.syndication.sectionBySlug(slug);
    if (section == null) return missing(request, reply, '찾으시는 피드가 없습니다.');
    return reply.redirect(
      format === 'rss' ? sectionFeedPath(section.id) : sectionAtomPath(section.id),
      301,
    );
  }

  app.get('/rss/:file', (request: FastifyRequest<{ Params: { file: string } }>, reply) =>
    byFile(request, reply, 'rss', request.params.file),
  );
  app.get('/atom/:file', (request: FastifyRequest<{ Params: { file: string } }>, reply) =>
    byFile(request, reply, 'atom', request.params.file),
  );
  app.get('/feed', (_request, reply) => reply.redirect(siteFeedPath, 301));
  app.get(
    '/section/:slug/feed',
    async (request: FastifyRequest<{ Params: { slug: string } }>, reply) => {
      const section = await kit.syndication.sectionBySlug(request.params.slug);
      if (section === null) return missing(request, reply, '찾으시는 섹션이 없습니다.');
      return reply.redirect(sectionFeedPath(section.id), 301);
    },
  );

  app.get('/reporter/:id/rss', (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const id = parseRowId(request.params.id);
    if (id === null) return missing(request, reply);
    return kit.page(
      request,
      reply,
      reporterFeedPath(id),
      async (view) => {
        const listing = await kit.content.reporterPage(id, 1, 1);
        if (listing === null) throw kit.notFound('찾으시는 기자나 필자의 피드가 없습니다.');
        const { author } = listing;
        const label = bylineLabel(author);
        const articles = await kit.syndication.feedArticles({
          limit: FEED_ITEMS,
          authorId: id,
          withBody: kit.fullText,
        });
        const c = channel(
          {
            title: `${label} - ${kit.publisherName}`,
            link: siteUrl + reporterPath(id),
            self: siteUrl + reporterFeedPath(id),
            description:
              author.intro !== ''
                ? author.intro
                : `${kit.publisherName} ${label}${author.beat ? ` (${author.beat})` : ''}의 기사`,
          },
          articles,
          view.now,
        );
        return {
          html: renderRss(c),
          tags: [tag.author(id), tag.byline(id), ...itemTags(articles)],
        };
      },
      RSS_TYPE,
    );
  });
}
