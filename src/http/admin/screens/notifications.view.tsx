import { formatKstDateTime } from '../../../shared/kst.ts';
import { renderDocument } from '../../../views/jsx/jsx-runtime.ts';
import { AdminLayout, Csrf } from '../../../views/admin/AdminLayout.tsx';
import type { AdminChrome } from '../../../views/admin/model.ts';

export interface NotificationsView {
  items: {
    id: number;
    kind: string;
    text: string;
    createdAt: number;
    read: boolean;
    /** Opening it leads somewhere: its article, its 기사제보, or the screen it is about. */
    opens: boolean;
  }[];
  mailConfigured: boolean;
}

const KIND_LABELS: Record<string, string> = {
  submitted: '송고',
  sent_back: '반려',
  published: '출고',
  scheduled: '예약 송고',
  webhook_disabled: '웹훅 중지',
  tip: '제보',
};

/** 알림: what reached this staff member's desk, newest first. */
export function renderNotifications(chrome: AdminChrome, view: NotificationsView): string {
  const unread = view.items.filter((n) => !n.read).length;
  return renderDocument(
    <AdminLayout chrome={chrome} title="알림">
      <div class="page-head">
        <h1>알림</h1>
        {unread > 0 ? (
          <form method="post" action="/admin/notifications/read">
            <Csrf token={chrome.csrfToken} />
            <button type="submit" class="button">
              모두 읽음으로 표시
            </button>
          </form>
        ) : null}
      </div>
      <p class="hint">
        데스크는 송고된 기사와 독자의 기사제보를, 기자는 자기 기사의 반려와 출고를 알림으로
        받습니다.
        {view.mailConfigured
          ? ' 같은 내용이 계정의 이메일로도 갑니다.'
          : ' 관리자가 메일 서버를 설정하면 이메일로도 받습니다.'}
      </p>
      {view.items.length === 0 ? (
        <p class="empty">받은 알림이 없습니다.</p>
      ) : (
        <ul class="notifications">
          {view.items.map((n) => (
            <li class={n.read ? 'read' : 'unread'}>
              <span class={`status status-${n.kind.replace('_', '-')}`}>
                {KIND_LABELS[n.kind] ?? n.kind}
              </span>{' '}
              {n.opens ? (
                <a href={`/admin/notifications/${n.id}/open`}>{n.text}</a>
              ) : (
                <span>{n.text}</span>
              )}{' '}
              <time>{formatKstDateTime(n.createdAt)}</time>
              {n.read ? null : <span class="visually-hidden"> (읽지 않음)</span>}
            </li>
          ))}
        </ul>
      )}
    </AdminLayout>,
  );
}
