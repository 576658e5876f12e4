import sanitizeHtml from 'sanitize-html';

/**
 * The allowlist for stored article bodies. Everything that reaches the database passes
 * through here, so nothing a writer (or an import) supplies can run script on the site.
 */
const YOUTUBE_EMBED =
  /^https:\/\/www\.youtube-nocookie\.com\/embed\/[A-Za-z0-9_-]{11}(\?[\w=&;-]*)?$/;

const options: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'h2',
    'h3',
    'h4',
    'strong',
    'b',
    'em',
    'i',
    'u',
    's',
    'sub',
    'sup',
    'mark',
    'blockquote',
    'ul',
    'ol',
    'li',
    'a',
    'figure',
    'figcaption',
    'img',
    'picture',
    'source',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'caption',
    'hr',
    'span',
    'iframe',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel', 'target'],
    img: ['src', 'srcset', 'sizes', 'alt', 'width', 'height', 'loading', 'decoding'],
    source: ['srcset', 'sizes', 'type', 'media'],
    // The photo library's row: the desk links body photos and the first becomes featured.
    figure: ['class', 'data-photo-id'],
    span: ['class'],
    iframe: ['src', 'title', 'allowfullscreen', 'loading'],
    th: ['scope', 'colspan', 'rowspan'],
    td: ['colspan', 'rowspan'],
  },
  allowedClasses: { figure: ['photo', 'wide', 'video'], span: ['credit'] },
  // Video embeds: only YouTube's privacy-enhanced player, only its embed path.
  allowedIframeHostnames: ['www.youtube-nocookie.com'],
  allowIframeRelativeUrls: false,
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  exclusiveFilter: (frame) =>
    frame.tag === 'iframe' && !YOUTUBE_EMBED.test(frame.attribs.src ?? ''),
  transformTags: {
    // Only a positive integer survives as a photo id; anything else is dropped.
    figure: (tagName, attribs) => {
      const out: Record<string, string> = { ...attribs };
      const id = out['data-photo-id'];
      if (id !== undefined && !/^[1-9][0-9]{0,14}$/.test(id)) delete out['data-photo-id'];
      return { tagName, attribs: out };
    },
    iframe: (tagName, attribs) => ({
      tagName,
      attribs: {
        src: attribs.src ?? '',
        title: attribs.title || 'YouTube 동영상',
        allowfullscreen: '',
        loading: 'lazy',
      },
    }),
    // Links leaving the site must not hand the opener or a referrer-based ranking to others.
    a: (tagName, attribs) => {
      const out: Record<string, string> = { ...attribs };
      if (out.target === '_blank' || /^https?:/i.test(out.href ?? ''))
        out.rel = 'noopener noreferrer';
      if (out.target !== undefined && out.target !== '_blank') delete out.target;
      return { tagName, attribs: out };
    },
  },
};

export function cleanBodyHtml(html: string): string {
  return sanitizeHtml(html, options).trim();
}

/** A photo placed in a stored (cleaned) body, with the text shown under it. */
export interface BodyPhoto {
  id: number;
  caption: string;
  credit: string;
}

const FIGURE = /<figure\b([^>]*)>([\s\S]*?)<\/figure>/g;
const PHOTO_ID = /\bdata-photo-id="([1-9][0-9]{0,14})"/;
const FIGCAPTION = /<figcaption>([\s\S]*?)<\/figcaption>/;
const CREDIT = /<span class="credit">([\s\S]*?)<\/span>/;
const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&#x27;': "'",
  '&nbsp;': ' ',
};

/** Text of an HTML fragment as the cleaner writes it (tags dropped, its entities decoded). */
function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(?:amp|lt|gt|quot|nbsp|#39|#x27);/g, (e) => ENTITIES[e] ?? e)
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The library photos in a body, in reading order, each once (its first placement). Reads
 * only what cleanBodyHtml writes, where a figure never nests and attributes are quoted, so
 * patterns are enough and no second HTML parser is needed.
 */
export function bodyPhotos(cleanHtml: string): BodyPhoto[] {
  const seen = new Set<number>();
  const photos: BodyPhoto[] = [];
  for (const match of cleanHtml.matchAll(FIGURE)) {
    const idText = PHOTO_ID.exec(match[1] ?? '')?.[1];
    if (idText === undefined) continue;
    const id = Number(idText);
    if (!Number.isSafeInteger(id) || seen.has(id)) continue;
    seen.add(id);
    const figcaption = FIGCAPTION.exec(match[2] ?? '')?.[1] ?? '';
    const creditHtml = CREDIT.exec(figcaption)?.[1] ?? '';
    photos.push({
      id,
      caption: textOf(figcaption.replace(CREDIT, '')),
      credit: textOf(creditHtml),
    });
  }
  return photos;
}

const escapeText = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The body with each library photo's caption and credit replaced by `texts` (the library's),
 * in the shape the editor writes: one photo, one caption, wherever it was last edited.
 * Figures without an id, or whose photo is not in `texts`, are left as they are.
 */
export function withPhotoText(
  cleanHtml: string,
  texts: ReadonlyMap<number, { caption: string; credit: string }>,
): string {
  return cleanHtml.replace(FIGURE, (whole, attrs: string, inner: string) => {
    const id = Number(PHOTO_ID.exec(attrs)?.[1] ?? NaN);
    const text = texts.get(id);
    if (text === undefined) return whole;
    const parts: string[] = [];
    if (text.caption !== '') parts.push(escapeText(text.caption));
    if (text.credit !== '') parts.push(`<span class="credit">${escapeText(text.credit)}</span>`);
    const caption = parts.length === 0 ? '' : `<figcaption>${parts.join(' ')}</figcaption>`;
    return `<figure${attrs}>${inner.replace(FIGCAPTION, '')}${caption}</figure>`;
  });
}
