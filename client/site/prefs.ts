/**
 * What the reader chose, kept in this browser only (never sent to the server). The keys
 * and the KST day are read before the first paint by the inline script in
 * src/views/head-script.ts, which must agree with these.
 */
export const FONT_SIZE_KEY = 'tamna:font-size';
export const STICKY_CLOSED_KEY = 'tamna:sticky-closed';

/** Font size steps (html[data-font-size]); 2 is the site's own size. */
export const FONT_STEPS = 5;
export const DEFAULT_FONT_STEP = 2;

/** Today in Korea, YYYY-MM-DD: a closed banner stays closed until KST midnight. */
export function kstDay(now: number): string {
  return new Date(now + 9 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

/** localStorage that may be missing or refuse (private modes, full quota): then nothing is kept. */
export function remember(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Kept for this page only.
  }
}
