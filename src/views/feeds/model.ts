/**
 * A feed as plain data: what the RSS 2.0 and Atom writers print. Every URL is absolute
 * (feed readers and portals fetch them from elsewhere); times are epoch milliseconds.
 */
export interface FeedItem {
  title: string;
  /** The article's URL; also its permanent id (RSS guid, Atom id). */
  link: string;
  /** Plain text: the lede or the first sentences of the body. */
  summary: string;
  /** The body as HTML with absolute links, when the feed carries full text. */
  contentHtml?: string | undefined;
  publishedAt: number;
  /** The last change readers can see; never before publishedAt. */
  updatedAt: number;
  category?: string | undefined;
  /** Every byline, in print order: `홍길동 기자` and its 기자 페이지. */
  authors: { label: string; url: string }[];
  /** The featured photo, as its stored file (enclosure, media:content). */
  photo?: FeedPhoto | null | undefined;
  /** 정정·반론·추후보도 attached to the article, oldest first. */
  notices?: FeedNotice[] | undefined;
}

export interface FeedPhoto {
  url: string;
  type: 'image/jpeg' | 'image/png';
  width: number;
  height: number;
  caption: string;
  credit: string;
}

export interface FeedNotice {
  /** 정정보도, 반론보도, 추후보도. */
  label: string;
  body: string;
  at: number;
}

export interface FeedChannel {
  title: string;
  /** The page the feed follows. */
  link: string;
  /** The feed's own URL (atom:link rel="self"). */
  self: string;
  description: string;
  /** The newest change among the items, or the build time of an empty feed. */
  updatedAt: number;
  /** The paper: copyright line and (Atom) the feed's author. */
  publisher: string;
  /** The paper's logo (RSS image, Atom logo). */
  logo?: string | undefined;
  items: FeedItem[];
}
