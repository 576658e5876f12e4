import { formatKstDateTime } from '../../../shared/kst.ts';
import { renderDocument } from '../../../views/jsx/jsx-runtime.ts';
import { AdminLayout, Csrf } from '../../../views/admin/AdminLayout.tsx';
import type { AdminChrome } from '../../../views/admin/model.ts';

export interface TipRowView {
  id: number;
  receipt: string;
  /** Null once deleted at the end of the retention period. */
  name: string | null;
  excerpt: string;
  status: 'new' | 'seen' | 'done';
  fileCount: number;
  createdAt: number;
  purgedAt: number | null;
}

export interface TipView extends TipRowView {
  contact: string | null;
  body: string;
  files: {
    id: number;
    kind: 'photo' | 'pdf';
    name: string;
    size: number;
    width: number | null;
    height: number | null;
  }[];
  handledBy: string | null;
  handledAt: number | null;
}

const STATUS: Record<TipRowView['status'], string> = {
  new: '새 제보',
  seen: '확인 중',
  done: '처리 완료',
};

function Status({ status }: { status: TipRowView['status'] }) {
  return <span class={`status status-tip-${status}`}>{STATUS[status]}</span>;
}

const size = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)}MB` : `${Math.ceil(bytes / 1024)}KB`;

export function renderTipList(
  chrome: AdminChrome,
  view: { tips: TipRowView[]; nextBefore: number | null; retentionDays: number },
): string {
  return renderDocument(
    <AdminLayout chrome={chrome} title="제보함">
      <div class="page-head">
        <h1>제보함</h1>
      </div>
      <p class="hint">
        독자가 사이트의 기사제보 양식으로 보낸 제보입니다. 제보자의 이름·연락처·첨부 파일은{' '}
        {String(view.retentionDays)}일 뒤 자동으로 지워집니다. 제보자의 신원은 취재원으로
        보호하세요.
      </p>
      {view.tips.length === 0 ? (
        <p class="empty">받은 제보가 없습니다.</p>
      ) : (
        <div class="table-scroll">
          <table class="admin-table tips-table">
            <thead>
              <tr>
                <th scope="col">상태</th>
                <th scope="col">접수번호</th>
                <th scope="col">제보 내용</th>
                <th scope="col">제보자</th>
                <th scope="col">파일</th>
                <th scope="col">받은 때</th>
              </tr>
            </thead>
            <tbody>
              {view.tips.map((t) => (
                <tr class={t.status === 'new' ? 'tip-new' : undefined}>
                  <td>
                    <Status status={t.status} />
                  </td>
                  <td class="nowrap">
                    <code>{t.receipt}</code>
                  </td>
                  <td>
                    <a href={`/admin/tips/${t.id}`}>{t.excerpt}</a>
                  </td>
                  <td>{t.name ?? <span class="muted">삭제됨</span>}</td>
                  <td>{t.fileCount > 0 ? `파일 ${t.fileCount}개` : ''}</td>
                  <td class="nowrap">{formatKstDateTime(t.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {view.nextBefore === null ? null : (
        <p class="pager">
          <a class="button" href={`/admin/tips?before=${view.nextBefore}`}>
            이전 제보 더 보기
          </a>
        </p>
      )}
    </AdminLayout>,
  );
}

export function renderTip(
  chrome: AdminChrome,
  view: { tip: TipView; retentionDays: number },
): string {
  const t = view.tip;
  const base = `/admin/tips/${t.id}`;
  const isEmail = t.contact !== null && t.contact.includes('@');
  return renderDocument(
    <AdminLayout chrome={chrome} title={`제보 ${t.receipt}`}>
      <div class="page-head">
        <h1>
          제보 <code>{t.receipt}</code>
        </h1>
        <Status status={t.status} />
        <a class="button" href="/admin/tips">
          제보함으로
        </a>
      </div>
      <div class="tip-detail">
        <section class="panel">
          <h2>제보 내용</h2>
          <p class="tip-meta">
            받은 때 <time>{formatKstDateTime(t.createdAt)}</time>
            {t.handledAt !== null ? (
              <>
                {' '}
                · 처리 완료 <time>{formatKstDateTime(t.handledAt)}</time> {t.handledBy ?? ''}
              </>
            ) : null}
          </p>
          <p class="tip-body">{t.body}</p>
          {t.files.length > 0 ? (
            <ul class="tip-files">
              {t.files.map((f) =>
                f.kind === 'photo' ? (
                  <li>
                    <a href={`${base}/files/${f.id}`} target="_blank" rel="noopener">
                      <img
                        src={`${base}/files/${f.id}`}
                        alt={`제보 사진: ${f.name}`}
                        width={f.width ?? undefined}
                        height={f.height ?? undefined}
                        loading="lazy"
                      />
                    </a>
                    <span>
                      {f.name} ({size(f.size)})
                    </span>
                  </li>
                ) : (
                  <li>
                    <a class="button" href={`${base}/files/${f.id}`}>
                      PDF 내려받기: {f.name} ({size(f.size)})
                    </a>
                  </li>
                ),
              )}
            </ul>
          ) : null}
        </section>
        <aside class="panel">
          <h2>제보자</h2>
          {t.purgedAt !== null ? (
            <p class="hint">
              보관 기간({String(view.retentionDays)}일)이 지나 {formatKstDateTime(t.purgedAt)}에
              이름·연락처·첨부 파일을 지웠습니다.
            </p>
          ) : (
            <dl class="tip-sender">
              <dt>이름</dt>
              <dd>{t.name ?? ''}</dd>
              <dt>연락처</dt>
              <dd>
                {t.contact === null ? null : isEmail ? (
                  <a href={`mailto:${t.contact}`}>{t.contact}</a>
                ) : (
                  <a href={`tel:${t.contact.replace(/[^\d+]/g, '')}`}>{t.contact}</a>
                )}
              </dd>
            </dl>
          )}
          <form method="post" action={`${base}/status`}>
            <Csrf token={chrome.csrfToken} />
            {t.status === 'done' ? (
              <button type="submit" name="status" value="seen" class="button">
                다시 처리할 제보로
              </button>
            ) : (
              <button type="submit" name="status" value="done" class="button primary">
                처리 완료
              </button>
            )}
          </form>
          <details class="tip-delete">
            <summary>제보 지우기</summary>
            <p class="hint">
              내용과 파일이 모두 지워지고 되살릴 수 없습니다. 스팸이거나 제보자가 삭제를 요청한
              경우에 쓰세요.
            </p>
            <form method="post" action={`${base}/delete`}>
              <Csrf token={chrome.csrfToken} />
              <button type="submit" class="button danger">
                완전히 지우기
              </button>
            </form>
          </details>
        </aside>
      </div>
    </AdminLayout>,
  );
}
