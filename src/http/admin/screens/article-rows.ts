import { STATUS_LABELS, type DeskListItem } from '../../../domains/newsroom/index.ts';
import type { ArticleRowView } from '../../../views/admin/ArticleTable.tsx';

/** A desk list row for the article tables; a published piece due later reads 예약 송고. */
export function articleRow(row: DeskListItem, now: number): ArticleRowView {
  const scheduled = row.status === 'published' && row.publishedAt !== null && row.publishedAt > now;
  const key = scheduled ? 'scheduled' : row.status;
  return { ...row, statusKey: key, statusLabel: STATUS_LABELS[key] };
}
