/**
 * How a photo's files are named. One row in `photos` stores the key of the fallback (JPEG,
 * or PNG when the photo has transparency) and the widths of the WebP renditions stored
 * beside it: `photos/2025/12/3f9a…c1.jpg` has `photos/2025/12/3f9a…c1-640.webp` and so on.
 * The same scheme serves demo photos (`demo/0001.jpg` + `demo/0001-480.webp`), so pages
 * render photos from either source the same way.
 */

/** WebP widths made for an uploaded photo: phone, tablet/column, desktop, retina desktop. */
export const RENDITION_WIDTHS: readonly number[] = [320, 640, 1024, 1600];

/** The fallback `<img src>` is never wider than the widest rendition. */
export const FALLBACK_MAX_WIDTH = 1600;

/** The WebP rendition key for a width, stored beside the fallback. */
export function renditionKey(key: string, width: number): string {
  return key.replace(/\.[a-z]+$/, `-${width}.webp`);
}

export function parseVariants(variants: string): number[] {
  return variants
    .split(',')
    .map((w) => Number(w))
    .filter((w) => Number.isInteger(w) && w > 0)
    .sort((a, b) => a - b);
}

/**
 * The rendition widths for a picture `width` pixels wide: the standard widths it can fill
 * without upscaling (upscaled pixels cost bytes and show nothing new), or the picture's
 * own width when it is narrower than all of them, so every photo has at least one.
 */
export function renditionWidthsFor(width: number): number[] {
  const fitting = RENDITION_WIDTHS.filter((w) => w <= width);
  return fitting.length > 0 ? fitting : [Math.max(1, Math.round(width))];
}

export interface PhotoSource {
  src: string;
  width: number;
}

/** The WebP sources of a stored photo, narrowest first, as public URLs. */
export function photoSources(
  key: string,
  variants: string | readonly number[],
  url: (key: string) => string,
): PhotoSource[] {
  const widths = typeof variants === 'string' ? parseVariants(variants) : [...variants];
  return widths.map((width) => ({ src: url(renditionKey(key, width)), width }));
}

/** A `srcset` attribute value: `url 320w, url 640w`. */
export function srcsetOf(sources: readonly PhotoSource[]): string {
  return sources.map((s) => `${s.src} ${s.width}w`).join(', ');
}
