import {
  articleCardPath,
  photoCropPath,
  SHARE_SIZES,
  siteCardPath,
  STRUCTURED_DATA_SIZES,
} from '../shared/share-images.ts';
import type { ChromeView, PageMeta, PhotoView } from './model.ts';

/** A picture as OpenGraph and Twitter cards describe it. */
export interface ShareImage {
  url: string;
  width: number;
  height: number;
  alt: string;
  type: 'image/jpeg' | 'image/png';
}

export function absoluteUrl(siteUrl: string, pathOrUrl: string): string {
  return /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : siteUrl + pathOrUrl;
}

const photoType = (src: string): ShareImage['type'] =>
  /\.png$/i.test(src) ? 'image/png' : 'image/jpeg';

/**
 * What a share of the page shows, always 1200 px wide: the page's photo cropped around
 * its focal point, else the article's card (its title on the paper's card), else the
 * paper's own card. A photo without a stored id (test data) is given as it is.
 */
export function shareImageOf(chrome: ChromeView, meta: PageMeta): ShareImage {
  const { width, height } = SHARE_SIZES.og;
  const photo = meta.image;
  if (photo != null) {
    const alt = photo.alt || photo.caption || meta.title;
    if (photo.id === undefined)
      return {
        url: absoluteUrl(chrome.siteUrl, photo.src),
        width: photo.width,
        height: photo.height,
        alt,
        type: photoType(photo.src),
      };
    return {
      url: absoluteUrl(chrome.siteUrl, photoCropPath({ ...photo, id: photo.id }, 'og')),
      width,
      height,
      alt,
      type: 'image/jpeg',
    };
  }
  const name = chrome.publisher.name;
  if (meta.card !== undefined)
    return {
      url: absoluteUrl(
        chrome.siteUrl,
        articleCardPath(meta.card.articleId, meta.card.title, name, 'og'),
      ),
      width,
      height,
      alt: meta.card.title,
      type: 'image/png',
    };
  return {
    url: absoluteUrl(chrome.siteUrl, siteCardPath(name)),
    width,
    height,
    alt: name,
    type: 'image/png',
  };
}

/**
 * The three pictures Google's Article guidelines ask for (16:9, 4:3, 1:1, 1200 px wide):
 * crops of the photo, else of the article's card.
 */
export function structuredDataImages(
  chrome: ChromeView,
  photo: PhotoView | null | undefined,
  card: { articleId: number; title: string },
): string[] {
  return STRUCTURED_DATA_SIZES.map((size) =>
    absoluteUrl(
      chrome.siteUrl,
      photo?.id !== undefined
        ? photoCropPath({ ...photo, id: photo.id }, size)
        : articleCardPath(card.articleId, card.title, chrome.publisher.name, size),
    ),
  );
}
