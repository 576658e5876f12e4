/** A piece of text, marked when it is one of the words a reader searched for. */
export interface Marked {
  text: string;
  mark: boolean;
}

/**
 * Splits `text` into marked and unmarked pieces: every occurrence of a highlight (compared
 * without case) is marked, longer highlights first where they overlap.
 */
export function highlight(text: string, highlights: readonly string[]): Marked[] {
  const wanted = [...new Set(highlights.map((h) => h.toLowerCase()).filter((h) => h !== ''))].sort(
    (a, b) => b.length - a.length,
  );
  if (wanted.length === 0 || text === '') return text === '' ? [] : [{ text, mark: false }];
  const lower = text.toLowerCase();
  // toLowerCase keeps lengths for Hangul, digits and ASCII; when it does not, mark nothing.
  if (lower.length !== text.length) return [{ text, mark: false }];
  const out: Marked[] = [];
  let plain = 0;
  let i = 0;
  while (i < text.length) {
    const found = wanted.find((h) => lower.startsWith(h, i));
    if (found === undefined) {
      i++;
      continue;
    }
    if (i > plain) out.push({ text: text.slice(plain, i), mark: false });
    out.push({ text: text.slice(i, i + found.length), mark: true });
    i += found.length;
    plain = i;
  }
  if (plain < text.length) out.push({ text: text.slice(plain), mark: false });
  return out;
}

/**
 * About `length` characters of `text` around the first highlight (the start when none
 * occurs), cut at spaces, with ellipses where text was left out.
 */
export function excerpt(text: string, highlights: readonly string[], length = 150): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= length) return clean;
  const lower = clean.toLowerCase();
  const positions = highlights.map((h) => lower.indexOf(h.toLowerCase())).filter((p) => p >= 0);
  const first = positions.length === 0 ? 0 : Math.min(...positions);
  let start = Math.max(0, first - Math.floor(length / 4));
  if (start > 0) {
    const space = clean.indexOf(' ', start);
    if (space !== -1 && space < first) start = space + 1;
  }
  let end = Math.min(clean.length, start + length);
  if (end < clean.length) {
    const space = clean.lastIndexOf(' ', end);
    if (space > start + length / 2) end = space;
  }
  // Never split a surrogate pair at either edge.
  if (/[\udc00-\udfff]/.test(clean[start] ?? '')) start++;
  if (/[\ud800-\udbff]/.test(clean[end - 1] ?? '')) end--;
  return `${start > 0 ? '… ' : ''}${clean.slice(start, end)}${end < clean.length ? ' …' : ''}`;
}
