import { formatKstDateTime } from '../../../shared/kst.ts';
import { renderDocument } from '../../../views/jsx/jsx-runtime.ts';
import { AdminLayout, Csrf, FieldError } from '../../../views/admin/AdminLayout.tsx';
import type { AdminChrome, FieldErrors, OptionView } from '../../../views/admin/model.ts';
import { ArticleTable, type ArticleRowView } from '../../../views/admin/ArticleTable.tsx';

export interface ArticleListView {
  heading: string;
  filters: { value: string; label: string; current: boolean }[];
  query: string;
  rows: ArticleRowView[];
  nextHref: string | null;
  canCreate: boolean;
}

export function renderArticleList(chrome: AdminChrome, view: ArticleListView): string {
  return renderDocument(
    <AdminLayout chrome={chrome} title={view.heading}>
      <div class="page-head">
        <h1>{view.heading}</h1>
        {view.canCreate ? (
          <a class="button primary" href="/admin/articles/new">
            새 기사 쓰기
          </a>
        ) : null}
      </div>
      <form method="get" action="/admin/articles" class="filters" role="search">
        <ul class="tabs">
          {view.filters.map((f) => (
            <li>
              <a
                href={`/admin/articles${f.value ? `?status=${f.value}` : ''}`}
                aria-current={f.current ? 'page' : undefined}
              >
                {f.label}
              </a>
            </li>
          ))}
        </ul>
        <label class="search">
          <span class="visually-hidden">제목 검색</span>
          <input type="search" name="q" value={view.query} placeholder="제목 검색" />
        </label>
        <button type="submit" class="button">
          찾기
        </button>
      </form>
      <ArticleTable rows={view.rows} />
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

export interface EditorView {
  mode: 'new' | 'edit';
  id: number | null;
  status: string | null;
  statusLabel: string | null;
  values: {
    title: string;
    subtitle: string;
    bodyHtml: string;
    sectionId: string;
    tags: string;
    authorIds: string[];
    featuredPhotoId: string;
    isPhotoStory: boolean;
    isBreaking: boolean;
    /** When 속보 ends (KST datetime-local); empty: the running end, or six hours on. */
    breakingUntil: string;
    seoTitle: string;
    seoDescription: string;
    embargoUntil: string;
  };
  errors: FieldErrors;
  sections: OptionView[];
  authors: OptionView[];
  featuredPhoto: { src: string; caption: string } | null;
  /** What this staff member may do to the article now (the desk's allowedActions). */
  actions: {
    edit: boolean;
    submit: boolean;
    sendBack: boolean;
    publish: boolean;
    unpublish: boolean;
    trash: boolean;
    restore: boolean;
    addNotice: boolean;
  };
  publishedAt: number | null;
  publishAtValue: string;
  publicUrl: string | null;
  editingBy: string | null;
  lastComment: { text: string; by: string | null; at: number } | null;
  notices: { kind: string; body: string; createdAt: number }[];
  /** 속보 running now, and whether this staff member may clear it (the front desk). */
  breaking?: { until: number; canEnd: boolean } | null;
}

function Field({
  label,
  name,
  error,
  children,
  hint,
}: {
  label: string;
  name: string;
  error: string | undefined;
  children?: unknown;
  hint?: string;
}) {
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label for={`f-${name}`}>{label}</label>
      {children as never}
      {hint ? <p class="hint">{hint}</p> : null}
      <FieldError message={error} id={`e-${name}`} />
    </div>
  );
}

export function renderEditor(chrome: AdminChrome, view: EditorView): string {
  const v = view.values;
  const e = view.errors;
  const action = view.mode === 'new' ? '/admin/articles' : `/admin/articles/${view.id}`;
  const disabled = !view.actions.edit;
  return renderDocument(
    <AdminLayout
      chrome={chrome}
      title={view.mode === 'new' ? '새 기사' : v.title || '기사 편집'}
      editor={true}
    >
      <div class="page-head">
        <h1>{view.mode === 'new' ? '새 기사' : '기사 편집'}</h1>
        {view.statusLabel ? (
          <span class={`status status-${view.status ?? ''}`}>{view.statusLabel}</span>
        ) : null}
        {view.publicUrl ? (
          <a class="button" href={view.publicUrl} target="_blank" rel="noopener">
            기사 보기
          </a>
        ) : null}
        {view.id !== null ? (
          <a class="button" href={`/admin/articles/${view.id}/history`}>
            기록·판
          </a>
        ) : null}
      </div>
      {view.editingBy ? (
        <p class="flash flash-warn" role="alert" data-lock-warning>
          {view.editingBy} 님이 지금 이 기사를 고치고 있습니다. 동시에 고치면 한쪽의 수정이 사라질
          수 있습니다.
        </p>
      ) : (
        <p class="flash flash-warn" role="alert" data-lock-warning hidden></p>
      )}
      {view.lastComment ? (
        <p class="flash flash-error">
          반려: {view.lastComment.text}
          <small>
            {' '}
            — {view.lastComment.by ?? '데스크'}, {formatKstDateTime(view.lastComment.at)}
          </small>
        </p>
      ) : null}
      {Object.keys(e).length > 0 ? (
        <p class="flash flash-error" role="alert">
          입력값을 확인하세요: {Object.values(e).filter(Boolean).join(' ')}
        </p>
      ) : null}
      <form
        method="post"
        action={action}
        class="editor-form"
        data-autosave-url={view.id !== null && view.actions.edit ? `${action}/autosave` : undefined}
        data-heartbeat-url={view.id !== null ? `${action}/heartbeat` : undefined}
      >
        <Csrf token={chrome.csrfToken} />
        <div class="editor-main">
          <Field label="제목" name="title" error={e.title}>
            <input
              id="f-title"
              name="title"
              value={v.title}
              maxlength={200}
              required
              disabled={disabled}
              class="title-input"
              aria-describedby={e.title ? 'e-title' : undefined}
            />
          </Field>
          <Field
            label="부제"
            name="subtitle"
            error={e.subtitle}
            hint="여러 줄을 쓸 수 있습니다. 한 줄이 부제 한 줄입니다."
          >
            <textarea id="f-subtitle" name="subtitle" rows={3} disabled={disabled}>
              {v.subtitle}
            </textarea>
          </Field>
          <Field label="본문" name="bodyHtml" error={e.bodyHtml}>
            <div
              class="editor"
              data-editor
              data-upload-url="/admin/photos"
              data-media-search-url="/admin/photos.json"
            >
              <textarea id="f-bodyHtml" name="bodyHtml" rows={20} disabled={disabled}>
                {v.bodyHtml}
              </textarea>
            </div>
          </Field>
        </div>
        <aside class="editor-side">
          <Field label="섹션" name="sectionId" error={e.sectionId}>
            <select id="f-sectionId" name="sectionId" required disabled={disabled}>
              <option value="">섹션 고르기</option>
              {view.sections.map((s) => (
                <option value={s.value} selected={s.value === v.sectionId}>
                  {s.label}
                </option>
              ))}
            </select>
          </Field>
          <Field
            label="바이라인"
            name="authorIds"
            error={e.authorIds}
            hint="여러 명을 고를 수 있습니다."
          >
            <select id="f-authorIds" name="authorIds" multiple size={5} disabled={disabled}>
              {view.authors.map((a) => (
                <option value={a.value} selected={v.authorIds.includes(a.value)}>
                  {a.label}
                </option>
              ))}
            </select>
          </Field>
          <Field label="태그" name="tags" error={e.tags} hint="쉼표로 나눕니다. 예: 감귤, 농업">
            <input id="f-tags" name="tags" value={v.tags} disabled={disabled} />
          </Field>
          <Field
            label="대표 사진 번호"
            name="featuredPhotoId"
            error={e.featuredPhotoId}
            hint="사진함에서 사진 번호를 확인하세요."
          >
            <input
              id="f-featuredPhotoId"
              name="featuredPhotoId"
              value={v.featuredPhotoId}
              inputmode="numeric"
              disabled={disabled}
            />
          </Field>
          {view.featuredPhoto ? (
            <figure class="featured-preview">
              <img src={view.featuredPhoto.src} alt="" width={240} />
              <figcaption>{view.featuredPhoto.caption}</figcaption>
            </figure>
          ) : null}
          <fieldset class="checks">
            <legend>표시</legend>
            <label>
              <input
                type="checkbox"
                name="isBreaking"
                value="1"
                checked={v.isBreaking}
                disabled={disabled}
              />{' '}
              속보
            </label>
            <label class="breaking-until">
              종료 (KST){' '}
              <input
                type="datetime-local"
                name="breakingUntil"
                value={v.breakingUntil}
                disabled={disabled}
                aria-describedby="breaking-until-hint"
              />
            </label>
            <small id="breaking-until-hint" class="hint">
              비우면 6시간 뒤에 끝납니다. 48시간까지 걸 수 있습니다.
            </small>
            {e.breakingUntil ? (
              <span class="field-error" role="alert">
                {e.breakingUntil}
              </span>
            ) : null}
            <label>
              <input
                type="checkbox"
                name="isPhotoStory"
                value="1"
                checked={v.isPhotoStory}
                disabled={disabled}
              />{' '}
              와이드포토(포토 기사)
            </label>
          </fieldset>
          <Field
            label="엠바고 (KST)"
            name="embargoUntil"
            error={e.embargoUntil}
            hint="이 시각 전에는 출고도, 예약도, 노출도 되지 않습니다."
          >
            <input
              id="f-embargoUntil"
              type="datetime-local"
              name="embargoUntil"
              value={v.embargoUntil}
              disabled={disabled}
            />
          </Field>
          <details
            class="seo"
            open={Boolean(v.seoTitle || v.seoDescription || e.seoTitle || e.seoDescription)}
          >
            <summary>검색엔진 설정(SEO)</summary>
            <Field label="SEO 제목" name="seoTitle" error={e.seoTitle}>
              <input
                id="f-seoTitle"
                name="seoTitle"
                value={v.seoTitle}
                maxlength={200}
                disabled={disabled}
              />
            </Field>
            <Field label="SEO 설명" name="seoDescription" error={e.seoDescription}>
              <textarea
                id="f-seoDescription"
                name="seoDescription"
                rows={3}
                maxlength={400}
                disabled={disabled}
              >
                {v.seoDescription}
              </textarea>
            </Field>
          </details>
          {view.actions.edit ? (
            <div class="save-row">
              <button type="submit" class="button primary">
                저장
              </button>
              <span class="autosave-status" aria-live="polite" data-autosave-status></span>
            </div>
          ) : (
            <p class="hint">이 상태의 기사는 고칠 수 없습니다.</p>
          )}
        </aside>
      </form>
      {view.id !== null ? <WorkflowActions chrome={chrome} view={view} /> : null}
    </AdminLayout>,
  );
}

function WorkflowActions({ chrome, view }: { chrome: AdminChrome; view: EditorView }) {
  const base = `/admin/articles/${view.id}`;
  const a = view.actions;
  return (
    <section class="panel workflow">
      <h2>송고</h2>
      {view.breaking ? (
        <p class="breaking-now">
          <span class="flag-breaking">속보</span> {formatKstDateTime(view.breaking.until)}까지 걸려
          있습니다.{' '}
          {view.breaking.canEnd ? (
            <form method="post" action={`/admin/front/breaking/${view.id}/end`} class="inline">
              <Csrf token={chrome.csrfToken} />
              <input type="hidden" name="back" value="editor" />
              <button type="submit" class="button small danger">
                속보 해제
              </button>
            </form>
          ) : null}
        </p>
      ) : null}
      <div class="workflow-actions">
        {a.submit ? (
          <form method="post" action={`${base}/submit`}>
            <Csrf token={chrome.csrfToken} />
            <button type="submit" class="button primary">
              데스크로 보내기
            </button>
          </form>
        ) : null}
        {a.publish ? (
          <form method="post" action={`${base}/publish`} class="publish-form">
            <Csrf token={chrome.csrfToken} />
            <label>
              예약 시각 (KST, 비우면 지금)
              <input type="datetime-local" name="publishAt" value={view.publishAtValue} />
            </label>
            <button type="submit" class="button primary">
              {view.status === 'published' ? '출고 시각 변경' : '출고'}
            </button>
          </form>
        ) : null}
        {a.sendBack ? (
          <form method="post" action={`${base}/send-back`} class="send-back-form">
            <Csrf token={chrome.csrfToken} />
            <label>
              반려 사유
              <textarea name="comment" rows={2} required></textarea>
            </label>
            <button type="submit" class="button">
              반려
            </button>
          </form>
        ) : null}
        {a.unpublish ? (
          <form method="post" action={`${base}/unpublish`}>
            <Csrf token={chrome.csrfToken} />
            <button type="submit" class="button danger">
              출고 취소
            </button>
          </form>
        ) : null}
        {a.trash ? (
          <form method="post" action={`${base}/trash`}>
            <Csrf token={chrome.csrfToken} />
            <button type="submit" class="button danger">
              휴지통으로
            </button>
          </form>
        ) : null}
        {a.restore ? (
          <form method="post" action={`${base}/restore`}>
            <Csrf token={chrome.csrfToken} />
            <button type="submit" class="button">
              복원
            </button>
          </form>
        ) : null}
      </div>
      {a.addNotice ? (
        <form method="post" action={`${base}/notices`} class="notice-form">
          <Csrf token={chrome.csrfToken} />
          <h3>정정·반론보도 붙이기</h3>
          <p class="hint">
            붙인 뒤에는 고치거나 지울 수 없습니다. 기사 아래에 날짜와 함께 표시됩니다.
          </p>
          <label>
            종류
            <select name="kind">
              <option value="correction">정정보도</option>
              <option value="reply">반론보도</option>
            </select>
          </label>
          <label>
            내용
            <textarea name="body" rows={3} required></textarea>
          </label>
          <button type="submit" class="button">
            붙이기
          </button>
        </form>
      ) : null}
      {view.notices.length > 0 ? (
        <ul class="notice-list">
          {view.notices.map((n) => (
            <li>
              <strong>{n.kind === 'correction' ? '정정보도' : '반론보도'}</strong>{' '}
              <time>{formatKstDateTime(n.createdAt)}</time> {n.body}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

export interface HistoryView {
  id: number;
  title: string;
  events: { kind: string; label: string; comment: string; at: number; userName: string | null }[];
  revisions: { id: number; createdAt: number; userName: string | null; title: string }[];
  canRestore: boolean;
}

export function renderHistory(chrome: AdminChrome, view: HistoryView): string {
  return renderDocument(
    <AdminLayout chrome={chrome} title={`기록 · ${view.title}`}>
      <div class="page-head">
        <h1>기록과 판</h1>
        <a class="button" href={`/admin/articles/${view.id}`}>
          편집으로
        </a>
      </div>
      <p class="lede">{view.title}</p>
      <section class="panel">
        <h2>판 (수정본)</h2>
        {view.revisions.length === 0 ? (
          <p class="empty">
            뉴스룸에서 저장한 판이 없습니다. 가져오기나 데모로 들어온 기사는 첫 저장부터 기록됩니다.
          </p>
        ) : null}
        <table class="admin-table" hidden={view.revisions.length === 0}>
          <thead>
            <tr>
              <th scope="col">판</th>
              <th scope="col">저장</th>
              <th scope="col">누가</th>
              <th scope="col">제목</th>
            </tr>
          </thead>
          <tbody>
            {view.revisions.map((r, i) => (
              <tr>
                <td>
                  <a href={`/admin/articles/${view.id}/revisions/${r.id}`}>
                    {i === 0 ? '현재' : `${view.revisions.length - i}판`}
                  </a>
                </td>
                <td>{formatKstDateTime(r.createdAt)}</td>
                <td>{r.userName ?? '-'}</td>
                <td>{r.title}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="panel">
        <h2>처리 기록</h2>
        {view.events.length === 0 ? <p class="empty">처리 기록이 없습니다.</p> : null}
        <ol class="events">
          {view.events.map((ev) => (
            <li>
              <time>{formatKstDateTime(ev.at)}</time> <strong>{ev.label}</strong>{' '}
              {ev.userName ?? '시스템'}
              {ev.comment ? <q>{ev.comment}</q> : null}
            </li>
          ))}
        </ol>
      </section>
    </AdminLayout>,
  );
}

export interface RevisionView {
  articleId: number;
  revisionId: number;
  label: string;
  createdAt: number;
  userName: string | null;
  comparedWith: string;
  /**
   * Title, subtitle and body text: parts added, removed or unchanged, compared word by word,
   * paragraph by paragraph (long or very different texts), or not at all (too large).
   */
  diffs: {
    field: string;
    granularity: 'words' | 'paragraphs' | 'too-large';
    parts: { kind: 'same' | 'added' | 'removed'; text: string }[];
    beforeChars: number;
    afterChars: number;
  }[];
  canRestore: boolean;
}

export function renderRevision(chrome: AdminChrome, view: RevisionView): string {
  return renderDocument(
    <AdminLayout chrome={chrome} title={`${view.label} 비교`}>
      <div class="page-head">
        <h1>{view.label}</h1>
        <a class="button" href={`/admin/articles/${view.articleId}/history`}>
          기록으로
        </a>
      </div>
      <p>
        {formatKstDateTime(view.createdAt)} · {view.userName ?? '-'} · {view.comparedWith}과(와)
        비교{' '}
        <span class="diff-legend">
          <ins>추가</ins> <del>삭제</del>
        </span>
      </p>
      {view.diffs.map((d) => (
        <section class="panel diff">
          <h2>{d.field}</h2>
          {d.granularity === 'paragraphs' ? (
            <p class="hint">글이 길거나 많이 바뀌어 문단 단위로 비교했습니다.</p>
          ) : d.granularity === 'too-large' ? (
            <p class="hint">
              두 판의 차이가 너무 커서 나란히 비교하지 않았습니다 (
              {d.beforeChars.toLocaleString('ko-KR')}자 → {d.afterChars.toLocaleString('ko-KR')}
              자).
            </p>
          ) : null}
          <p class="diff-text">
            {d.parts.map((p) =>
              p.kind === 'added' ? (
                <ins>{p.text}</ins>
              ) : p.kind === 'removed' ? (
                <del>{p.text}</del>
              ) : (
                p.text
              ),
            )}
          </p>
        </section>
      ))}
      {view.canRestore ? (
        <form
          method="post"
          action={`/admin/articles/${view.articleId}/revisions/${view.revisionId}/restore`}
        >
          <Csrf token={chrome.csrfToken} />
          <button type="submit" class="button primary">
            이 판으로 되돌리기
          </button>
          <p class="hint">되돌리기도 새 판으로 기록됩니다. 지난 기록은 지워지지 않습니다.</p>
        </form>
      ) : null}
    </AdminLayout>,
  );
}
