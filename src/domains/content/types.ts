import type { NoticeKind } from '../../shared/notice-kinds.ts';
import type { ArticleOrigin } from '../../shared/article-origins.ts';
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
  /** The byline's 기자 페이지: /reporter/<id>. */
  id: number;
  name: string;
  /** Null for a byline without an address (an archive's columnist, 외부 필자). */
  email: string | null;
  /** Printed after the name instead of 기자, e.g. 객원 기자; empty for staff. */
  title: string;
}

/** A byline as lists print it: name and title, linking to the 기자 페이지. */
export interface TeaserByline {
  id: number;
  name: string;
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
  /** Set by lists that print who wrote each article (section, tag, reporter, series). */
  bylines?: TeaserByline[];
  /** 자체기사, 통신, …; an advertorial is labelled 광고 wherever it is listed. */
  origin: ArticleOrigin;
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
  /** 포토뉴스 in the desktop rail: the newest articles with a photo not shown above. */
  photoNews: ArticleTeaser[];
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

/** A list of articles with page numbers (tag and reporter pages). */
export interface ArticlePage {
  articles: ArticleTeaser[];
  page: number;
  pageCount: number;
  total: number;
}

/** A byline's profile: what its 기자 페이지 shows above the articles. */
export interface AuthorProfile {
  id: number;
  name: string;
  /** Printed instead of 기자 (객원 기자, 칼럼니스트); empty for staff. */
  title: string;
  email: string | null;
  /** Desk or beat, e.g. 사회부 · 교육 담당. */
  beat: string;
  intro: string;
  photo: PhotoRef | null;
  /** Linked to a staff account (who edits the profile under 내 계정). */
  hasAccount: boolean;
}

export interface ReporterListing extends ArticlePage {
  author: AuthorProfile;
}

export interface TagListing extends ArticlePage {
  tag: { id: number; name: string };
}

export interface SeriesSummary {
  id: number;
  title: string;
  description: string;
  photo: PhotoRef | null;
  updatedAt: number;
}

/** A series as readers see it: only the parts they may open, in order. */
export interface SeriesListing {
  series: SeriesSummary;
  /** Numbered from 1 in reading order. */
  parts: ArticleTeaser[];
  /** Every article in the series, published or not: a change to any may show here. */
  memberIds: number[];
}

/** What an article page shows of its series: 연재 n회, the previous and next parts, the list. */
export interface ArticleSeries {
  series: { id: number; title: string };
  /** 1-based, among the parts readers may open. */
  number: number;
  parts: { id: number; title: string; publishedAt: number }[];
  memberIds: number[];
}
