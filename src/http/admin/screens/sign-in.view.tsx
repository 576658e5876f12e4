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
  props: BareProps & { csrfToken: string; token: string; error?: string },
): string {
  return renderDocument(
    <AdminBareLayout siteName={props.siteName} stylesheet={props.stylesheet} title="비밀번호 설정">
      <h1>비밀번호 설정</h1>
      <p>뉴스룸에서 쓸 비밀번호를 정하세요. 10자 이상이어야 합니다.</p>
      <ErrorFlash message={props.error} />
      <form method="post" action="/admin/setup" class="stack">
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <input type="hidden" name="token" value={props.token} />
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
          저장하고 로그인 화면으로
        </button>
      </form>
    </AdminBareLayout>,
  );
}
