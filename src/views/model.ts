import type { NoticeKind } from '../shared/notice-kinds.ts';
import type { ArticleOrigin } from '../shared/article-origins.ts';
/**
 * The plain data views render. Domain objects are structurally compatible with these, so
 * views never import a domain.
 */
export interface SectionView {
  /** Set by sections from the database: the section's feed is addressed by it. */
  id?: number;
  slug: string;
  name: string;
  layout: 'list' | 'photo';
}

export interface PhotoView {
  /** Set by stored photos: their crops for shares and search engines are addressed by it. */
  id?: number;
  src: string;
  width: number;
  height: number;
  alt: string;
  caption: string;
  credit: string;
  sources: { src: string; width: number }[];
  /** Focal point, 0..1 from the left and from the top; the centre when absent. */
  focalX?: number;
  focalY?: number;
}

/** A byline as lists print it, linking to its 기자 페이지. */
export interface BylineView {
  id: number;
  name: string;
  /** Printed instead of 기자 when set (객원 기자, 칼럼니스트). */
  title: string;
}

export interface TeaserView {
  id: number;
  title: string;
  summary: string;
  section: SectionView;
  publishedAt: number;
  isBreaking: boolean;
  photo: PhotoView | null;
  /** Lists that say who wrote each article carry these. */
  bylines?: BylineView[];
  /** An advertorial (광고성 기사) is labelled as such wherever it is listed. */
  origin?: ArticleOrigin;
}

export interface ArticleView extends TeaserView {
  subtitleLines: string[];
  bodyHtml: string;
  updatedAt: number;
  /** Email null for a byline without one; title printed instead of 기자 when set. */
  bylines: (BylineView & { email: string | null })[];
  tags: string[];
  photos: PhotoView[];
  notices: { kind: NoticeKind; body: string; createdAt: number; updatedAt: number | null }[];
  sectionPath: SectionView[];
}

export interface BoxView {
  section: SectionView;
  articles: TeaserView[];
}

/** 많이 본 뉴스: the most read articles of the last 24 hours and of 7 days, most first. */
export interface MostReadView {
  day: { id: number; title: string }[];
  week: { id: number; title: string }[];
}

export interface BannerView {
  id: number;
  kind: 'image' | 'html';
  title: string;
  /** Image banners. */
  imageSrc: string;
  width: number;
  height: number;
  /** Where the banner links: /ad/click/<id>, which redirects to the campaign's URL. */
  href: string;
  /** Relative frequency among the slot's banners. */
  weight: number;
  /** Section slugs it is limited to; empty runs everywhere. */
  sections: string[];
  isSample: boolean;
}

export type BannerSlotName =
  | 'header-top'
  | 'masthead-side'
  | 'rail-1'
  | 'rail-2'
  | 'rail-3'
  | 'article-inline'
  | 'above-footer'
  | 'mobile-sticky';

export interface TickerView {
  /** sky is null when the station reported neither present weather nor cloud cover. */
  places: { name: string; sky: string | null; temperature: number | null }[];
  observedAt: number;
  isSample: boolean;
}

export interface PublisherView {
  name: string;
  registrationNumber: string;
  registrationDate: string;
  publisher: string;
  editor: string;
  youthProtectionOfficer: string;
  address: string;
  phone: string;
  email: string;
  copyrightHolder: string;
}

/** Everything around the content: masthead, navigation, ticker, banners, footer. */
export interface ChromeView {
  siteUrl: string;
  publisher: PublisherView;
  nav: SectionView[];
  now: number;
  ticker: TickerView | null;
  /** The banners that may run in each slot for this device, heaviest first. */
  banners: Partial<Record<BannerSlotName, BannerView[]>>;
  /** In-article banner: after which paragraph of the body. */
  inlineBannerParagraph: number;
  /** Picks among a slot's banners for readers without JavaScript; random per render. */
  bannerSeed: number;
  stylesheet: string;
  icon: string;
  /** The site script; null leaves it out (the desk's preview, which must count nothing). */
  script: string | null;
  /** The Kakao JavaScript key (TAMNA_KAKAO_JS_KEY): with it, articles get a KakaoTalk button. */
  kakaoJsKey?: string | null;
  currentSection?: string;
}

export interface PageMeta {
  title: string;
  description: string;
  /** Path of the canonical URL, e.g. /news/12. */
  path: string;
  type: 'website' | 'article';
  /** The photo a share shows, cropped to 1200×630 around its focal point. */
  image?: PhotoView | null | undefined;
  /** Without a photo, a share shows a card with this title; else the paper's own card. */
  card?: { articleId: number; title: string } | undefined;
  /** schema.org objects printed as JSON-LD. */
  structuredData?: readonly unknown[] | undefined;
  publishedAt?: number;
  updatedAt?: number;
  section?: string;
  robots?: string;
  /** Set on article pages: the reader-count beacon reports this id. */
  articleId?: number;
  /**
   * A feed of what the page lists (`<link rel="alternate">`, with its Atom twin when there
   * is one); the site's own feeds are linked from every page.
   */
  feed?: { title: string; path: string; atomPath?: string } | undefined;
}

/** One hour of the short-range forecast, with its sky already turned into a label. */
export interface ForecastHourView {
  at: number;
  /** The label (precipitation wins over the sky), or null when KMA gave neither. */
  sky: string | null;
  /** ℃ (TMP). */
  temperature: number | null;
  /** 강수확률, % (POP). */
  chance: number | null;
}

export interface ForecastDayView {
  /** An instant on the day (its first hour in KST), for the date heading. */
  at: number;
  relative: '오늘' | '내일';
  /** 최저/최고기온, ℃ (TMN/TMX). */
  min: number | null;
  max: number | null;
  hours: ForecastHourView[];
}

export interface ForecastView {
  region: string;
  /** When KMA issued the forecast (its base time), epoch ms. */
  issuedAt: number;
  days: ForecastDayView[];
}
