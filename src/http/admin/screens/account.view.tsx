import { formatKstDateTime } from '../../../shared/kst.ts';
import { renderDocument } from '../../../views/jsx/jsx-runtime.ts';
import { AdminLayout, Csrf, ErrorFlash } from '../../../views/admin/AdminLayout.tsx';
import type { AdminChrome } from '../../../views/admin/model.ts';
import { ProfileForm, type ProfileFormView } from '../../../views/admin/ProfileForm.tsx';

export function renderAccount(
  chrome: AdminChrome,
  view: {
    /** The byline's 기자 페이지 profile; null for an account without a byline. */
    profile: { form: ProfileFormView; publicUrl: string } | null;
    mustChangePassword: boolean;
    totpEnabled: boolean;
    totpSetup?: { secret: string; uri: string };
    error?: string;
    /** `device` is the browser and system in words (Chrome · Windows), not the raw header. */
    sessions: { createdAt: number; lastSeenAt: number; device: string; current: boolean }[];
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
      {view.profile !== null && !view.mustChangePassword ? (
        <section class="panel">
          <h2>기자 페이지 소개</h2>
          <p class="hint">
            기사 바이라인을 누른 독자가 보는 페이지입니다. 이름과 이메일은 계정 정보를 따릅니다.
          </p>
          <ProfileForm
            profile={view.profile.form}
            action="/admin/account/profile"
            csrf={chrome.csrfToken}
            identity={false}
            publicUrl={view.profile.publicUrl}
          />
        </section>
      ) : null}
      <section class="panel">
        <h2>로그인한 기기</h2>
        <ul>
          {view.sessions.map((s) => (
            <li>
              <strong>{s.device}</strong>
              {s.current ? ' (지금 이 기기)' : null}
              <br />
              <small>
                마지막 사용 {formatKstDateTime(s.lastSeenAt)} · 로그인{' '}
                {formatKstDateTime(s.createdAt)}
              </small>
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
