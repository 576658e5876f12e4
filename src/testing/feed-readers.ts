import { XMLParser, XMLValidator } from 'fast-xml-parser';
import Parser from 'rss-parser';

/**
 * Feeds and sitemaps as consumers read them: `rss-parser` (what many feed readers and
 * aggregators run, on xml2js/sax) for RSS and Atom, `fast-xml-parser` for sitemaps.
 * Neither parser refuses a character XML 1.0 forbids (a C0 control, a lone surrogate) or a
 * raw `]]>` in text, though a strict reader (a browser's, libxml2's) stops there, so every
 * document is checked for those first.
 */

// XML 1.0 Char excludes C0 controls but tab and newlines, lone surrogates, U+FFFE and U+FFFF.
const NOT_XML_CHAR =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Throws when `xml` is not a well-formed XML 1.0 document, with where and why. */
export function assertWellFormed(xml: string, what = 'document'): void {
  const bad = NOT_XML_CHAR.exec(xml);
  if (bad !== null)
    throw new Error(
      `${what}: U+${(bad[0].codePointAt(0) ?? 0).toString(16).padStart(4, '0')} at ${bad.index} is not an XML character`,
    );
  // `]]>` may not appear in character data (XML 1.0 §2.4); we write no CDATA sections.
  if (xml.includes(']]>')) throw new Error(`${what}: a raw "]]>" in text`);
  const result = XMLValidator.validate(xml);
  if (result !== true)
    throw new Error(
      `${what}: ${result.err.code} ${result.err.msg} (line ${result.err.line}, column ${result.err.col})`,
    );
}

export interface ParsedMedia {
  url: string;
  type: string;
  medium: string;
  width: number;
  height: number;
  description: string | null;
  credit: string | null;
}

export interface ParsedFeedItem {
  title: string;
  link: string;
  /** RSS guid, Atom id. */
  id: string;
  /** RSS pubDate as written, or Atom published. */
  published: string;
  /** Atom updated; null in RSS. */
  updated: string | null;
  /** ISO time rss-parser read from the publication date. */
  isoDate: string;
  /** Every dc:creator (RSS) or author name (Atom). */
  authors: string[];
  /** Atom author URIs, in the order of `authors`. */
  authorUris: string[];
  categories: string[];
  /** RSS description or Atom summary. */
  summary: string;
  /** content:encoded or Atom content; null when the feed carries summaries only. */
  contentHtml: string | null;
  enclosure: { url: string; type: string; length: string | null } | null;
  media: ParsedMedia[];
}

export interface ParsedFeed {
  format: 'rss' | 'atom';
  title: string;
  link: string;
  /** The feed's own address (atom:link rel="self", Atom link rel="self"). */
  self: string;
  language: string | null;
  /** RSS lastBuildDate or Atom updated. */
  updated: string;
  items: ParsedFeedItem[];
}

type XmlText = string | { _?: string; $?: Record<string, string> };
interface RawItem {
  [key: string]: unknown;
  title?: string;
  link?: string;
  guid?: string;
  id?: string;
  pubDate?: string;
  isoDate?: string;
  content?: string;
  summary?: string;
  categories?: XmlText[];
  enclosure?: { url: string; type: string; length?: string };
  creators?: string[];
  atomAuthors?: { name?: string[]; uri?: string[] }[];
  atomCategories?: { $: { term: string } }[];
  atomLinks?: { $: { rel?: string; type?: string; href: string } }[];
  atomContent?: XmlText[];
  published?: string;
  updated?: string;
  'content:encoded'?: string;
  mediaContent?: {
    $: Record<string, string>;
    'media:description'?: XmlText[];
    'media:credit'?: XmlText[];
  }[];
}
interface RawFeed {
  language?: string;
  lastBuildDate?: string;
  updated?: string;
}

const textOf = (node: XmlText | undefined): string | null =>
  node === undefined ? null : typeof node === 'string' ? node : (node._ ?? '');

const parser = new Parser<RawFeed, RawItem>({
  customFields: {
    feed: ['language', 'updated'],
    item: [
      ['dc:creator', 'creators', { keepArray: true }],
      ['media:content', 'mediaContent', { keepArray: true }],
      ['author', 'atomAuthors', { keepArray: true }],
      ['category', 'atomCategories', { keepArray: true }],
      ['link', 'atomLinks', { keepArray: true }],
      ['content', 'atomContent', { keepArray: true }],
      'published',
      'updated',
    ],
  },
});

/** A feed read by rss-parser, after the well-formedness check. */
export async function readFeed(xml: string, what = 'feed'): Promise<ParsedFeed> {
  assertWellFormed(xml, what);
  const feed = await parser.parseString(xml);
  const atom = /<feed\s/.test(xml.slice(0, 200));
  const items = feed.items.map((i): ParsedFeedItem => {
    const media = (i.mediaContent ?? []).map((m) => ({
      url: m.$.url ?? '',
      type: m.$.type ?? '',
      medium: m.$.medium ?? '',
      width: Number(m.$.width),
      height: Number(m.$.height),
      description: textOf(m['media:description']?.[0]),
      credit: textOf(m['media:credit']?.[0]),
    }));
    if (atom) {
      const enclosure = (i.atomLinks ?? []).find((l) => l.$.rel === 'enclosure');
      return {
        title: i.title ?? '',
        link: i.link ?? '',
        id: i.id ?? '',
        published: i.published ?? '',
        updated: i.updated ?? null,
        isoDate: i.isoDate ?? '',
        authors: (i.atomAuthors ?? []).map((a) => a.name?.[0] ?? ''),
        authorUris: (i.atomAuthors ?? []).map((a) => a.uri?.[0] ?? ''),
        categories: (i.atomCategories ?? []).map((c) => c.$.term),
        summary: i.summary ?? '',
        contentHtml: textOf(i.atomContent?.[0]),
        enclosure:
          enclosure === undefined
            ? null
            : { url: enclosure.$.href, type: enclosure.$.type ?? '', length: null },
        media,
      };
    }
    return {
      title: i.title ?? '',
      link: i.link ?? '',
      id: i.guid ?? '',
      published: i.pubDate ?? '',
      updated: null,
      isoDate: i.isoDate ?? '',
      authors: i.creators ?? [],
      authorUris: [],
      categories: (i.categories ?? []).map((c) => textOf(c) ?? ''),
      summary: i.content ?? '',
      contentHtml: i['content:encoded'] ?? null,
      enclosure:
        i.enclosure === undefined
          ? null
          : { url: i.enclosure.url, type: i.enclosure.type, length: i.enclosure.length ?? null },
      media,
    };
  });
  return {
    format: atom ? 'atom' : 'rss',
    title: feed.title ?? '',
    link: feed.link ?? '',
    self: feed.feedUrl ?? '',
    language: feed.language ?? null,
    updated: (atom ? feed.updated : feed.lastBuildDate) ?? '',
    items,
  };
}

export const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
export const NEWS_NS = 'http://www.google.com/schemas/sitemap-news/0.9';
export const IMAGE_NS = 'http://www.google.com/schemas/sitemap-image/1.1';

export interface SitemapEntry {
  loc: string;
  lastmod: string | null;
  news: {
    name: string;
    language: string;
    publicationDate: string;
    title: string;
  } | null;
  images: string[];
}

export interface ParsedSitemap {
  root: 'urlset' | 'sitemapindex';
  /** Namespace declarations on the root: prefix ('' for the default) to URI. */
  namespaces: Record<string, string>;
  entries: SitemapEntry[];
  bytes: number;
}

/** The W3C Datetime profile sitemaps take: a date, or a time to the second with an offset. */
const W3C_DATETIME =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

type Node = Record<string, unknown>;
const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // Values stay the text written: a numeric-looking title or id is not a number here.
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => ['url', 'sitemap', 'image:image'].includes(name),
});

const only = (node: Node, name: string, where: string): string => {
  const value = node[name];
  if (typeof value !== 'string') throw new Error(`${where}: <${name}> missing or not text`);
  return value;
};

/**
 * A sitemap or sitemap index read by fast-xml-parser, after the well-formedness check,
 * with what the sitemaps.org protocol and Google's news and image extensions require
 * checked: the root and its namespaces, one absolute `loc` per entry, W3C datetimes, and
 * a complete `news:news` wherever there is one.
 */
export function readSitemap(xml: string, what = 'sitemap'): ParsedSitemap {
  assertWellFormed(xml, what);
  const doc = xmlParser.parse(xml) as Node;
  const rootName = 'urlset' in doc ? 'urlset' : 'sitemapindex' in doc ? 'sitemapindex' : null;
  if (rootName === null) throw new Error(`${what}: the root is neither urlset nor sitemapindex`);
  const root = doc[rootName] as Node;
  const namespaces: Record<string, string> = {};
  for (const [key, value] of Object.entries(root))
    if (key === '@xmlns' || key.startsWith('@xmlns:'))
      namespaces[key === '@xmlns' ? '' : key.slice('@xmlns:'.length)] = String(value);
  if (namespaces[''] !== SITEMAP_NS)
    throw new Error(`${what}: default namespace is not ${SITEMAP_NS}`);
  const list = (root[rootName === 'urlset' ? 'url' : 'sitemap'] ?? []) as Node[];
  const entries = list.map((node, n): SitemapEntry => {
    const where = `${what} entry ${n + 1}`;
    const loc = only(node, 'loc', where);
    if (!/^https?:\/\/[^\s<>"]+$/.test(loc) || loc.length > 2048)
      throw new Error(`${where}: loc ${JSON.stringify(loc)} is not an absolute URL`);
    const lastmod = node.lastmod === undefined ? null : only(node, 'lastmod', where);
    if (lastmod !== null && !W3C_DATETIME.test(lastmod))
      throw new Error(`${where}: lastmod ${lastmod} is not a W3C datetime`);
    let news: SitemapEntry['news'] = null;
    if (node['news:news'] !== undefined) {
      if (namespaces.news !== NEWS_NS) throw new Error(`${where}: news: is not ${NEWS_NS}`);
      const n = node['news:news'] as Node;
      const publication = n['news:publication'] as Node | undefined;
      if (publication === undefined) throw new Error(`${where}: no news:publication`);
      news = {
        name: only(publication, 'news:name', where),
        language: only(publication, 'news:language', where),
        publicationDate: only(n, 'news:publication_date', where),
        title: only(n, 'news:title', where),
      };
      if (!W3C_DATETIME.test(news.publicationDate))
        throw new Error(`${where}: news:publication_date is not a W3C datetime`);
    }
    const images = ((node['image:image'] ?? []) as Node[]).map((image) => {
      if (namespaces.image !== IMAGE_NS) throw new Error(`${where}: image: is not ${IMAGE_NS}`);
      const at = only(image, 'image:loc', where);
      if (!/^https?:\/\/\S+$/.test(at)) throw new Error(`${where}: image:loc is not absolute`);
      return at;
    });
    return { loc, lastmod, news, images };
  });
  return { root: rootName, namespaces, entries, bytes: Buffer.byteLength(xml) };
}
