import type { Generated } from 'kysely';

/**
 * Table types for Kysely. Times are epoch milliseconds (bigint in PostgreSQL, integer in
 * SQLite) so both dialects compare and sort them the same way; flags are 0/1 integers for
 * the same reason.
 */
export interface SectionTable {
  id: Generated<number>;
  slug: string;
  name: string;
  parent_id: number | null;
  position: number;
  hidden: number;
  layout: 'list' | 'photo';
  created_at: number;
}

export interface AuthorTable {
  id: Generated<number>;
  name: string;
  email: string;
  created_at: number;
}

export interface PhotoTable {
  id: Generated<number>;
  storage_key: string;
  width: number;
  height: number;
  mime: string;
  caption: string;
  credit: string;
  alt: string;
  /** Comma-separated widths of WebP renditions, e.g. "480,960". */
  variants: string;
  created_at: number;
}

export type ArticleStatus = 'draft' | 'submitted' | 'published' | 'unpublished' | 'trashed';

export interface ArticleTable {
  id: Generated<number>;
  section_id: number;
  title: string;
  /** Lede lines separated by "\n". */
  subtitle: string;
  body_html: string;
  /** Plain-text summary derived from the body, for teasers and meta descriptions. */
  summary: string;
  status: ArticleStatus;
  is_breaking: number;
  is_photo_story: number;
  featured_photo_id: number | null;
  published_at: number | null;
  updated_at: number;
  created_at: number;
}

export interface ArticleAuthorTable {
  article_id: number;
  author_id: number;
  position: number;
}

export interface ArticlePhotoTable {
  article_id: number;
  photo_id: number;
  position: number;
}

export interface TagTable {
  id: Generated<number>;
  name: string;
}

export interface ArticleTagTable {
  article_id: number;
  tag_id: number;
}

export interface BannerTable {
  id: Generated<number>;
  slot: string;
  title: string;
  image_key: string;
  width: number;
  height: number;
  link_url: string;
  starts_at: number;
  ends_at: number;
  weight: number;
  is_sample: number;
  created_at: number;
}

export interface WeatherObservationTable {
  place_id: string;
  place_name: string;
  position: number;
  sky: string;
  temperature: number | null;
  observed_at: number;
  source: string;
  fetched_at: number;
}

export interface Database {
  sections: SectionTable;
  authors: AuthorTable;
  photos: PhotoTable;
  articles: ArticleTable;
  article_authors: ArticleAuthorTable;
  article_photos: ArticlePhotoTable;
  tags: TagTable;
  article_tags: ArticleTagTable;
  banners: BannerTable;
  weather_observations: WeatherObservationTable;
}
