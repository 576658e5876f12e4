import { ARTICLE_ORIGINS } from '../../shared/article-origins.ts';
import type {
  ArticleDetail,
  Byline,
  CatalogArticle,
  CatalogAuthor,
  PhotoRef,
  Section,
  SectionRef,
} from '../../domains/content/index.ts';
import { toKstIso } from '../../shared/kst.ts';
import { NOTICE_KINDS } from '../../shared/notice-kinds.ts';
import { articlePath, sectionPath } from '../../views/urls.ts';

/**
 * The content API's JSON, from the content domain's plain data: every address absolute,
 * every time in KST with its offset. The shapes are the schemas in schema.ts.
 */
export function createPresenter(siteUrl: string) {
  const escapedSite = siteUrl.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  /** A site-relative address made absolute; others are left as they are. */
  const absolute = (address: string) =>
    address.startsWith('/') && !address.startsWith('//') ? siteUrl + address : address;
  const absoluteInHtml = (address: string) =>
    address.startsWith('/') && !address.startsWith('//') ? escapedSite + address : address;

  const sectionRef = (s: SectionRef) => ({
    id: s.id,
    slug: s.slug,
    name: s.name,
    parentId: s.parentId,
    url: absolute(sectionPath(s.slug)),
  });

  const photo = (p: PhotoRef) => ({
    id: p.id,
    url: absolute(p.src),
    width: p.width,
    height: p.height,
    alt: p.alt,
    caption: p.caption,
    credit: p.credit,
    focalPoint: { x: p.focalX, y: p.focalY },
    renditions: p.sources.map((s) => ({ url: absolute(s.src), width: s.width })),
  });

  const byline = (b: Byline) => ({ id: b.id, name: b.name, title: b.title, email: b.email });

  /**
   * The stored body with its site-relative addresses (photos, renditions, links to other
   * articles) made absolute, so it renders anywhere. Stored bodies are the cleaner's output:
   * attributes are always double-quoted, so a pattern over them is exact.
   */
  const bodyHtml = (html: string) =>
    html.replace(/\s(src|href|srcset)="([^"]*)"/g, (_whole, name: string, value: string) => {
      const next =
        name === 'srcset'
          ? value
              .split(',')
              .map((candidate) => {
                const [address = '', ...descriptor] = candidate.trim().split(/\s+/);
                return [absoluteInHtml(address), ...descriptor].join(' ');
              })
              .join(', ')
          : absoluteInHtml(value);
      return ` ${name}="${next}"`;
    });

  const summary = (a: CatalogArticle | ArticleDetail) => ({
    id: a.id,
    url: absolute(articlePath(a.id)),
    title: a.title,
    subtitle: a.subtitleLines,
    summary: a.summary,
    section: sectionRef(a.section),
    bylines: a.bylines.map(byline),
    tags: a.tags,
    publishedAt: toKstIso(a.publishedAt),
    updatedAt: toKstIso(a.updatedAt),
    breaking: a.isBreaking,
    photoStory: a.isPhotoStory,
    origin: a.origin,
    originLabel: ARTICLE_ORIGINS[a.origin],
    featuredPhoto: a.photo === null ? null : photo(a.photo),
  });

  return {
    absolute,
    summary,
    bodyHtml,
    article: (a: ArticleDetail) => ({
      ...summary(a),
      bodyHtml: bodyHtml(a.bodyHtml),
      photos: a.photos.map(photo),
      notices: a.notices.map((n) => ({
        kind: n.kind,
        label: NOTICE_KINDS[n.kind],
        body: n.body,
        createdAt: toKstIso(n.createdAt),
        updatedAt: n.updatedAt === null ? null : toKstIso(n.updatedAt),
      })),
      sectionPath: a.sectionPath.map(sectionRef),
    }),
    section: (s: Section) => ({ ...sectionRef(s), position: s.position, layout: s.layout }),
    author: (a: CatalogAuthor) => ({ id: a.id, name: a.name, title: a.title, email: a.email }),
  };
}

export type Presenter = ReturnType<typeof createPresenter>;
