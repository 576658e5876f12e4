import { formatKstDateTime } from '../../../shared/kst.ts';
import { renderDocument } from '../../../views/jsx/jsx-runtime.ts';
import { AdminLayout, Csrf, ErrorFlash } from '../../../views/admin/AdminLayout.tsx';
import type { AdminChrome } from '../../../views/admin/model.ts';

export interface PolicyRowView {
  slug: string;
  title: string;
  /** The public path, e.g. /policy/privacy. */
  path: string;
  savedAt: number | null;
  savedBy: string | null;
}

const saved = (at: number | null, by: string | null) =>
  at === null ? '기본 문안' : `${formatKstDateTime(at)}${by ? ` · ${by}` : ''}`;

export function renderPolicyList(chrome: AdminChrome, view: { pages: PolicyRowView[] }): string {
  return renderDocument(
    <AdminLayout chrome={chrome} title="약관·정책">
      <div class="page-head">
        <h1>약관·정책</h1>
      </div>
      <p class="hint">
        사이트 맨 아래에 걸리는 페이지입니다. 저장하기 전까지는 신문사 정보(제호, 발행인,
        청소년보호책임자 등)를 넣은 기본 문안이 나갑니다. 기본 문안은 출발점이니 신문사 실정에 맞게
        고치고, 법률 검토를 받으세요.
      </p>
      <div class="table-scroll">
        <table class="admin-table">
          <thead>
            <tr>
              <th scope="col">페이지</th>
              <th scope="col">주소</th>
              <th scope="col">최종 수정</th>
            </tr>
          </thead>
          <tbody>
            {view.pages.map((p) => (
              <tr>
                <td>
                  <a href={`/admin/policies/${p.slug}`}>{p.title}</a>
                </td>
                <td>
                  <a href={p.path} target="_blank" rel="noopener">
                    <code>{p.path}</code>
                  </a>
                </td>
                <td class={p.savedAt === null ? 'muted' : undefined}>
                  {saved(p.savedAt, p.savedBy)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </AdminLayout>,
  );
}

export interface PolicyEditorView {
  slug: string;
  title: string;
  publicUrl: string;
  bodyHtml: string;
  isDefault: boolean;
  history: { id: number; savedAt: number; savedBy: string | null }[];
  error?: string;
}

/** One policy page in the article editor (TipTap), with its saved versions beside it. */
export function renderPolicyEditor(chrome: AdminChrome, view: PolicyEditorView): string {
  const action = `/admin/policies/${view.slug}`;
  return renderDocument(
    <AdminLayout chrome={chrome} title={view.title} editor={true}>
      <div class="page-head">
        <h1>{view.title}</h1>
        <a class="button" href={view.publicUrl} target="_blank" rel="noopener">
          독자 화면에서 보기
        </a>
      </div>
      <ErrorFlash message={view.error} />
      {view.isDefault ? (
        <p class="flash flash-warn">
          지금은 기본 문안이 나가고 있습니다. 신문사 실정에 맞게 고쳐 저장하세요.
        </p>
      ) : null}
      <div class="policy-editor">
        <form method="post" action={action} class="policy-form">
          <Csrf token={chrome.csrfToken} />
          <div class="field">
            <label for="f-bodyHtml">내용</label>
            {/* The article editor without photos: a policy page is text. */}
            <div class="editor" data-editor>
              <textarea id="f-bodyHtml" name="bodyHtml" rows={24} required>
                {view.bodyHtml}
              </textarea>
            </div>
          </div>
          <p>
            <button type="submit" class="button primary">
              저장
            </button>
          </p>
        </form>
        <aside class="panel policy-history">
          <h2>저장 기록</h2>
          {view.history.length === 0 ? (
            <p class="hint">아직 저장한 적이 없습니다.</p>
          ) : (
            <ol>
              {view.history.map((v) => (
                <li>
                  <time>{formatKstDateTime(v.savedAt)}</time> {v.savedBy ?? ''}
                </li>
              ))}
            </ol>
          )}
          <p class="hint">
            저장할 때마다 판이 남아, 독자가 어느 날 본 문안인지 확인할 수 있습니다.
          </p>
          <form method="post" action={`${action}/default`}>
            <Csrf token={chrome.csrfToken} />
            <button type="submit" class="button">
              기본 문안으로 되돌리기
            </button>
          </form>
        </aside>
      </div>
    </AdminLayout>,
  );
}
