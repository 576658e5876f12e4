import { formatKstDateTime } from '../../shared/kst.ts';
import { escapeHtml } from '../jsx/jsx-runtime.ts';
import type { FeedItem } from './model.ts';

/**
 * Corrections travel with the item, in its summary and its full text alike, ahead of the
 * article as on the page: a reader of the feed sees what the paper corrected.
 */
export function summaryWithNotices(item: FeedItem): string {
  const notices = (item.notices ?? []).map(
    (n) => `[${n.label} ${formatKstDateTime(n.at)}] ${n.body}`,
  );
  return [...notices, item.summary].filter((t) => t !== '').join('\n\n');
}

export function contentWithNotices(item: FeedItem, html: string): string {
  const notices = (item.notices ?? []).map(
    (n) =>
      `<p class="notice"><strong>${escapeHtml(n.label)}</strong> (${formatKstDateTime(n.at)}) ${escapeHtml(n.body)}</p>`,
  );
  return notices.length === 0 ? html : `<aside class="notices">${notices.join('')}</aside>${html}`;
}
