import type { NoticeKind } from '../../shared/notice-kinds.ts';
/** Plain data handed to the HTTP layer and views. Times are epoch milliseconds. */

export interface SectionRef {
  id: number;
  slug: string;
  name: string;
  layout: 'list' | 'photo';
  parentId: number | null;
}

export interface Section extends SectionRef {
  position: number;
  hidden: boolean;
}

export interface PhotoRef {
  id: number;
  src: string;
  width: number;
  height: number;
  alt: string;
  caption: string;
  credit: string;
  /** WebP renditions, narrowest first. */
  sources: { src: string; width: number }[];
  /** Focal point, 0..1 from the left and from the top: what cropped cards keep in view. */
  focalX: number;
  focalY: number;
}

export interface Byline {
  /** The author's row: the content API's `author` filter. */
  id: number;
  name: string;
  /** Null for a byline without an address (an archive's columnist, 외부 필자). */
  email: string | null;
  /** Printed after the name instead of 기자, e.g. 객원 기자; empty for staff. */
  title: string;
}

export interface ArticleTeaser {
  id: number;
  title: string;
  summary: string;
  section: SectionRef;
  publishedAt: number;
  isBreaking: boolean;
  isPhotoStory: boolean;
  photo: PhotoRef | null;
}

export interface ArticleDetail extends ArticleTeaser {
  subtitleLines: string[];
  bodyHtml: string;
  updatedAt: number;
  bylines: Byline[];
  tags: string[];
  photos: PhotoRef[];
  /** 정정보도 / 반론보도 attached by the desk, oldest first. */
  notices: { kind: NoticeKind; body: string; createdAt: number; updatedAt: number | null }[];
  /** Ancestors first, the article's own section last. */
  sectionPath: SectionRef[];
}

export interface SectionBox {
  section: SectionRef;
  /** The section and its sub-sections: what the box lists, for cache tags. */
  sectionIds: number[];
  articles: ArticleTeaser[];
}

export interface FrontPage {
  headline: ArticleTeaser | null;
  topStories: ArticleTeaser[];
  breaking: ArticleTeaser[];
  sectionBoxes: SectionBox[];
  photoStories: ArticleTeaser[];
}

export interface SectionListing {
  section: Section;
  sectionPath: SectionRef[];
  children: SectionRef[];
  sectionIds: number[];
  articles: ArticleTeaser[];
  page: number;
  pageCount: number;
  total: number;
}
