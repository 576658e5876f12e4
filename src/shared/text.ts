const segmenter = new Intl.Segmenter('ko', { granularity: 'grapheme' });

/**
 * Cuts text to at most `max` user-perceived characters (grapheme clusters), so a Hangul
 * syllable, an emoji or a combining sequence is never split, and appends an ellipsis
 * when something was cut. Prefers to end at a space when one is near the limit.
 */
export function cutText(text: string, max: number, ellipsis = '…'): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const graphemes: string[] = [];
  for (const { segment } of segmenter.segment(clean)) {
    graphemes.push(segment);
    if (graphemes.length > max) break;
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
