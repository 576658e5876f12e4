import { renderDocument } from '../../../views/jsx/jsx-runtime.ts';
import { AdminLayout, Csrf, ErrorFlash } from '../../../views/admin/AdminLayout.tsx';
import type { AdminChrome } from '../../../views/admin/model.ts';

export interface FrontAreaView {
  area: string;
  label: string;
  places: number;
  chosen: { id: number; title: string }[];
}

export function renderFrontDesk(
  chrome: AdminChrome,
  view: {
    areas: FrontAreaView[];
    recent: { id: number; title: string; section: string }[];
    error?: string;
  },
): string {
  return renderDocument(
    <AdminLayout chrome={chrome} title="첫 화면 편집">
      <div class="page-head">
        <h1>첫 화면 편집</h1>
      </div>
      <p class="hint">기사 번호를 순서대로 쉼표로 적습니다. 비운 자리는 최신 기사로 채워집니다.</p>
      <ErrorFlash message={view.error} />
      {view.areas.map((a) => (
        <section class="panel">
          <h2>
            {a.label} <small>({a.places}자리)</small>
          </h2>
          <form method="post" action="/admin/front" class="inline-form">
            <Csrf token={chrome.csrfToken} />
            <input type="hidden" name="area" value={a.area} />
            <label>
              <span class="visually-hidden">{a.label} 기사 번호</span>
              <input
                name="articleIds"
                value={a.chosen.map((c) => c.id).join(', ')}
                placeholder="예: 120, 118"
                size={40}
              />
            </label>
            <button type="submit" class="button">
              저장
            </button>
          </form>
          {a.chosen.length > 0 ? (
            <ol>
              {a.chosen.map((c) => (
                <li>
                  {c.id}번 {c.title}
                </li>
              ))}
            </ol>
          ) : (
            <p class="empty">편집하지 않음: 최신 기사가 나갑니다.</p>
          )}
        </section>
      ))}
      <section class="panel">
        <h2>최근 출고 기사</h2>
        <ul>
          {view.recent.map((r) => (
            <li>
              <strong>{r.id}번</strong> {r.title} <small>{r.section}</small>
            </li>
          ))}
        </ul>
      </section>
    </AdminLayout>,
  );
}
