import { kstDay, remember, STICKY_CLOSED_KEY } from './prefs.ts';

/**
 * The phone's bottom banner bar closes with its 닫기 button and stays closed for the rest
 * of the KST day, on every page (the head script hides it before the first paint).
 */
export function runStickyClose(doc: Document, now: () => number = Date.now): void {
  const button = doc.querySelector<HTMLButtonElement>('[data-banner-close]');
  if (button === null) return;
  button.addEventListener('click', () => {
    doc.documentElement.classList.add('sticky-closed');
    remember(STICKY_CLOSED_KEY, kstDay(now()));
  });
}
