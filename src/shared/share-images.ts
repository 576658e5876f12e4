import { createHash } from 'node:crypto';

/**
 * The addresses of the pictures shares and search engines are given: a photo cropped
 * around its focal point to a fixed shape, or a generated card (the paper's name and an
 * article's title) when there is no photo. Pages build these URLs and the routes that make
 * the pictures check them, so the scheme lives here, in one place.
 *
 * Every URL carries a version: a hash of what the picture is made from (the photo file
 * and its focal point; the title and the paper's name). A changed focal point or title
 * gives a new URL, so the pictures can be cached for a year by browsers, CDNs and
 * KakaoTalk, and a stale one is never shown under a current address. The photo version
 * hashes the photo's storage key, which only its published pages reveal, so a photo of an
 * article not out yet cannot be fetched by guessing its number.
 */

/** 1200 px wide: what Google Discover, Facebook, KakaoTalk and X ask for. */
export const SHARE_SIZES = {
  /** OpenGraph and Twitter cards (1.91:1). */
  og: { width: 1200, height: 630 },
  '16x9': { width: 1200, height: 675 },
  '4x3': { width: 1200, height: 900 },
  '1x1': { width: 1200, height: 1200 },
} as const;

export type ShareSize = keyof typeof SHARE_SIZES;

/** The shapes Google's Article guidelines ask for in `image`: 16:9, 4:3 and 1:1. */
export const STRUCTURED_DATA_SIZES: readonly ShareSize[] = ['16x9', '4x3', '1x1'];

export function isShareSize(value: string): value is ShareSize {
  return Object.hasOwn(SHARE_SIZES, value);
}

/** Bump when the card's design changes: every card gets a new address. */
const CARD_DESIGN = 'card-1';

/** The paper's square logo (PNG), for `publisher.logo` in structured data. */
export const LOGO_PATH = '/image/logo.png';
export const LOGO_SIZE = 512;

/** 12 characters of base64url SHA-256: 72 bits, not guessable. */
export function shareVersion(...parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 12);
}

/** A focal coordinate as stored (three decimals), the centre when unset. */
export function focalText(value: number | undefined): string {
  const v = value === undefined || !Number.isFinite(value) ? 0.5 : Math.min(1, Math.max(0, value));
  return v.toFixed(3);
}

export interface CroppablePhoto {
  id: number;
  /** The public URL of the stored photo; its key makes the version. */
  src: string;
  focalX?: number;
  focalY?: number;
}

export function photoCropVersion(photo: CroppablePhoto): string {
  return shareVersion(photo.src, focalText(photo.focalX), focalText(photo.focalY));
}

/** `/image/photo/12/og-<version>.jpg`: the photo cropped around its focal point, as JPEG. */
export function photoCropPath(photo: CroppablePhoto, size: ShareSize): string {
  return `/image/photo/${photo.id}/${size}-${photoCropVersion(photo)}.jpg`;
}

export function articleCardVersion(title: string, paperName: string): string {
  return shareVersion(CARD_DESIGN, paperName, title);
}

/** `/image/card/12/og-<version>.png`: the paper's card with the article's title. */
export function articleCardPath(
  articleId: number,
  title: string,
  paperName: string,
  size: ShareSize,
): string {
  return `/image/card/${articleId}/${size}-${articleCardVersion(title, paperName)}.png`;
}

export function siteCardVersion(paperName: string): string {
  return shareVersion(CARD_DESIGN, paperName);
}

/** `/image/card/site/og-<version>.png`: the paper's card for pages about no one article. */
export function siteCardPath(paperName: string, size: ShareSize = 'og'): string {
  return `/image/card/site/${size}-${siteCardVersion(paperName)}.png`;
}

/** Reads `og-AbC123…` (a file name without its extension) as a size and a version. */
export function parseShareFile(
  file: string,
  extension: 'jpg' | 'png',
): { size: ShareSize; version: string } | null {
  const match = /^([a-z0-9]+)-([A-Za-z0-9_-]{12})\.([a-z]+)$/.exec(file);
  if (match === null || match[3] !== extension) return null;
  const size = match[1] ?? '';
  if (!isShareSize(size)) return null;
  return { size, version: match[2] ?? '' };
}
