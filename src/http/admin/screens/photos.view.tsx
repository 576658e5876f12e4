import { renderDocument } from '../../../views/jsx/jsx-runtime.ts';
import { AdminLayout, Csrf, ErrorFlash } from '../../../views/admin/AdminLayout.tsx';
import type { AdminChrome } from '../../../views/admin/model.ts';

export interface PhotoItemView {
  id: number;
  src: string;
  caption: string;
  credit: string;
  alt: string;
  width: number;
  height: number;
  /** Whether this staff member may change its caption, credit and alt text. */
  editable: boolean;
}

export function renderPhotoLibrary(
  chrome: AdminChrome,
  view: { query: string; items: PhotoItemView[]; nextHref: string | null; error?: string },
): string {
  return renderDocument(
    <AdminLayout chrome={chrome} title="사진함">
      <div class="page-head">
        <h1>사진함</h1>
      </div>
      <ErrorFlash message={view.error} />
      <section class="panel">
        <h2>사진 올리기</h2>
        <form
          method="post"
          action="/admin/photos"
          enctype="multipart/form-data"
          class="upload-form stack"
        >
          <Csrf token={chrome.csrfToken} />
          <label>
            사진 파일 (JPEG, PNG, WebP · 최대 20MB)
            <input
              type="file"
              name="file"
              accept="image/jpeg,image/png,image/webp,image/heic"
              required
            />
          </label>
          <label>
            사진 설명
            <input name="caption" maxlength={2000} />
          </label>
          <label>
            출처·촬영
            <input name="credit" maxlength={120} placeholder="예: 홍길동 기자" />
          </label>
          <label>
            대체 텍스트 (화면 낭독기용)
            <input name="alt" maxlength={300} />
          </label>
          <button type="submit" class="button primary">
            올리기
          </button>
        </form>
      </section>
      <form method="get" action="/admin/photos" class="filters" role="search">
        <label class="search">
          <span class="visually-hidden">사진 검색</span>
          <input type="search" name="q" value={view.query} placeholder="설명, 출처로 찾기" />
        </label>
        <button type="submit" class="button">
          찾기
        </button>
      </form>
      {view.items.length === 0 ? <p class="empty">사진이 없습니다.</p> : null}
      <ul class="photo-library">
        {view.items.map((p) => (
          <li>
            <img src={p.src} alt={p.alt} width={p.width} height={p.height} loading="lazy" />
            {p.editable ? (
              <form method="post" action={`/admin/photos/${p.id}`} class="stack">
                <Csrf token={chrome.csrfToken} />
                <p class="photo-id">사진 {p.id}번</p>
                <label>
                  설명
                  <input name="caption" value={p.caption} maxlength={2000} />
                </label>
                <label>
                  출처
                  <input name="credit" value={p.credit} maxlength={120} />
                </label>
                <label>
                  대체 텍스트
                  <input name="alt" value={p.alt} maxlength={300} />
                </label>
                <button type="submit" class="button">
                  저장
                </button>
              </form>
            ) : (
              <div class="stack">
                <p class="photo-id">사진 {p.id}번</p>
                <p>{p.caption === '' ? '(설명 없음)' : p.caption}</p>
                <p class="hint">
                  {p.credit === '' ? '' : `${p.credit} · `}설명은 올린 사람이, 출고된 기사에 쓰인
                  뒤에는 데스크가 고칩니다.
                </p>
              </div>
            )}
          </li>
        ))}
      </ul>
      {view.nextHref ? (
        <p class="pager">
          <a class="button" href={view.nextHref}>
            다음 쪽
          </a>
        </p>
      ) : null}
    </AdminLayout>,
  );
}
