import { renderDocument } from '../../../views/jsx/jsx-runtime.ts';
import { AdminLayout, Csrf, ErrorFlash } from '../../../views/admin/AdminLayout.tsx';
import type { AdminChrome } from '../../../views/admin/model.ts';
import { formatKstDateTime } from '../../../shared/kst.ts';

export interface FrontPlaceView {
  /** What the place's field holds: the pinned article's number, or what was typed. */
  typed: string;
  pinned: { id: number; title: string } | null;
  /** What readers see in the place now (pinned or filled by the rule). */
  showing: { id: number; title: string } | null;
}

export interface FrontAreaView {
  area: string;
  label: string;
  places: FrontPlaceView[];
}

export interface FrontVersionView {
  id: number;
  at: number;
  userName: string;
  restoredFrom: number | null;
  current: boolean;
  pinned: { area: string; place: number; id: number; title: string }[];
}

/**
 * The fill rule as the desk reads it. content's frontPage applies it; keep the two alike.
 */
export const FILL_RULE = [
  '고정하지 않은 자리는 규칙에 따라 자동으로 채워집니다. 고정한 기사가 출고 취소되면 그 자리도 자동으로 채워집니다.',
  '머리기사: 진행 중인 속보(사진 있는 기사 먼저) → 사진이 있는 최신 기사 → 최신 기사 순으로 고릅니다.',
  '주요 기사: 출고 시각이 가장 최근인 기사부터 차례로 채웁니다.',
  '섹션 상자: 그 섹션(하위 섹션 포함)의 최신 기사로 채웁니다.',
  '어느 자리든 이미 위에 나온 기사와 와이드포토(포토 기사)는 넣지 않습니다.',
] as const;

function Place({
  area,
  index,
  place,
}: {
  area: FrontAreaView;
  index: number;
  place: FrontPlaceView;
}) {
  const fieldId = `place-${area.area.replace(':', '-')}-${index}`;
  return (
    <li
      class="front-place"
      data-area={area.area}
      data-place={String(index)}
      data-area-label={area.label}
    >
      <label class="front-place-number" for={fieldId}>
        {index + 1}
        <span class="visually-hidden">
          {' '}
          {area.label} {index + 1}번째 자리 기사 번호
        </span>
      </label>
      <input
        id={fieldId}
        class="front-place-input"
        name={area.area}
        value={place.typed}
        inputmode="numeric"
        maxlength={13}
        placeholder="자동"
        autocomplete="off"
      />
      <div class="front-place-body">
        {place.pinned !== null ? (
          <div class="front-card" data-id={String(place.pinned.id)} data-title={place.pinned.title}>
            <span class="front-badge pinned">고정</span> <strong>{place.pinned.id}번</strong>{' '}
            {place.pinned.title}
          </div>
        ) : (
          <div class="front-auto" data-auto>
            <span class="front-badge">자동</span>{' '}
            {place.showing !== null ? (
              <span>
                {place.showing.id}번 {place.showing.title}
              </span>
            ) : (
              <span>채울 기사가 없습니다</span>
            )}
          </div>
        )}
      </div>
    </li>
  );
}

export function renderFrontDesk(
  chrome: AdminChrome,
  view: {
    areas: FrontAreaView[];
    candidates: {
      id: number;
      title: string;
      sectionName: string;
      publishedAt: number;
      hasPhoto: boolean;
      isBreaking: boolean;
    }[];
    breaking: { id: number; title: string; breakingUntil: number }[];
    history: FrontVersionView[];
    /** The version the form starts from: a colleague's save in between is refused. */
    version: number | null;
    now: number;
    error?: string;
  },
): string {
  return renderDocument(
    <AdminLayout chrome={chrome} title="첫 화면 편집" script>
      <div class="page-head">
        <h1>첫 화면 편집</h1>
      </div>
      <ErrorFlash message={view.error} />

      <section class="panel breaking-panel" aria-labelledby="breaking-head">
        <h2 id="breaking-head">진행 중인 속보</h2>
        {view.breaking.length === 0 ? (
          <p class="empty">지금 걸린 속보가 없습니다. 속보는 기사 편집 화면에서 겁니다.</p>
        ) : (
          <ul class="breaking-list">
            {view.breaking.map((b) => (
              <li>
                <span class="flag-breaking">속보</span> <strong>{b.id}번</strong> {b.title}{' '}
                <small>{formatKstDateTime(b.breakingUntil)}까지</small>
                <form method="post" action={`/admin/front/breaking/${b.id}/end`} class="inline">
                  <Csrf token={chrome.csrfToken} />
                  <button type="submit" class="button small danger">
                    속보 해제
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
      </section>

      <div class="front-desk" data-front-desk>
        <form
          method="post"
          action="/admin/front"
          class="front-arrangement"
          id="front-arrangement"
          data-preview-url="/admin/front/preview"
        >
          <Csrf token={chrome.csrfToken} />
          <input
            type="hidden"
            name="version"
            value={view.version === null ? '' : String(view.version)}
          />
          <details class="panel fill-rule" open>
            <summary>자동 채우기 규칙</summary>
            <ul>
              {FILL_RULE.map((line) => (
                <li>{line}</li>
              ))}
            </ul>
            <p class="hint no-js-only">
              자리마다 기사 번호를 적으면 그 자리에 고정되고, 비우면 자동으로 채워집니다.
            </p>
            <p class="hint js-only">
              기사를 끌어다 자리에 놓거나, 기사를 고른 뒤 스페이스 키로 들고 위아래 화살표로 옮긴
              다음 스페이스 키로 내려놓습니다. Esc 키는 옮기기를 취소합니다.
            </p>
          </details>
          {view.areas.map((a) => (
            <section class="panel front-area" aria-labelledby={`area-${a.area.replace(':', '-')}`}>
              <h2 id={`area-${a.area.replace(':', '-')}`}>
                {a.label} <small>({a.places.length}자리)</small>
              </h2>
              <ol class="front-places">
                {a.places.map((p, i) => (
                  <Place area={a} index={i} place={p} />
                ))}
              </ol>
            </section>
          ))}
          <div class="front-actions">
            <button type="submit" class="button primary">
              첫 화면 저장
            </button>
            <button
              type="submit"
              class="button"
              formaction="/admin/front/preview"
              formtarget="_blank"
              data-preview-button
            >
              새 창에서 미리보기
            </button>
            <p class="front-status" data-front-status role="status" aria-live="polite"></p>
          </div>
        </form>

        <aside class="front-side">
          <section class="panel front-search" aria-labelledby="search-head">
            <h2 id="search-head">기사 찾기</h2>
            <form method="get" action="/admin/front/search" class="inline-form" data-front-search>
              <label>
                <span class="visually-hidden">제목 또는 기사 번호</span>
                <input
                  type="search"
                  name="q"
                  maxlength={100}
                  placeholder="제목 또는 기사 번호"
                  autocomplete="off"
                />
              </label>
              <button type="submit" class="button">
                찾기
              </button>
            </form>
            <p class="hint js-only">
              결과를 자리로 끌어 놓거나, 자리를 누른 뒤 결과의 ‘선택한 자리에 놓기’를 누릅니다.
            </p>
            <ul class="front-results" data-front-results aria-label="찾은 기사">
              {view.candidates.map((c) => (
                <li class="front-result" data-id={String(c.id)} data-title={c.title}>
                  <strong>{c.id}번</strong> {c.title}{' '}
                  <small>
                    {c.sectionName} · {formatKstDateTime(c.publishedAt)}
                    {c.hasPhoto ? ' · 사진' : ''}
                    {c.isBreaking ? ' · 속보' : ''}
                  </small>
                </li>
              ))}
            </ul>
          </section>
        </aside>
      </div>

      <section class="panel front-preview" aria-labelledby="preview-head">
        <h2 id="preview-head">미리보기</h2>
        <p class="hint">
          저장하기 전의 편집이 실제 첫 화면으로 보입니다. 독자에게는 저장한 뒤에 나갑니다.
        </p>
        <div class="preview-frames">
          <figure class="preview-phone">
            <figcaption>휴대전화 (390px)</figcaption>
            <iframe
              name="front-preview-phone"
              title="휴대전화 첫 화면 미리보기"
              src="/admin/front/preview"
              width="390"
              height="760"
            ></iframe>
          </figure>
          <figure class="preview-desktop">
            <figcaption>PC (1280px, 절반 크기)</figcaption>
            <div class="preview-scale">
              <iframe
                name="front-preview-desktop"
                title="PC 첫 화면 미리보기"
                src="/admin/front/preview"
                width="1280"
                height="1520"
              ></iframe>
            </div>
          </figure>
        </div>
      </section>

      <section class="panel front-history" aria-labelledby="history-head">
        <h2 id="history-head">편집 기록</h2>
        {view.history.length === 0 ? (
          <p class="empty">아직 저장한 편집이 없습니다.</p>
        ) : (
          <table class="table">
            <thead>
              <tr>
                <th scope="col">판</th>
                <th scope="col">시각</th>
                <th scope="col">편집자</th>
                <th scope="col">고정한 기사</th>
                <th scope="col">
                  <span class="visually-hidden">되돌리기</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {view.history.map((v) => (
                <tr>
                  <td>
                    {v.id}
                    {v.current ? <span class="front-badge pinned">현재</span> : null}
                  </td>
                  <td>{formatKstDateTime(v.at)}</td>
                  <td>
                    {v.userName}
                    {v.restoredFrom !== null ? (
                      <small> ({v.restoredFrom}판으로 되돌림)</small>
                    ) : null}
                  </td>
                  <td>
                    {v.pinned.length === 0 ? (
                      '모두 자동'
                    ) : (
                      <ul class="history-pins">
                        {v.pinned.map((p) => (
                          <li>
                            {p.area} {p.place}: {p.id}번 {p.title}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td>
                    {v.current ? null : (
                      <form method="post" action={`/admin/front/restore/${v.id}`} class="inline">
                        <Csrf token={chrome.csrfToken} />
                        <button type="submit" class="button small">
                          되돌리기
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </AdminLayout>,
  );
}

/** What a preview frame shows when the proposal cannot be read (a letter for a number). */
export function renderPreviewRefusal(message: string): string {
  return renderDocument(
    <html lang="ko">
      <head>
        <meta charset="utf-8" />
        <meta name="robots" content="noindex, nofollow" />
        <title>미리보기</title>
      </head>
      <body>
        <p>미리보기를 만들 수 없습니다: {message}</p>
      </body>
    </html>,
  );
}
