const segmenter = new Intl.Segmenter('ko', { granularity: 'grapheme' });

/**
 * Characters that are each a whole grapheme on their own: ASCII, Latin-1 and spacing
 * modifiers (combining marks start at U+0300), general punctuation without the zero-width
 * joiners, arrows, enclosed numbers, shapes, CJK punctuation, compatibility jamo, CJK
 * units (㎞), Hanja and precomposed Hangul syllables, full-width forms. Conjoining jamo,
 * combining marks, variation selectors and surrogate pairs (emoji) are not in it.
 */
const ONE_UNIT_GRAPHEMES =
  /^[\u0020-\u007e\u00a0-\u02ff\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2460-\u24ff\u25a0-\u25ff\u3000-\u303f\u3131-\u318e\u3200-\u33ff\u4e00-\u9fff\uac00-\ud7a3\uff01-\uffee]*$/;

/**
 * Cuts text to at most `max` user-perceived characters (grapheme clusters), so a Hangul
 * syllable, an emoji or a combining sequence is never split, and appends an ellipsis
 * when something was cut. Prefers to end at a space when one is near the limit.
 */
export function cutText(text: string, max: number, ellipsis = '…'): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const graphemes: string[] = [];
  if (ONE_UNIT_GRAPHEMES.test(clean)) {
    // Fast path for ordinary Korean text: the segmenter costs more than a page's queries.
    for (let i = 0; i <= max && i < clean.length; i++) graphemes.push(clean[i] as string);
  } else {
    for (const { segment } of segmenter.segment(clean)) {
      graphemes.push(segment);
      if (graphemes.length > max) break;
    }
  }
  if (graphemes.length <= max) return clean;
  let cut = graphemes.slice(0, max);
  const lastSpace = cut.lastIndexOf(' ');
  if (lastSpace >= max * 0.8) cut = cut.slice(0, lastSpace);
  return cut.join('').replace(/[\s.,·…]+$/u, '') + ellipsis;
}

/** Plain text from stored (already cleaned) HTML, for teasers and meta descriptions. */
export function htmlToText(html: string): string {
  return html
    .replace(/<figure[\s\S]*?<\/figure>/gi, ' ')
    .replace(/<(br|\/p|\/h[1-6]|\/li|\/blockquote)\s*\/?>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0?39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Plain-text fields (titles, ledes, tags, SEO text) hold no markup: tags are removed
 * before storing, with the content of script and style blocks. Entities stay as typed;
 * output escaping happens when the text is rendered.
 */
export function stripTags(text: string): string {
  return text
    .replace(/<(script|style|iframe|object|svg|math|template)\b[\s\S]*?(<\/\1\s*>|$)/gi, '')
    .replace(/<\/?[a-z!][^>]*>?/gi, '');
}

/**
 * Splits cleaned article HTML after its n-th top-level paragraph, for the in-article
 * banner. Paragraphs inside quotes, lists and figures do not count, so the banner never
 * lands inside one. Returns null when the body has fewer than n + 1 top-level blocks after
 * that point (a banner at the very end is the slot below the article, not this one).
 */
export function splitAfterParagraph(html: string, n: number): [string, string] | null {
  if (!Number.isInteger(n) || n < 1) return null;
  const tag = /<(\/?)(p|blockquote|ul|ol|figure|table|div)\b[^>]*>/gi;
  let depth = 0;
  let seen = 0;
  for (let m = tag.exec(html); m !== null; m = tag.exec(html)) {
    const closing = m[1] === '/';
    const name = (m[2] ?? '').toLowerCase();
    if (name === 'p') {
      if (closing && depth === 0 && ++seen === n) {
        const at = m.index + m[0].length;
        const rest = html.slice(at);
        return rest.trim() === '' ? null : [html.slice(0, at), rest];
      }
      continue;
    }
    depth += closing ? -1 : 1;
    if (depth < 0) depth = 0;
  }
  return null;
}

// C0/C1 controls other than tab and newline: never stored from a form.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text typed into a form, made fit to store: NFC (macOS sends decomposed Hangul), no
 * control characters, trimmed; one line unless `multiline`, where runs of blank lines
 * become one.
 */
export function cleanFormText(value: string, options: { multiline?: boolean } = {}): string {
  const text = value.normalize('NFC').replace(/\r\n?/g, '\n').replace(CONTROL, '');
  if (options.multiline !== true) return text.replace(/\s+/g, ' ').trim();
  return text
    .split('\n')
    .map((line) => line.replace(/[^\S\n]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
