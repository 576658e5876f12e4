import { STATUS_LABELS, type DeskListItem } from '../../../domains/newsroom/index.ts';
import type { ArticleRowView } from '../../../views/admin/ArticleTable.tsx';

/**
 * A desk list row for the article tables: a published piece due later reads 예약 송고, a
 * draft the desk sent back reads 반려 with the desk's comment.
 */
export function articleRow(row: DeskListItem, now: number): ArticleRowView {
  const scheduled = row.status === 'published' && row.publishedAt !== null && row.publishedAt > now;
  if (row.sentBack !== null) return { ...row, statusKey: 'sent-back', statusLabel: '반려' };
  const key = scheduled ? 'scheduled' : row.status;
  return { ...row, statusKey: key, statusLabel: STATUS_LABELS[key] };
}
