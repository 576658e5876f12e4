import { renderDocument } from '../../../views/jsx/jsx-runtime.ts';
import { AdminLayout, Csrf, ErrorFlash } from '../../../views/admin/AdminLayout.tsx';
import type { AdminChrome } from '../../../views/admin/model.ts';

export interface SectionRowView {
  id: number;
  name: string;
  slug: string;
  position: number;
  hidden: boolean;
  layout: 'list' | 'photo';
  parentName: string | null;
}

export function renderSections(
  chrome: AdminChrome,
  view: { sections: SectionRowView[]; error?: string; values?: Record<string, string> },
): string {
  const v = view.values ?? {};
  return renderDocument(
    <AdminLayout chrome={chrome} title="섹션">
      <div class="page-head">
        <h1>섹션</h1>
      </div>
      <ErrorFlash message={view.error} />
      <table class="admin-table">
        <thead>
          <tr>
            <th scope="col">이름</th>
            <th scope="col">주소</th>
            <th scope="col">순서</th>
            <th scope="col">숨김</th>
            <th scope="col"></th>
          </tr>
        </thead>
        <tbody>
          {view.sections.map((s) => (
            <tr>
              <td colspan={5}>
                <form method="post" action={`/admin/sections/${s.id}`} class="inline-form">
                  <Csrf token={chrome.csrfToken} />
                  <label>
                    <span class="visually-hidden">이름</span>
                    <input name="name" value={s.name} maxlength={80} required />
                  </label>
                  <code>/section/{s.slug}</code>
                  {s.parentName ? <small>({s.parentName} 하위)</small> : null}
                  <label>
                    <span class="visually-hidden">순서</span>
                    <input
                      name="position"
                      value={String(s.position)}
                      inputmode="numeric"
                      size={3}
                    />
                  </label>
                  <label>
                    <input type="checkbox" name="hidden" value="1" checked={s.hidden} /> 숨김
                  </label>
                  <button type="submit" class="button">
                    저장
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <section class="panel">
        <h2>새 섹션</h2>
        <form method="post" action="/admin/sections" class="stack">
          <Csrf token={chrome.csrfToken} />
          <label>
            이름
            <input name="name" value={v.name ?? ''} maxlength={80} required />
          </label>
          <label>
            주소 (영문 소문자, 숫자, 하이픈)
            <input
              name="slug"
              value={v.slug ?? ''}
              maxlength={80}
              pattern="[a-z0-9][a-z0-9-]*"
              required
            />
          </label>
          <label>
            형식
            <select name="layout">
              <option value="list">기사 목록</option>
              <option value="photo" selected={v.layout === 'photo'}>
                사진 격자
              </option>
            </select>
          </label>
          <button type="submit" class="button primary">
            만들기
          </button>
        </form>
      </section>
    </AdminLayout>,
  );
}
