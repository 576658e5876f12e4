import { formatKstDateTime } from '../../../shared/kst.ts';
import { renderDocument } from '../../../views/jsx/jsx-runtime.ts';
import { AdminLayout, Csrf, ErrorFlash } from '../../../views/admin/AdminLayout.tsx';
import type { AdminChrome } from '../../../views/admin/model.ts';

export interface ApiKeyRowView {
  id: number;
  name: string;
  prefix: string;
  rateLimit: number;
  createdAt: number;
  createdBy: string | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface ApiKeysView {
  keys: ApiKeyRowView[];
  /** The key just made: shown on this page only, never again. */
  created?: { name: string; key: string };
  siteUrl: string;
  defaultRateLimit: number;
  maxRateLimit: number;
  error?: string;
  values?: Record<string, string>;
}

const when = (at: number | null) => (at === null ? '-' : formatKstDateTime(at));

/** API 키: who may read the content API, how often; the key itself shown once. */
export function renderApiKeys(chrome: AdminChrome, view: ApiKeysView): string {
  const v = view.values ?? {};
  const api = `${view.siteUrl}/api/v1`;
  return renderDocument(
    <AdminLayout chrome={chrome} title="API 키">
      <div class="page-head">
        <h1>API 키</h1>
      </div>
      <ErrorFlash message={view.error} />
      {view.created ? (
        <div class="flash flash-ok" role="status">
          <p>
            「{view.created.name}」 키를 만들었습니다. 이 키는 <strong>지금 한 번만</strong> 보여
            드립니다. 복사해 쓰는 쪽에 전달하세요. 잃어버리면 폐기하고 새로 만드세요.
          </p>
          <p>
            <code class="invite-link secret-once">{view.created.key}</code>
          </p>
        </div>
      ) : null}
      <p class="hint">
        콘텐츠 API(<code>{api}</code>)는 독자가 볼 수 있는 기사·섹션·기자·검색을 JSON으로 내줍니다.
        요청마다 <code>Authorization: Bearer &lt;키&gt;</code> 헤더가 필요합니다. 설명서:{' '}
        <a href={`${api}/openapi.json`}>openapi.json</a>
      </p>
      {view.keys.length === 0 ? (
        <p class="empty">만든 키가 없습니다.</p>
      ) : (
        <table class="admin-table">
          <thead>
            <tr>
              <th scope="col">이름</th>
              <th scope="col">키</th>
              <th scope="col">분당 한도</th>
              <th scope="col">만든 때</th>
              <th scope="col">마지막 사용</th>
              <th scope="col">상태</th>
            </tr>
          </thead>
          <tbody>
            {view.keys.map((k) => (
              <tr class={k.revokedAt === null ? undefined : 'disabled'}>
                <td>{k.name}</td>
                <td>
                  <code>{k.prefix}…</code>
                </td>
                <td>{k.rateLimit.toLocaleString('en-US')}회</td>
                <td>
                  {when(k.createdAt)}
                  {k.createdBy ? <small> {k.createdBy}</small> : null}
                </td>
                <td>{when(k.lastUsedAt)}</td>
                <td>
                  {k.revokedAt === null ? (
                    <form
                      method="post"
                      action={`/admin/api-keys/${k.id}/revoke`}
                      class="inline-form"
                    >
                      <Csrf token={chrome.csrfToken} />
                      <span class="status status-published">사용 중</span>{' '}
                      <button type="submit" class="button small danger">
                        폐기
                      </button>
                    </form>
                  ) : (
                    <span class="status status-unpublished">폐기 {when(k.revokedAt)}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section class="panel">
        <h2>새 키</h2>
        <form method="post" action="/admin/api-keys" class="stack">
          <Csrf token={chrome.csrfToken} />
          <label>
            이름 (어디에 쓰는 키인지)
            <input
              name="name"
              value={v.name ?? ''}
              maxlength={100}
              required
              placeholder="포털 제휴 동기화"
            />
          </label>
          <label>
            분당 요청 한도
            <input
              name="rateLimit"
              type="number"
              min={1}
              max={view.maxRateLimit}
              value={v.rateLimit ?? String(view.defaultRateLimit)}
              required
            />
          </label>
          <button type="submit" class="button primary">
            키 만들기
          </button>
        </form>
      </section>
    </AdminLayout>,
  );
}
