import { formatKstDateTime } from '../../../shared/kst.ts';
import { renderDocument } from '../../../views/jsx/jsx-runtime.ts';
import { AdminLayout, Csrf, ErrorFlash, FieldError } from '../../../views/admin/AdminLayout.tsx';
import { NOTICE_KINDS, type NoticeKind } from '../../../shared/notice-kinds.ts';
import { ARTICLE_ORIGINS, ORIGIN_KEYS } from '../../../shared/article-origins.ts';
import type { AdminChrome, FieldErrors, OptionView } from '../../../views/admin/model.ts';
import { ArticleTable, type ArticleRowView } from '../../../views/admin/ArticleTable.tsx';

export interface ArticleListView {
  heading: string;
  filters: { value: string; label: string; current: boolean }[];
  /** The status tab chosen ('' for 전체), kept when the origin or the search changes. */
  status: string;
  /** 기사 구분 to filter by; '' for every origin. */
  origins: OptionView[];
  origin: string;
  query: string;
  rows: ArticleRowView[];
  nextHref: string | null;
  canCreate: boolean;
}

/** The list's address for a status tab, keeping the chosen origin. */
function listHref({ status, origin }: { status: string; origin: string }): string {
  const params = new URLSearchParams();
  if (status) params.set('status', status);
  if (origin) params.set('origin', origin);
  const query = params.toString();
  return `/admin/articles${query ? `?${query}` : ''}`;
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
                href={listHref({ status: f.value, origin: view.origin })}
                aria-current={f.current ? 'page' : undefined}
              >
                {f.label}
              </a>
            </li>
          ))}
        </ul>
        {view.status ? <input type="hidden" name="status" value={view.status} /> : null}
        <label class="origin-filter">
          <span class="visually-hidden">기사 구분</span>
          <select name="origin">
            <option value="">모든 구분</option>
            {view.origins.map((o) => (
              <option value={o.value} selected={o.value === view.origin}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
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

export interface NoticeView {
  id: number;
  kind: NoticeKind;
  body: string;
  createdAt: number;
  updatedAt: number | null;
  withdrawnAt: number | null;
  versions: {
    action: 'created' | 'edited' | 'withdrawn';
    body: string;
    at: number;
    userName: string | null;
  }[];
}

const VERSION_LABELS = { created: '게시', edited: '수정', withdrawn: '철회' } as const;

export interface PhotoChoice {
  id: string;
  src: string;
  caption: string;
  credit: string;
  /** Focal point in percent, `x,y`. */
  focus: string;
}

/** A byline the picker offers: `label` is unique (name and email or title). */
export interface BylineOption {
  value: string;
  label: string;
  name: string;
  /** Email or title, shown small on the chip. */
  detail: string;
}

/**
 * The byline: chips in print order (a ticked box each, so without JavaScript unticking
 * removes one), a search box over staff and earlier writers (a datalist: the browser
 * filters as you type), and a new outside writer by name. The script in
 * client/admin/byline.ts turns a pick into a chip at once and lets × remove it.
 */
function BylinePicker({ view, disabled }: { view: EditorView; disabled: boolean }) {
  const v = view.values;
  const byId = new Map(view.authors.map((a) => [a.value, a]));
  const chosen = v.authorIds.flatMap((id) => byId.get(id) ?? []);
  const error = view.errors.authorIds;
  return (
    <fieldset class="field byline-picker" data-byline-picker aria-describedby="byline-hint">
      <legend>바이라인</legend>
      {error ? (
        <p class="field-error" id="f-authorIds-error" role="alert">
          {error}
        </p>
      ) : null}
      <ol class="byline-chips" data-byline-chips aria-label="바이라인 순서">
        {chosen.map((a) => (
          <li class="byline-chip">
            <label>
              <input
                type="checkbox"
                name="authorIds"
                value={a.value}
                checked
                disabled={disabled}
                data-byline-keep
              />
              <span class="byline-name">{a.name}</span> <small>{a.detail}</small>
            </label>
            <button
              type="button"
              class="chip-remove"
              data-byline-remove
              hidden
              aria-label={`${a.name} 빼기`}
            >
              ×
            </button>
          </li>
        ))}
      </ol>
      <label class="byline-search">
        <span>기자·필자 찾기</span>
        <input
          id="f-authorIds"
          name="bylineAdd"
          value={v.bylineAdd}
          list="byline-options"
          autocomplete="off"
          placeholder="이름을 입력하세요"
          maxlength={200}
          disabled={disabled}
          data-byline-search
        />
      </label>
      <datalist id="byline-options">
        {view.authors.map((a) => (
          <option value={a.label} data-id={a.value} data-name={a.name} data-detail={a.detail} />
        ))}
      </datalist>
      <p class="hint" id="byline-hint">
        이름 순서대로 실립니다. 체크를 풀면 저장할 때 빠집니다.
      </p>
      {view.canAddAuthor ? (
        <details class="byline-new" open={v.newAuthorName !== ''}>
          <summary>새 필자 추가 (계정 없는 외부 필자·객원 기자)</summary>
          <label>
            이름
            <input
              name="newAuthorName"
              value={v.newAuthorName}
              maxlength={80}
              disabled={disabled}
            />
          </label>
          <label>
            직함 (선택)
            <input
              name="newAuthorTitle"
              value={v.newAuthorTitle}
              maxlength={40}
              placeholder="예: 객원 기자, 칼럼니스트"
              list="byline-titles"
              disabled={disabled}
            />
          </label>
          <datalist id="byline-titles">
            <option value="객원 기자" />
            <option value="외부 필자" />
            <option value="칼럼니스트" />
            <option value="논설위원" />
            <option value="통신원" />
          </datalist>
          <p class="hint">저장하면 바이라인 끝에 붙습니다.</p>
        </details>
      ) : null}
    </fieldset>
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
    /** 기사 구분: own, wire, press_release, contribution, advertorial. */
    origin: string;
    tags: string;
    authorIds: string[];
    /** The byline search box and the new outside writer, as typed. */
    bylineAdd: string;
    newAuthorName: string;
    newAuthorTitle: string;
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
  authors: BylineOption[];
  /** May add a byline without an account (외부 필자) by name: byline.others. */
  canAddAuthor: boolean;
  /** The article's photos, body order first: the featured photo is picked among them. */
  photoChoices: PhotoChoice[];
  /** Body photos whose library caption this staff member may not change, comma-separated. */
  lockedPhotoIds: string;
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
  notices: NoticeView[];
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
          // Unsaved typing is saved first (client/admin/desk.ts), so the preview shows it.
          <form method="post" action={`/admin/articles/${view.id}/preview`} class="inline-form">
            <Csrf token={chrome.csrfToken} />
            <input type="hidden" name="purpose" value="desk" />
            <button type="submit" class="button">
              미리보기
            </button>
          </form>
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
              data-locked-photo-ids={view.lockedPhotoIds}
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
            label="기사 구분"
            name="origin"
            error={e.origin}
            hint="포털 제휴 심사는 자체기사를 따로 셉니다. 광고성 기사는 독자에게 ‘광고’로 표시됩니다."
          >
            <select id="f-origin" name="origin" required disabled={disabled}>
              {ORIGIN_KEYS.map((key) => (
                <option value={key} selected={key === v.origin}>
                  {ARTICLE_ORIGINS[key]}
                </option>
              ))}
            </select>
          </Field>
          <BylinePicker view={view} disabled={disabled} />
          <Field label="태그" name="tags" error={e.tags} hint="쉼표로 나눕니다. 예: 감귤, 농업">
            <input id="f-tags" name="tags" value={v.tags} disabled={disabled} />
          </Field>
          <fieldset class="featured-choices" data-featured-choices>
            <legend>대표 사진</legend>
            <p class="hint">
              첫 화면과 목록의 썸네일, 공유 이미지로 쓰입니다. 고르지 않으면 본문 첫 사진이 대표
              사진이 됩니다.
            </p>
            {e.featuredPhotoId ? <p class="field-error">{e.featuredPhotoId}</p> : null}
            <div class="featured-grid" data-featured-grid>
              <label class="featured-choice featured-auto">
                <input
                  type="radio"
                  name="featuredPhotoId"
                  value=""
                  checked={v.featuredPhotoId === ''}
                  disabled={disabled}
                />
                <span>자동 (본문 첫 사진)</span>
              </label>
              {view.photoChoices.map((p) => (
                <label class="featured-choice" data-photo-id={p.id} data-focus={p.focus}>
                  <input
                    type="radio"
                    name="featuredPhotoId"
                    value={p.id}
                    checked={v.featuredPhotoId === p.id}
                    disabled={disabled}
                  />
                  <img src={p.src} alt="" width={120} height={80} loading="lazy" />
                  <span>{p.caption || '설명 없음'}</span>
                </label>
              ))}
            </div>
            {view.photoChoices.length === 0 ? (
              <p class="hint" data-featured-empty>
                본문에 사진을 넣으면 여기에서 대표 사진을 고를 수 있습니다.
              </p>
            ) : null}
            {disabled ? null : (
              <button type="button" class="button" data-featured-pick hidden>
                사진함에서 고르기
              </button>
            )}
            {disabled ? null : (
              <div class="featured-focus" data-featured-focus hidden>
                <p class="hint">
                  초점: 카드(16:9, 4:3, 1:1)로 잘려도 보여야 할 곳을 사진에서 누르세요.
                </p>
                <input type="hidden" name="featuredFocusPhotoId" value="" />
                <input type="hidden" name="featuredFocusX" value="" />
                <input type="hidden" name="featuredFocusY" value="" />
              </div>
            )}
          </fieldset>
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
          <input type="hidden" name="step" value="preview" />
          <h3>정정·반론·추후보도 붙이기</h3>
          <p class="hint">
            기사 제목 아래, 본문 위에 날짜와 함께 표시됩니다. 게시 전에 독자에게 보일 모습을
            확인합니다. 게시한 뒤에도 고치거나 거둘 수 있고, 모든 문구가 기록에 남습니다.
          </p>
          <label>
            종류
            <select name="kind">
              {(Object.keys(NOTICE_KINDS) as NoticeKind[]).map((k) => (
                <option value={k}>{NOTICE_KINDS[k]}</option>
              ))}
            </select>
          </label>
          <label>
            내용
            <textarea name="body" rows={3} required maxlength={5000}></textarea>
          </label>
          <button type="submit" class="button">
            미리 보기
          </button>
        </form>
      ) : null}
      {view.notices.length > 0 ? (
        <ul class="notice-list">
          {view.notices.map((n) => (
            <li class={n.withdrawnAt !== null ? 'notice-withdrawn' : undefined}>
              <strong>{NOTICE_KINDS[n.kind]}</strong> <time>{formatKstDateTime(n.createdAt)}</time>
              {n.withdrawnAt !== null ? (
                <span class="badge">철회 {formatKstDateTime(n.withdrawnAt)}</span>
              ) : n.updatedAt !== null ? (
                <small> (수정 {formatKstDateTime(n.updatedAt)})</small>
              ) : null}
              <p>{n.body}</p>
              {n.versions.length > 1 ? (
                <details>
                  <summary>문구 기록 {n.versions.length}건</summary>
                  <ol class="notice-versions">
                    {n.versions.map((v) => (
                      <li>
                        {VERSION_LABELS[v.action]} · <time>{formatKstDateTime(v.at)}</time> ·{' '}
                        {v.userName ?? '알 수 없음'}
                        <p>{v.action === 'withdrawn' ? `사유: ${v.body}` : v.body}</p>
                      </li>
                    ))}
                  </ol>
                </details>
              ) : null}
              {a.addNotice && n.withdrawnAt === null ? (
                <details class="notice-actions">
                  <summary>고치기·거두기</summary>
                  <form method="post" action={`${base}/notices/${n.id}`} class="notice-form">
                    <Csrf token={chrome.csrfToken} />
                    <input type="hidden" name="step" value="preview" />
                    <label>
                      고칠 내용
                      <textarea name="body" rows={3} required maxlength={5000}>
                        {n.body}
                      </textarea>
                    </label>
                    <button type="submit" class="button">
                      고친 모습 미리 보기
                    </button>
                  </form>
                  <form
                    method="post"
                    action={`${base}/notices/${n.id}/withdraw`}
                    class="notice-form"
                  >
                    <Csrf token={chrome.csrfToken} />
                    <label>
                      거두는 사유 (기록에 남고 독자에게는 보이지 않습니다)
                      <input type="text" name="reason" required maxlength={500} />
                    </label>
                    <button type="submit" class="button danger">
                      기사에서 거두기
                    </button>
                  </form>
                </details>
              ) : null}
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

export interface NoticeConfirmView {
  articleId: number;
  articleTitle: string;
  /** Null for a new notice. */
  noticeId: number | null;
  kind: NoticeKind;
  body: string;
  /** When it would show, if posted now. */
  at: number;
  error?: string | undefined;
}

/** The notice as readers will see it, before it goes live: 게시 or keep editing. */
export function renderNoticeConfirm(chrome: AdminChrome, view: NoticeConfirmView): string {
  const base = `/admin/articles/${view.articleId}`;
  const action = view.noticeId === null ? `${base}/notices` : `${base}/notices/${view.noticeId}`;
  return renderDocument(
    <AdminLayout chrome={chrome} title="정정·반론보도 확인">
      <div class="page-head">
        <h1>{view.noticeId === null ? '게시 전 확인' : '고친 문구 확인'}</h1>
      </div>
      <p>
        <a href={base}>{view.articleTitle}</a>
      </p>
      <ErrorFlash message={view.error} />
      <p class="hint">기사 제목 아래, 본문 위에 독자에게 이렇게 보입니다.</p>
      <section class="notice-preview" aria-label="독자에게 보일 모습">
        <div class={`notice notice-${view.kind}`}>
          <h2>
            {NOTICE_KINDS[view.kind]} <time>{formatKstDateTime(view.at)}</time>
          </h2>
          <p>{view.body}</p>
        </div>
      </section>
      <form method="post" action={action} class="notice-form">
        <Csrf token={chrome.csrfToken} />
        {view.noticeId === null ? (
          <label>
            종류
            <select name="kind">
              {(Object.keys(NOTICE_KINDS) as NoticeKind[]).map((k) => (
                <option value={k} selected={k === view.kind}>
                  {NOTICE_KINDS[k]}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          내용
          <textarea name="body" rows={4} required maxlength={5000}>
            {view.body}
          </textarea>
        </label>
        <div class="button-row">
          <button type="submit" name="step" value="publish" class="button primary">
            이대로 게시
          </button>
          <button type="submit" name="step" value="preview" class="button">
            고친 내용 다시 보기
          </button>
          <a class="button" href={base}>
            취소
          </a>
        </div>
      </form>
    </AdminLayout>,
  );
}

export interface PreviewView {
  articleId: number;
  title: string;
  /** The desk's own look: the public page in frames at phone and desktop width. */
  frameUrl: string | null;
  /** A link just made to send to a source: shown once. */
  shareLink: { url: string; expiresAt: number } | null;
  links: {
    id: number;
    purpose: 'desk' | 'share';
    createdBy: string | null;
    createdAt: number;
    expiresAt: number;
  }[];
}

/** 미리보기: the article exactly as readers will see it, before 출고. */
export function renderPreview(chrome: AdminChrome, view: PreviewView): string {
  const base = `/admin/articles/${view.articleId}`;
  return renderDocument(
    <AdminLayout chrome={chrome} title="미리보기">
      <div class="page-head">
        <h1>미리보기</h1>
        <a class="button" href={base}>
          편집으로 돌아가기
        </a>
      </div>
      <p>
        <a href={base}>{view.title || '(제목 없음)'}</a> — 저장된 내용을 독자에게 보일 모습 그대로
        보여 줍니다.
      </p>
      {view.frameUrl !== null ? (
        <div class="preview-frames">
          <figure>
            <figcaption>휴대전화 (390px)</figcaption>
            <iframe src={view.frameUrl} title="휴대전화 미리보기" width="390" height="760"></iframe>
          </figure>
          <figure>
            <figcaption>데스크톱 (1280px)</figcaption>
            <div class="preview-desktop">
              <iframe
                src={view.frameUrl}
                title="데스크톱 미리보기"
                width="1280"
                height="1400"
              ></iframe>
            </div>
          </figure>
        </div>
      ) : null}
      {view.shareLink !== null ? (
        <p class="flash flash-ok" role="status">
          취재원에게 보낼 링크를 만들었습니다({formatKstDateTime(view.shareLink.expiresAt)}까지,
          로그인 없이 열립니다). 지금만 보이니 복사해 두세요:{' '}
          <code class="invite-link">{view.shareLink.url}</code>
        </p>
      ) : null}
      <section class="panel">
        <h2>미리보기 링크</h2>
        <div class="button-row">
          <form method="post" action={`${base}/preview`}>
            <Csrf token={chrome.csrfToken} />
            <input type="hidden" name="purpose" value="desk" />
            <button type="submit" class="button primary">
              지금 모습 보기
            </button>
          </form>
          <form method="post" action={`${base}/preview`}>
            <Csrf token={chrome.csrfToken} />
            <input type="hidden" name="purpose" value="share" />
            <button type="submit" class="button">
              취재원 확인용 링크 만들기 (3일)
            </button>
          </form>
        </div>
        {view.links.length === 0 ? (
          <p class="empty">열려 있는 미리보기 링크가 없습니다.</p>
        ) : (
          <table class="admin-table">
            <thead>
              <tr>
                <th scope="col">용도</th>
                <th scope="col">만든 사람</th>
                <th scope="col">만료</th>
                <th scope="col"></th>
              </tr>
            </thead>
            <tbody>
              {view.links.map((l) => (
                <tr>
                  <td>{l.purpose === 'share' ? '취재원 확인용' : '데스크 확인용'}</td>
                  <td>{l.createdBy ?? '-'}</td>
                  <td>
                    <time>{formatKstDateTime(l.expiresAt)}</time>
                  </td>
                  <td>
                    <form method="post" action={`${base}/preview/${l.id}/revoke`}>
                      <Csrf token={chrome.csrfToken} />
                      <button type="submit" class="button danger">
                        취소
                      </button>
                    </form>
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
