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
} as const satisfies Record<string, CacheTag | ((id: number) => CacheTag)>;

/** What every page shows whatever its content; a page in the cache carries all of them. */
export const LAYOUT_TAGS: readonly CacheTag[] = [tag.sections, tag.banners, tag.weather];

/**
 * Tags a change to an article touches: its page, every listing of its section, the front
 * page, and the photo-story boxes when it is (or was) a photo story.
 */
export function articleChangeTags(
  articleId: number,
  sectionId: number,
  isPhotoStory: boolean,
): CacheTag[] {
  const tags = [tag.article(articleId), tag.section(sectionId), tag.front];
  if (isPhotoStory) tags.push(tag.photoStories);
  return tags;
}
