import { formatKstDateTime } from '../../../shared/kst.ts';
import { renderDocument } from '../../../views/jsx/jsx-runtime.ts';
import { AdminLayout, Csrf, ErrorFlash } from '../../../views/admin/AdminLayout.tsx';
import type { AdminChrome } from '../../../views/admin/model.ts';

export interface SeriesRowView {
  id: number;
  title: string;
  partCount: number;
  updatedAt: number;
  publicUrl: string;
}

export interface SeriesPartView {
  articleId: number;
  title: string;
  status: 'draft' | 'submitted' | 'published' | 'unpublished' | 'trashed';
  publishedAt: number | null;
}

const STATUS: Record<SeriesPartView['status'], string> = {
  draft: '작성 중',
  submitted: '데스크 대기',
  published: '출고',
  unpublished: '출고 취소',
  trashed: '휴지통',
};

interface SeriesValues {
  title: string;
  description: string;
}

/** Title, description and image: the same fields for a new series and an existing one. */
function SeriesFields({ values, photoSrc }: { values: SeriesValues; photoSrc: string | null }) {
  return (
    <>
      <label>
        제목
        <input name="title" value={values.title} maxlength={120} required />
      </label>
      <label>
        소개 (2,000자까지)
        <textarea name="description" rows={3} maxlength={2000}>
          {values.description}
        </textarea>
      </label>
      <fieldset class="profile-photo-field">
        <legend>대표 이미지</legend>
        {photoSrc !== null ? (
          <img class="series-thumb" src={photoSrc} alt="지금 대표 이미지" width={160} height={90} />
        ) : (
          <p class="hint">없으면 연재 페이지에 제목과 소개만 나옵니다.</p>
        )}
        <label>
          새 이미지
          <input name="photo" type="file" accept="image/jpeg,image/png,image/webp" />
        </label>
        {photoSrc !== null ? (
          <label class="check">
            <input type="checkbox" name="removePhoto" value="1" /> 이미지 빼기
          </label>
        ) : null}
      </fieldset>
    </>
  );
}

export function renderSeriesList(
  chrome: AdminChrome,
  view: { series: SeriesRowView[]; error?: string; values?: SeriesValues },
): string {
  return renderDocument(
    <AdminLayout chrome={chrome} title="연재">
      <div class="page-head">
        <h1>연재·기획</h1>
      </div>
      <ErrorFlash message={view.error} />
      {view.series.length === 0 ? (
        <p class="empty">아직 연재가 없습니다. 아래에서 만드세요.</p>
      ) : (
        <div class="table-scroll">
          <table class="admin-table">
            <thead>
              <tr>
                <th scope="col">제목</th>
                <th scope="col">회차</th>
                <th scope="col">고친 때</th>
                <th scope="col">
                  <span class="visually-hidden">고치기</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {view.series.map((s) => (
                <tr>
                  <td>
                    <a href={`/admin/series/${s.id}`}>{s.title}</a>
                  </td>
                  <td class="nowrap">{s.partCount}회</td>
                  <td class="nowrap">{formatKstDateTime(s.updatedAt)}</td>
                  <td class="nowrap">
                    <a href={s.publicUrl} target="_blank" rel="noopener">
                      독자 화면
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section class="panel">
        <h2>새 연재</h2>
        <form method="post" action="/admin/series" enctype="multipart/form-data" class="stack">
          <Csrf token={chrome.csrfToken} />
          <SeriesFields values={view.values ?? { title: '', description: '' }} photoSrc={null} />
          <button type="submit" class="button primary">
            만들고 기사 넣기
          </button>
        </form>
      </section>
    </AdminLayout>,
  );
}

export function renderSeriesEdit(
  chrome: AdminChrome,
  view: {
    series: { id: number; title: string; description: string; photoSrc: string | null };
    parts: SeriesPartView[];
    publicUrl: string;
    error?: string;
    values?: SeriesValues;
    partsText?: string;
  },
): string {
  const s = view.series;
  const partsText = view.partsText ?? view.parts.map((p) => p.articleId).join('\n');
  return renderDocument(
    <AdminLayout chrome={chrome} title={`연재: ${s.title}`}>
      <div class="page-head">
        <h1>{s.title}</h1>
        <a href={view.publicUrl} target="_blank" rel="noopener">
          독자 화면
        </a>
        <a href="/admin/series">연재 목록</a>
      </div>
      <ErrorFlash message={view.error} />
      <section class="panel">
        <h2>회차</h2>
        {view.parts.length === 0 ? (
          <p class="empty">아직 넣은 기사가 없습니다.</p>
        ) : (
          <div class="table-scroll">
            <table class="admin-table">
              <thead>
                <tr>
                  <th scope="col">회</th>
                  <th scope="col">번호</th>
                  <th scope="col">제목</th>
                  <th scope="col">상태</th>
                </tr>
              </thead>
              <tbody>
                {view.parts.map((p, i) => (
                  <tr>
                    <td class="nowrap">{i + 1}회</td>
                    <td class="nowrap">{p.articleId}</td>
                    <td>
                      <a href={`/admin/articles/${p.articleId}`}>{p.title}</a>
                    </td>
                    <td class="nowrap">
                      {STATUS[p.status]}
                      {p.status === 'published' && p.publishedAt !== null ? (
                        <small> {formatKstDateTime(p.publishedAt)}</small>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p class="hint">
          독자에게는 출고된 회차만 차례대로 1회, 2회…로 보입니다. 아직 쓰는 중인 기사도 미리 넣어 둘
          수 있습니다.
        </p>
        <form method="post" action={`/admin/series/${s.id}/parts`} class="stack">
          <Csrf token={chrome.csrfToken} />
          <label>
            기사 번호 (읽는 순서대로, 한 줄에 하나 또는 쉼표로)
            <textarea name="parts" rows={6} placeholder={'예:\n120\n134\n151'}>
              {partsText}
            </textarea>
          </label>
          <button type="submit" class="button primary">
            순서 저장
          </button>
        </form>
      </section>
      <section class="panel">
        <h2>제목·소개·이미지</h2>
        <form
          method="post"
          action={`/admin/series/${s.id}`}
          enctype="multipart/form-data"
          class="stack"
        >
          <Csrf token={chrome.csrfToken} />
          <SeriesFields values={view.values ?? s} photoSrc={s.photoSrc} />
          <button type="submit" class="button primary">
            저장
          </button>
        </form>
      </section>
      <section class="panel">
        <h2>연재 지우기</h2>
        <p class="hint">
          연재 페이지와 기사의 ‘연재 n회’ 표시가 사라집니다. 기사는 그대로 있습니다.
        </p>
        <form method="post" action={`/admin/series/${s.id}/delete`}>
          <Csrf token={chrome.csrfToken} />
          <button type="submit" class="button danger">
            연재 지우기
          </button>
        </form>
      </section>
    </AdminLayout>,
  );
}
