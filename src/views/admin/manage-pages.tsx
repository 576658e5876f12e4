import { formatKstDateTime } from '../../shared/kst.ts';
import { renderDocument } from '../jsx/jsx-runtime.ts';
import { AdminLayout, Csrf, ErrorFlash } from './AdminLayout.tsx';
import { ROLE_LABELS, type AdminChrome, type StaffRoleName } from './model.ts';

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

export interface StaffRowView {
  id: number;
  name: string;
  email: string;
  role: StaffRoleName;
  disabled: boolean;
  totp: boolean;
}

export function renderStaff(
  chrome: AdminChrome,
  view: {
    staff: StaffRowView[];
    error?: string;
    invited?: { email: string; link: string };
    values?: Record<string, string>;
  },
): string {
  const v = view.values ?? {};
  const roles = Object.entries(ROLE_LABELS) as [StaffRoleName, string][];
  return renderDocument(
    <AdminLayout chrome={chrome} title="직원">
      <div class="page-head">
        <h1>직원</h1>
      </div>
      <ErrorFlash message={view.error} />
      {view.invited ? (
        <p class="flash flash-ok" role="status">
          {view.invited.email} 님을 초대했습니다. 이 주소를 전달하세요(24시간, 한 번만 쓸 수
          있습니다): <code class="invite-link">{view.invited.link}</code>
        </p>
      ) : null}
      <table class="admin-table">
        <thead>
          <tr>
            <th scope="col">이름</th>
            <th scope="col">이메일</th>
            <th scope="col">역할</th>
            <th scope="col">2단계</th>
            <th scope="col"></th>
          </tr>
        </thead>
        <tbody>
          {view.staff.map((s) => (
            <tr class={s.disabled ? 'disabled' : undefined}>
              <td>{s.name}</td>
              <td>{s.email}</td>
              <td>
                <form method="post" action={`/admin/staff/${s.id}`} class="inline-form">
                  <Csrf token={chrome.csrfToken} />
                  <select name="role" aria-label={`${s.name} 역할`}>
                    {roles.map(([value, label]) => (
                      <option value={value} selected={value === s.role}>
                        {label}
                      </option>
                    ))}
                  </select>
                  <button type="submit" name="action" value="role" class="button">
                    변경
                  </button>
                  {s.disabled ? null : (
                    <button type="submit" name="action" value="disable" class="button danger">
                      사용 중지
                    </button>
                  )}
                </form>
              </td>
              <td>{s.totp ? '사용' : '-'}</td>
              <td>{s.disabled ? '중지됨' : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <section class="panel">
        <h2>직원 초대</h2>
        <form method="post" action="/admin/staff" class="stack">
          <Csrf token={chrome.csrfToken} />
          <label>
            이름
            <input name="name" value={v.name ?? ''} maxlength={80} required />
          </label>
          <label>
            이메일
            <input type="email" name="email" value={v.email ?? ''} required />
          </label>
          <label>
            역할
            <select name="role">
              {roles.map(([value, label]) => (
                <option value={value} selected={value === (v.role ?? 'reporter')}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" class="button primary">
            초대 링크 만들기
          </button>
        </form>
      </section>
    </AdminLayout>,
  );
}

export function renderAccount(
  chrome: AdminChrome,
  view: {
    mustChangePassword: boolean;
    totpEnabled: boolean;
    totpSetup?: { secret: string; uri: string };
    error?: string;
    sessions: { createdAt: number; userAgent: string; current: boolean }[];
  },
): string {
  return renderDocument(
    <AdminLayout chrome={chrome} title="내 계정">
      <div class="page-head">
        <h1>내 계정</h1>
      </div>
      {view.mustChangePassword ? (
        <p class="flash flash-warn" role="alert">
          처음 받은 임시 비밀번호입니다. 계속하려면 새 비밀번호로 바꾸세요.
        </p>
      ) : null}
      <ErrorFlash message={view.error} />
      <section class="panel">
        <h2>비밀번호 변경</h2>
        <form method="post" action="/admin/account/password" class="stack">
          <Csrf token={chrome.csrfToken} />
          <label>
            지금 비밀번호
            <input type="password" name="current" autocomplete="current-password" required />
          </label>
          <label>
            새 비밀번호 (10자 이상)
            <input
              type="password"
              name="next"
              autocomplete="new-password"
              minlength={10}
              required
            />
          </label>
          <button type="submit" class="button primary">
            바꾸기
          </button>
        </form>
      </section>
      <section class="panel">
        <h2>2단계 인증 (OTP)</h2>
        {view.totpEnabled ? (
          <form method="post" action="/admin/account/totp/disable" class="stack">
            <Csrf token={chrome.csrfToken} />
            <p>사용 중입니다.</p>
            <label>
              인증 코드
              <input name="code" inputmode="numeric" maxlength={6} required />
            </label>
            <button type="submit" class="button danger">
              끄기
            </button>
          </form>
        ) : view.totpSetup ? (
          <form method="post" action="/admin/account/totp/confirm" class="stack">
            <Csrf token={chrome.csrfToken} />
            <p>
              인증 앱에 이 키를 등록하세요: <code>{view.totpSetup.secret}</code>
            </p>
            <p class="hint">
              <code>{view.totpSetup.uri}</code>
            </p>
            <label>
              앱에 나온 6자리 코드
              <input name="code" inputmode="numeric" maxlength={6} required />
            </label>
            <button type="submit" class="button primary">
              켜기
            </button>
          </form>
        ) : (
          <form method="post" action="/admin/account/totp/begin">
            <Csrf token={chrome.csrfToken} />
            <button type="submit" class="button">
              2단계 인증 설정
            </button>
          </form>
        )}
      </section>
      <section class="panel">
        <h2>로그인한 기기</h2>
        <ul>
          {view.sessions.map((s) => (
            <li>
              {formatKstDateTime(s.createdAt)} · {s.userAgent || '알 수 없는 기기'}
              {s.current ? <strong> (지금 이 기기)</strong> : null}
            </li>
          ))}
        </ul>
        <form method="post" action="/admin/logout-everywhere">
          <Csrf token={chrome.csrfToken} />
          <button type="submit" class="button danger">
            모든 기기에서 로그아웃
          </button>
        </form>
      </section>
    </AdminLayout>,
  );
}
