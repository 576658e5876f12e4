import { ARTICLE_ORIGINS, type ArticleOrigin } from '../../shared/article-origins.ts';
import { formatKstDateTime } from '../../shared/kst.ts';

export interface ArticleRowView {
  id: number;
  title: string;
  statusLabel: string;
  statusKey: string;
  sectionName: string;
  /** 기사 구분: 자체기사, 통신, 보도자료, 기고, 광고성 기사. */
  origin: ArticleOrigin;
  ownerName: string | null;
  publishedAt: number | null;
  updatedAt: number;
  embargoUntil: number | null;
  /** The desk's 반려 comment on a draft that came back. */
  sentBack: { comment: string; by: string | null; at: number } | null;
}

export function ArticleTable({ rows }: { rows: ArticleRowView[] }) {
  if (rows.length === 0) return <p class="empty">해당하는 기사가 없습니다.</p>;
  return (
    <table class="admin-table">
      <thead>
        <tr>
          <th scope="col">제목</th>
          <th scope="col">상태</th>
          <th scope="col">섹션</th>
          <th scope="col">구분</th>
          <th scope="col">작성</th>
          <th scope="col">수정</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr>
            <td>
              <a href={`/admin/articles/${r.id}`}>{r.title || '(제목 없음)'}</a>
              {r.embargoUntil !== null ? (
                <span class="badge badge-embargo">엠바고 {formatKstDateTime(r.embargoUntil)}</span>
              ) : null}
            </td>
            <td>
              <span class={`status status-${r.statusKey}`}>{r.statusLabel}</span>
              {r.statusKey === 'scheduled' && r.publishedAt !== null ? (
                <small> {formatKstDateTime(r.publishedAt)}</small>
              ) : null}
              {r.sentBack !== null ? (
                <p class="sent-back-note">
                  {r.sentBack.comment}
                  <small>
                    {' '}
                    — {r.sentBack.by ?? '데스크'}, {formatKstDateTime(r.sentBack.at)}
                  </small>
                </p>
              ) : null}
            </td>
            <td>{r.sectionName}</td>
            <td>
              <span class={`origin origin-${r.origin}`}>{ARTICLE_ORIGINS[r.origin]}</span>
            </td>
            <td>{r.ownerName ?? '-'}</td>
            <td>
              <time>{formatKstDateTime(r.updatedAt)}</time>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
