/**
 * Counts one reading of an article page: a beacon to the server, which works the same
 * for pages served from the page cache or a CDN. A page the browser only prerenders or
 * prefetches is not a reading until the reader actually opens it.
 */
export function countArticleView(doc: Document, nav: Navigator): void {
  const id = doc.querySelector<HTMLMetaElement>('meta[name="tamna:article-id"]')?.content ?? '';
  if (!/^\d{1,12}$/.test(id)) return;
  const send = () => {
    const url = `/beacon/view?a=${id}`;
    if (typeof nav.sendBeacon === 'function' && nav.sendBeacon(url)) return;
    void fetch(url, { method: 'POST', keepalive: true, credentials: 'omit' }).catch(() => {});
  };
  // document.prerendering is newer than the DOM lib this bundle targets.
  const prerendering = (doc as Document & { prerendering?: boolean }).prerendering === true;
  if (prerendering) doc.addEventListener('prerenderingchange', send, { once: true });
  else send();
}
