import { isSafeKey } from '../media/index.ts';

const MEDIA_ATTRIBUTE = /\b(src|srcset)="([^"]*)"/g;
const MEDIA_PATH = /(^|[\s,])\/media\/([a-z0-9][a-z0-9/_.-]*)/g;

/**
 * The body with its `/media/…` pictures at their public URLs. Bodies keep site-relative
 * paths (what the editor inserts, what an archive moved to a bucket still names), so a
 * CDN can be set or changed without rewriting a single stored article.
 */
export function withMediaUrls(cleanHtml: string, mediaUrl: (key: string) => string): string {
  if (!cleanHtml.includes('/media/') || mediaUrl('a.jpg') === '/media/a.jpg') return cleanHtml;
  return cleanHtml.replace(MEDIA_ATTRIBUTE, (whole, name: string, value: string) => {
    const moved = value.replace(MEDIA_PATH, (path, before: string, key: string) =>
      isSafeKey(key) ? before + mediaUrl(key) : path,
    );
    return moved === value ? whole : `${name}="${moved}"`;
  });
}
