/**
 * Banner rotation and impressions. The server renders every banner a slot may show with
 * its weight, one visible; here each reader gets a fresh pick by weight (so a cached page
 * still rotates), and the shown banner is reported once it is half on screen.
 */
export function runBannerSlots(
  doc: Document,
  nav: Navigator,
  random: () => number = Math.random,
): void {
  for (const slot of Array.from(doc.querySelectorAll<HTMLElement>('[data-banner-slot]'))) {
    const items = Array.from(slot.querySelectorAll<HTMLElement>('.banner-item[data-banner-id]'));
    const chosen = pick(items, random);
    if (chosen === undefined) continue;
    for (const item of items) item.hidden = item !== chosen;
    const frame = chosen.querySelector<HTMLIFrameElement>('iframe[data-src]');
    if (frame !== null && frame.dataset.src !== undefined) frame.src = frame.dataset.src;
    reportWhenSeen(chosen, () => send(nav, chosen.dataset.bannerId ?? ''));
  }
}

function pick(items: HTMLElement[], random: () => number): HTMLElement | undefined {
  const weightOf = (el: HTMLElement) => Math.max(0, Number(el.dataset.weight) || 0);
  const total = items.reduce((sum, el) => sum + weightOf(el), 0);
  if (total <= 0) return items[0];
  let point = random() * total;
  for (const item of items) {
    point -= weightOf(item);
    if (point < 0) return item;
  }
  return items[items.length - 1];
}

function reportWhenSeen(el: HTMLElement, report: () => void): void {
  if (typeof IntersectionObserver !== 'function') {
    report();
    return;
  }
  const observer = new IntersectionObserver(
    (entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        observer.disconnect();
        report();
      }
    },
    { threshold: 0.5 },
  );
  observer.observe(el);
}

function send(nav: Navigator, id: string): void {
  if (!/^\d{1,12}$/.test(id)) return;
  const url = `/ad/view?b=${id}`;
  if (typeof nav.sendBeacon === 'function' && nav.sendBeacon(url)) return;
  void fetch(url, { method: 'POST', keepalive: true, credentials: 'omit' }).catch(() => {});
}
