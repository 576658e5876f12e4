/**
 * Parses a public numeric id from a URL segment. Anything that is not a plain positive
 * integer within the safe range is `null`, so malformed ids become 404s, never 500s.
 */
export function parsePositiveInt(
  value: string | undefined,
  max = Number.MAX_SAFE_INTEGER,
): number | null {
  if (value === undefined || !/^[1-9][0-9]{0,15}$/.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) && n <= max ? n : null;
}

/** The largest id a row can have: id columns are 32-bit integers on PostgreSQL. */
export const MAX_ROW_ID = 2_147_483_647;

/** A row id from a URL, query or form field; null for anything no row can have. */
export function parseRowId(value: unknown): number | null {
  return typeof value === 'string' ? parsePositiveInt(value, MAX_ROW_ID) : null;
}

/**
 * A URL slug. Hangul is kept (Korean readers share Korean URLs); punctuation becomes
 * hyphens. The article number, not the slug, identifies an article.
 */
export function slugify(text: string, maxLength = 60): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{Letter}\p{Number}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/g, '');
}
