/**
 * Cache tags as a CDN sees them: on a page in `Cache-Tag` (Cloudflare, comma-separated) or
 * `Surrogate-Key` (Fastly, Varnish; space-separated), and in purge requests. The app's own
 * tags (shared/cache-tags) are short ASCII already; this module adds the site's prefix,
 * keeps each tag and each header within what every CDN accepts, and says which extra tag a
 * purge must name so that a page whose header had to be cut is purged too.
 */

/** The longest tag sent (Cloudflare and Fastly take 1,024 bytes; longer ones are hashed). */
export const EDGE_TAG_MAX_BYTES = 64;

/**
 * The default budget of one tag header. Cloudflare and Fastly take 16 KB, but a proxy in
 * front of the app refuses a response whose headers outgrow its buffer (nginx: 4 KB unless
 * proxy_buffer_size is raised), so a page keeps well below both.
 */
export const EDGE_TAG_HEADER_BYTES = 3000;

/** Kinds of tags that name one row (article:12); the others name one thing (front). */
const ID_KINDS = new Set(['article', 'section', 'photo', 'author', 'byline', 'topic', 'series']);

const PLAIN = /^[a-z0-9][a-z0-9:._-]*$/;

/** FNV-1a of the text in base 36: a stable short stand-in for an unusual tag. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

/**
 * A tag as sent to the CDN: the site's prefix and the tag; anything outside lower-case
 * ASCII letters, digits and `:._-`, or too long, becomes `h:<hash>` (CDNs compare tags
 * case-insensitively, and a comma or space would split it).
 */
export function edgeTag(tag: string, prefix = ''): string {
  const spelled = `${prefix}${tag}`;
  if (PLAIN.test(tag) && spelled.length <= EDGE_TAG_MAX_BYTES) return spelled;
  return `${prefix}h:${shortHash(tag)}`;
}

/**
 * The tag that stands for every tag of `tag`'s kind on a page whose header was cut
 * (`article:12` → `article:any`); null for tags that name one thing.
 */
export function kindTag(tag: string): string | null {
  const colon = tag.indexOf(':');
  if (colon <= 0) return null;
  const kind = tag.slice(0, colon);
  return ID_KINDS.has(kind) ? `${kind}:any` : null;
}

export interface TagHeaderOptions {
  prefix?: string;
  /** ',' for Cache-Tag, ' ' for Surrogate-Key. */
  separator: ',' | ' ';
  maxBytes?: number;
}

/**
 * A page's tag header. When all tags do not fit, the first ones are kept (a page lists its
 * own tags first) and every kind that lost a tag is named by its kind tag instead, so a
 * purge of any tag of that kind still reaches the page (see `purgeTagsFor`).
 */
export function tagHeaderValue(tags: readonly string[], options: TagHeaderOptions): string {
  const prefix = options.prefix ?? '';
  const max = options.maxBytes ?? EDGE_TAG_HEADER_BYTES;
  const sep = options.separator;
  const spelled = [...new Set(tags)].map((t) => ({ tag: t, edge: edgeTag(t, prefix) }));
  const all = [...new Set(spelled.map((s) => s.edge))];
  const whole = all.join(sep);
  if (whole.length <= max) return whole;
  const kinds = [...new Set(spelled.flatMap((s) => kindTag(s.tag) ?? []))].map((k) =>
    edgeTag(k, prefix),
  );
  // Room for every kind tag is kept aside first, so the result never outgrows `max`.
  let room = max - kinds.reduce((n, k) => n + k.length + 1, 0);
  const kept = new Set<string>();
  const cut = new Set<string>();
  for (const s of spelled) {
    if (kept.has(s.edge)) continue;
    const kind = kindTag(s.tag);
    if (kind !== null && s.edge.length + 1 <= room) {
      kept.add(s.edge);
      room -= s.edge.length + 1;
    } else if (kind !== null) {
      cut.add(edgeTag(kind, prefix));
    } else {
      // Tags naming one thing (front, sections, …) are few and always kept.
      kept.add(s.edge);
      room -= s.edge.length + 1;
    }
  }
  return [...kept, ...kinds.filter((k) => cut.has(k))].join(sep);
}

/**
 * The edge tags a purge of `tags` must name: each tag, and for tags of a row its kind tag,
 * which only pages with a cut header carry.
 */
export function purgeTagsFor(tags: readonly string[], prefix = ''): string[] {
  const out = new Set<string>();
  for (const t of tags) {
    out.add(edgeTag(t, prefix));
    const kind = kindTag(t);
    if (kind !== null) out.add(edgeTag(kind, prefix));
  }
  return [...out];
}
