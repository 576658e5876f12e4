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
    figure: ['class'],
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
