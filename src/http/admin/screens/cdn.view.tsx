import { formatKstDateTime } from '../../../shared/kst.ts';
import { renderDocument } from '../../../views/jsx/jsx-runtime.ts';
import { AdminLayout, Csrf, ErrorFlash } from '../../../views/admin/AdminLayout.tsx';
import type { AdminChrome } from '../../../views/admin/model.ts';

export interface PurgeRowView {
  kind: 'tag' | 'url';
  target: string;
  state: 'pending' | 'sent' | 'failed';
  attempts: number;
  createdAt: number;
  dueAt: number;
  sentAt: number | null;
  lastAttemptAt: number | null;
  lastError: string | null;
}

export interface CdnView {
  /** The CDN's name, or null when none is set. */
  provider: string | null;
  pending: number;
  failed: number;
  sentLastDay: number;
  oldestPendingAt: number | null;
  lastSentAt: number | null;
  lastError: { at: number; message: string } | null;
  open: PurgeRowView[];
  recent: PurgeRowView[];
  /** The device header the CDN keys pages by, or null (User-Agent). */
  deviceHeader: string | null;
  maxAgeSeconds: number;
  now: number;
  error?: string;
  url?: string;
}

const when = (at: number | null) => (at === null ? '-' : formatKstDateTime(at));

const STATE_LABELS = { pending: '대기', sent: '보냄', failed: '포기' } as const;

function Rows({ rows, now }: { rows: PurgeRowView[]; now: number }) {
  return (
    <table class="admin-table">
      <thead>
        <tr>
          <th scope="col">대상</th>
          <th scope="col">상태</th>
          <th scope="col">시도</th>
          <th scope="col">넣은 때</th>
          <th scope="col">보낸 때 / 다음 시도</th>
          <th scope="col">마지막 오류</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr>
            <td>
              {r.kind === 'tag' ? '태그 ' : '주소 '}
              <code>{r.target}</code>
            </td>
            <td>
              <span
                class={`status ${r.state === 'sent' ? 'status-published' : r.state === 'failed' ? 'status-unpublished' : 'status-submitted'}`}
              >
                {STATE_LABELS[r.state]}
              </span>
            </td>
            <td>{r.attempts}</td>
            <td>{when(r.createdAt)}</td>
            <td>
              {r.state === 'sent'
                ? when(r.sentAt)
                : r.state === 'pending'
                  ? r.dueAt <= now
                    ? '곧'
                    : when(r.dueAt)
                  : '-'}
            </td>
            <td>{r.lastError ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** CDN: the purge queue's state, failures first, and purges by hand. */
export function renderCdn(chrome: AdminChrome, view: CdnView): string {
  return renderDocument(
    <AdminLayout chrome={chrome} title="CDN 캐시">
      <div class="page-head">
        <h1>CDN 캐시</h1>
      </div>
      <ErrorFlash message={view.error} />
      {view.provider === null ? (
        <section class="panel">
          <h2>CDN이 설정되지 않았습니다</h2>
          <p>
            CDN 앞단이 있다면 <code>TAMNA_CDN_PROVIDER</code>(cloudflare, fastly, http)와 그 키를
            설정하세요. 그 전까지는 공유 캐시가 페이지를 {view.maxAgeSeconds}초까지만 보관하도록
            알립니다. README의 «CDN» 항목을 보세요.
          </p>
        </section>
      ) : (
        <>
          {view.failed > 0 ? (
            <section class="panel panel-attention" role="alert">
              <h2>
                보내지 못한 비우기 <span class="count">{view.failed}</span>
              </h2>
              <p>
                하루 동안 다시 시도했지만 {view.provider}이(가) 받지 않았습니다. 설정(키, 권한)을
                고친 뒤 다시 보내세요.
              </p>
              <form method="post" action="/admin/cdn/retry">
                <Csrf token={chrome.csrfToken} />
                <button type="submit" class="button">
                  모두 다시 보내기
                </button>
              </form>
            </section>
          ) : null}
          <section class="panel">
            <h2>{view.provider}</h2>
            <dl class="cdn-facts">
              <dt>대기 중</dt>
              <dd>
                {view.pending}건
                {view.oldestPendingAt === null
                  ? ''
                  : ` (가장 오래된 것: ${when(view.oldestPendingAt)})`}
              </dd>
              <dt>포기</dt>
              <dd>{view.failed}건</dd>
              <dt>최근 24시간 보냄</dt>
              <dd>{view.sentLastDay}건</dd>
              <dt>마지막으로 보낸 때</dt>
              <dd>{when(view.lastSentAt)}</dd>
              <dt>마지막 오류</dt>
              <dd>
                {view.lastError === null
                  ? '없음'
                  : `${when(view.lastError.at)} · ${view.lastError.message}`}
              </dd>
              <dt>휴대폰/PC 구분</dt>
              <dd>
                {view.deviceHeader === null ? (
                  'User-Agent (Vary: User-Agent)'
                ) : (
                  <>
                    요청 헤더 <code>{view.deviceHeader}</code>
                  </>
                )}
              </dd>
              <dt>CDN 보관 시간</dt>
              <dd>최대 {view.maxAgeSeconds}초 (s-maxage)</dd>
            </dl>
            <p class="hint">
              기사 출고·수정·출고 취소·정정과 첫 화면 편집은 몇 초 안에 CDN에서 비워집니다. 실패하면
              간격을 늘려 가며 하루 동안 다시 보냅니다. 서버가 여러 대여도 한 번만 보냅니다.
            </p>
          </section>
          <section class="panel">
            <h2>직접 비우기</h2>
            <form method="post" action="/admin/cdn/purge-url" class="inline-form">
              <Csrf token={chrome.csrfToken} />
              <label>
                페이지 주소
                <input
                  name="url"
                  value={view.url ?? ''}
                  maxlength={2000}
                  required
                  placeholder="/news/123"
                />
              </label>
              <button type="submit" class="button">
                이 주소 비우기
              </button>
            </form>
            <form method="post" action="/admin/cdn/purge-all">
              <Csrf token={chrome.csrfToken} />
              <button type="submit" class="button">
                모든 페이지 비우기
              </button>
            </form>
            <p class="hint">
              모든 페이지를 비우면 한동안 서버에 요청이 몰립니다. 사진과 CSS 같은 파일은 그대로
              둡니다.
            </p>
          </section>
          <section class="panel">
            <h2>대기·포기</h2>
            {view.open.length === 0 ? (
              <p class="empty">기다리는 비우기가 없습니다.</p>
            ) : (
              <Rows rows={view.open} now={view.now} />
            )}
          </section>
          <section class="panel">
            <h2>최근에 보낸 것</h2>
            {view.recent.length === 0 ? (
              <p class="empty">아직 보낸 것이 없습니다.</p>
            ) : (
              <Rows rows={view.recent} now={view.now} />
            )}
          </section>
        </>
      )}
    </AdminLayout>,
  );
}
