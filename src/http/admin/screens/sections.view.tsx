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
      <div class="table-scroll">
        <table class="admin-table sections-table">
          <thead>
            <tr>
              <th scope="col">이름</th>
              <th scope="col">주소</th>
              <th scope="col">순서</th>
              <th scope="col">메뉴</th>
              <th scope="col">
                <span class="visually-hidden">저장</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {view.sections.map((s) => {
              // One form per row, its fields in the row's cells through form="…": the cells
              // line up with the headers, which a form wrapping the row cannot do.
              const form = `section-${s.id}`;
              return (
                <tr>
                  <td>
                    <label>
                      <span class="visually-hidden">이름</span>
                      <input form={form} name="name" value={s.name} maxlength={80} required />
                    </label>
                    {s.parentName ? <small> ({s.parentName} 하위)</small> : null}
                  </td>
                  <td>
                    <code>/section/{s.slug}</code>
                  </td>
                  <td>
                    <label>
                      <span class="visually-hidden">{s.name} 순서</span>
                      <input
                        form={form}
                        name="position"
                        value={String(s.position)}
                        inputmode="numeric"
                        size={4}
                      />
                    </label>
                  </td>
                  <td class="nowrap">
                    <label>
                      <input
                        form={form}
                        type="checkbox"
                        name="hidden"
                        value="1"
                        checked={s.hidden}
                      />{' '}
                      숨김
                    </label>
                  </td>
                  <td>
                    <form id={form} method="post" action={`/admin/sections/${s.id}`}>
                      <Csrf token={chrome.csrfToken} />
                      <button type="submit" class="button">
                        저장
                      </button>
                    </form>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <section class="panel">
        <h2>새 섹션</h2>
        <form method="post" action="/admin/sections" class="stack">
          <Csrf token={chrome.csrfToken} />
          <label>
            이름
            <input name="name" value={v.name ?? ''} maxlength={80} required />
          </label>
          <label>
            주소 (비워 두면 이름을 로마자로 바꿔 만듭니다: 정치 → jeongchi)
            <input
              name="slug"
              value={v.slug ?? ''}
              maxlength={80}
              pattern="[a-z0-9][a-z0-9\-]*"
              placeholder="예: jeongchi"
            />
          </label>
          <label>
            <input type="checkbox" name="hidden" value="1" checked={v.hidden === '1'} /> 메뉴에 숨긴
            채 만들기
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
