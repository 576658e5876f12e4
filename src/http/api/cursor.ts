import { MAX_ROW_ID } from '../../shared/ids.ts';

/**
 * Opaque page cursors: base64url of `v1.<kind>.<numbers>`. A client only passes back what
 * it was given; anything else, from a truncated copy to a cursor of another list, is
 * refused as a whole (null) rather than read in part.
 */
export type CursorKind = 'articles' | 'authors';

const ARITY: Readonly<Record<CursorKind, number>> = { articles: 2, authors: 1 };
const MAX_LENGTH = 200;

export function encodeCursor(kind: CursorKind, values: readonly number[]): string {
  return Buffer.from(`v1.${kind}.${values.join('.')}`, 'utf8').toString('base64url');
}

export function decodeCursor(kind: CursorKind, text: string): number[] | null {
  if (text.length === 0 || text.length > MAX_LENGTH || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  const decoded = Buffer.from(text, 'base64url').toString('utf8');
  const parts = decoded.split('.');
  if (parts.length !== 2 + ARITY[kind] || parts[0] !== 'v1' || parts[1] !== kind) return null;
  const values = parts.slice(2).map((p) => (/^(0|[1-9][0-9]{0,15})$/.test(p) ? Number(p) : NaN));
  if (values.some((v) => !Number.isSafeInteger(v))) return null;
  // The last number is always a row id.
  const last = values.at(-1) ?? 0;
  return last >= 1 && last <= MAX_ROW_ID ? values : null;
}
