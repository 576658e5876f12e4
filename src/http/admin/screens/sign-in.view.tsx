import { renderDocument } from '../../../views/jsx/jsx-runtime.ts';
import { AdminBareLayout, ErrorFlash } from '../../../views/admin/AdminLayout.tsx';

interface BareProps {
  siteName: string;
  stylesheet: string;
}

export function renderLoginPage(
  props: BareProps & { csrfToken: string; email: string; next: string; error?: string },
): string {
  return renderDocument(
    <AdminBareLayout siteName={props.siteName} stylesheet={props.stylesheet} title="로그인">
      <h1>로그인</h1>
      <ErrorFlash message={props.error} />
      <form method="post" action="/admin/login" class="stack">
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <input type="hidden" name="next" value={props.next} />
        <label>
          이메일
          <input
            type="email"
            name="email"
            value={props.email}
            autocomplete="username"
            required
            autofocus
          />
        </label>
        <label>
          비밀번호
          <input type="password" name="password" autocomplete="current-password" required />
        </label>
        <button type="submit" class="button primary">
          로그인
        </button>
      </form>
    </AdminBareLayout>,
  );
}

export function renderSecondFactorPage(
  props: BareProps & { csrfToken: string; error?: string },
): string {
  return renderDocument(
    <AdminBareLayout siteName={props.siteName} stylesheet={props.stylesheet} title="2단계 인증">
      <h1>2단계 인증</h1>
      <p>인증 앱에 표시된 6자리 숫자를 입력하세요.</p>
      <ErrorFlash message={props.error} />
      <form method="post" action="/admin/2fa" class="stack">
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <label>
          인증 코드
          <input
            name="code"
            inputmode="numeric"
            pattern="[0-9]{6}"
            maxlength={6}
            autocomplete="one-time-code"
            required
            autofocus
          />
        </label>
        <button type="submit" class="button primary">
          확인
        </button>
      </form>
      <form method="post" action="/admin/logout">
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <button type="submit" class="link-button">
          다른 계정으로 로그인
        </button>
      </form>
    </AdminBareLayout>,
  );
}

export function renderSetupPage(
  props: BareProps & {
    csrfToken: string;
    token: string;
    /** Whose account the link is for; null when the link is no longer good. */
    account: { name: string; email: string; purpose: 'setup' | 'reset' } | null;
    error?: string;
  },
): string {
  const reset = props.account?.purpose === 'reset';
  return renderDocument(
    <AdminBareLayout
      siteName={props.siteName}
      stylesheet={props.stylesheet}
      title={reset ? '비밀번호 재설정' : '비밀번호 설정'}
    >
      <h1>{reset ? '비밀번호 재설정' : '비밀번호 설정'}</h1>
      {props.account === null ? (
        <p class="flash flash-error" role="alert">
          링크가 만료되었거나 이미 사용되었습니다. 관리자에게 새 링크를 요청하세요.
        </p>
      ) : (
        <>
          <p>
            <strong>{props.account.name}</strong> 님({props.account.email})의 뉴스룸 계정입니다. 쓸
            비밀번호를 정하세요. 10자 이상이어야 합니다. 저장하면 바로 로그인됩니다.
          </p>
          <ErrorFlash message={props.error} />
          <form method="post" action="/admin/setup" class="stack">
            <input type="hidden" name="_csrf" value={props.csrfToken} />
            <input type="hidden" name="token" value={props.token} />
            <input
              type="email"
              name="email"
              value={props.account.email}
              autocomplete="username"
              hidden
              readonly
            />
            <label>
              새 비밀번호
              <input
                type="password"
                name="password"
                autocomplete="new-password"
                minlength={10}
                required
              />
            </label>
            <button type="submit" class="button primary">
              저장하고 로그인
            </button>
          </form>
        </>
      )}
    </AdminBareLayout>,
  );
}
