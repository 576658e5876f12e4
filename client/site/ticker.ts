/** How long each line of places stays before the next one rolls up. */
export const TICKER_LINE_MS = 4000;

/**
 * The weather ticker turns line by line. The places wrap onto lines as wide as the
 * viewport holds whole places, and the viewport shows one line: moving by whole lines
 * means a place is either shown in full or not at all, never cut at an edge. It stops
 * while the reader points at it or tabs into it, when the tab is hidden, and for readers
 * who asked for less motion.
 */
export function runTicker(doc: Document, win: Window): void {
  const list = doc.querySelector<HTMLElement>('[data-ticker]');
  const viewport = list?.parentElement;
  if (list === null || list === undefined || viewport === null || viewport === undefined) return;
  if (win.matchMedia('(prefers-reduced-motion: reduce)').matches) return;

  let line = 0;
  let held = false;
  /** The top of each line below the first, from the places' own positions. */
  const lineTops = (): number[] => {
    const items = [...list.children] as HTMLElement[];
    const first = items[0]?.offsetTop ?? 0;
    return [...new Set(items.map((item) => item.offsetTop - first))].sort((a, b) => a - b);
  };
  const show = (index: number, animate: boolean) => {
    const tops = lineTops();
    line = tops.length === 0 ? 0 : index % tops.length;
    list.classList.toggle('is-rolling', animate && line !== 0);
    list.style.transform = line === 0 ? '' : `translateY(${-(tops[line] ?? 0)}px)`;
  };
  const hold = (on: boolean) => () => {
    held = on;
  };
  viewport.addEventListener('pointerenter', hold(true));
  viewport.addEventListener('pointerleave', hold(false));
  viewport.addEventListener('focusin', hold(true));
  viewport.addEventListener('focusout', hold(false));
  // Nothing here reads layout before the first frame: a read now would force the page's
  // whole first layout inside this script, one long task before the page can answer a
  // tap (Lighthouse's forced-reflow and total-blocking-time). The first line needs no
  // transform; the observer reports the width after layout, and a change of width
  // starts again from the first line, since the places wrap anew.
  if (typeof ResizeObserver === 'function') {
    let width: number | null = null;
    new ResizeObserver((entries) => {
      const now = entries[0]?.contentRect.width ?? null;
      if (width !== null && now !== width) show(0, false);
      width = now;
    }).observe(viewport);
  }
  win.setInterval(() => {
    if (held || doc.hidden) return;
    show(line + 1, true);
  }, TICKER_LINE_MS);
}
