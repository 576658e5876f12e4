/**
 * Cache tags: the one place their spelling lives. A cached page carries the tags of what
 * it shows; the domain whose data changed announces the tags it touched, and every
 * page carrying one of them is dropped (here, and on other servers via the change feed).
 *
 * Tags travel through the change feed as one comma-joined string, so none may contain a
 * comma.
 */

export type CacheTag =
  | `article:${number}`
  | `section:${number}`
  | `photo:${number}`
  | `author:${number}`
  | `byline:${number}`
  | `topic:${string}`
  | `series:${number}`
  | 'front'
  | 'photo-stories'
  | 'sections'
  | 'banners'
  | 'weather'
  | 'policies';

export const tag = {
  /** The article's own page. */
  article: (id: number): CacheTag => `article:${id}`,
  /** Listings that show the section's articles: its pages, boxes on other pages. */
  section: (id: number): CacheTag => `section:${id}`,
  /** Pages that show the photo (its caption, credit or alt text). */
  photo: (id: number): CacheTag => `photo:${id}`,
  /** A byline's 기자 페이지 and feed: its profile and the list of its articles. */
  author: (id: number): CacheTag => `author:${id}`,
  /** Pages that print the byline (its name, title or e-mail): articles and lists. */
  byline: (id: number): CacheTag => `byline:${id}`,
  /** A tag's page (/tag/<name>): the articles it lists. */
  topic: (name: string): CacheTag => `topic:${topicKey(name)}`,
  /** A series' page and its parts' series boxes: its title, image and parts. */
  series: (id: number): CacheTag => `series:${id}`,
  /** The front page's arrangement and its lead stories. */
  front: 'front',
  /** The 와이드포토 boxes. */
  photoStories: 'photo-stories',
  // Layout: shown on every page, so every cached page carries these (LAYOUT_TAGS).
  /** The section tree: the navigation, and every page's section names. */
  sections: 'sections',
  /** Running banners and banner slot settings. */
  banners: 'banners',
  /** The weather ticker and the forecast page. */
  weather: 'weather',
  /** The policy pages (개인정보처리방침, 이용약관, …). */
  policies: 'policies',
} as const satisfies Record<
  string,
  CacheTag | ((id: number) => CacheTag) | ((name: string) => CacheTag)
>;

/**
 * A tag name as a short key safe in a cache tag (a tag name may hold commas, which the
 * change feed splits on): FNV-1a of its NFC form, in base 36. Two names sharing a key
 * only refresh each other's pages once too often.
 */
function topicKey(name: string): string {
  let hash = 0x811c9dc5;
  for (const unit of name.normalize('NFC')) {
    const code = unit.codePointAt(0) ?? 0;
    hash ^= code;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

/** What every page shows whatever its content; a page in the cache carries all of them. */
export const LAYOUT_TAGS: readonly CacheTag[] = [tag.sections, tag.banners, tag.weather];

/** What lists an article besides its section: the pages of its bylines and of its tags. */
export interface ArticleListings {
  authorIds: readonly number[];
  /** Tag names. */
  tags: readonly string[];
}

/**
 * Tags a change to an article touches: its page, every listing of its section, the front
 * page, the photo-story boxes when it is (or was) a photo story, and, when `listings` are
 * given, the 기자 페이지 of its bylines and the pages of its tags. An edit that changes
 * bylines or tags passes both the old and the new ones.
 */
export function articleChangeTags(
  articleId: number,
  sectionId: number,
  isPhotoStory: boolean,
  ...listings: ArticleListings[]
): CacheTag[] {
  const tags = new Set<CacheTag>([tag.article(articleId), tag.section(sectionId), tag.front]);
  if (isPhotoStory) tags.add(tag.photoStories);
  for (const l of listings) {
    for (const id of l.authorIds) tags.add(tag.author(id));
    for (const name of l.tags) tags.add(tag.topic(name));
  }
  return [...tags];
}

/**
 * Tags of articles revised by an edit made elsewhere (a photo's caption, a byline's name):
 * their pages and feeds, and the front page's tag, which the sitemap index and the news
 * sitemap carry for the dates they print.
 */
export function revisedArticleTags(articleIds: readonly number[]): CacheTag[] {
  return articleIds.length === 0 ? [] : [tag.front, ...new Set(articleIds.map(tag.article))];
}
