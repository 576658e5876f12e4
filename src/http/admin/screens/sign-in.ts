import type { FastifyReply, FastifyRequest } from 'fastify';
import { cookieOptions, LOGIN_CSRF_COOKIE, newToken, SESSION_COOKIE } from '../guard.ts';
import { asForm, field } from '../forms.ts';
import type { AdminScreen } from '../screen.ts';
import { renderLoginPage, renderSecondFactorPage, renderSetupPage } from './sign-in.view.tsx';

/** The sign-in and setup forms, the only ones strangers may send. */
const PUBLIC_FORM_LIMIT = 16 * 1024;
const SESSION_MAX_AGE_S = 7 * 24 * 3600;

/** Only same-site admin paths may be a post-login destination (no open redirect). */
export function safeNext(next: string): string {
  return /^\/admin(\/[\w\-./?=&%]*)?$/.test(next) && !next.startsWith('//') ? next : '/admin';
}

function clientIp(request: FastifyRequest): string {
  return request.ip || request.socket.remoteAddress || 'unknown';
}

/** Sign-in, the second factor, sign-out and the invited staff member's first password. */
export const signInScreen: AdminScreen = {
  name: 'sign-in',
  prefix: '',
  permission: null,
  routes(admin, kit, deps) {
    const { accounts } = deps;
    const cookies = cookieOptions(deps.siteUrl);
    const bare = { siteName: deps.siteName, stylesheet: deps.stylesheet.path };

    /** A fresh token for the pre-session forms, matched against its cookie on post. */
    const loginCsrf = (reply: FastifyReply): string => {
      const csrf = newToken();
      reply.setCookie(LOGIN_CSRF_COOKIE, csrf, { ...cookies, maxAge: 3600 });
      return csrf;
    };

    admin.get('/login', async (request, reply) => {
      if (request.staff !== null && !request.staff.session.secondFactorPending)
        return kit.back(reply, '/admin');
      const query = request.query as Record<string, string | undefined>;
      const flash = query.ok === 'setup' ? '비밀번호를 정했습니다. 로그인하세요.' : undefined;
      return kit.html(
        reply,
        renderLoginPage({
          ...bare,
          csrfToken: loginCsrf(reply),
          email: '',
          next: safeNext(query.next ?? '/admin'),
          ...(flash !== undefined ? { error: flash } : {}),
        }),
      );
    });

    admin.post('/login', { bodyLimit: PUBLIC_FORM_LIMIT }, async (request, reply) => {
      const form = asForm(request.body);
      const email = field(form, 'email').trim();
      const next = safeNext(field(form, 'next'));
      return kit.form(
        reply,
        async () => {
          const { token, needsSecondFactor } = await accounts.login({
            email,
            password: field(form, 'password'),
            ip: clientIp(request),
            userAgent: String(request.headers['user-agent'] ?? '').slice(0, 300),
          });
          reply.setCookie(SESSION_COOKIE, token, { ...cookies, maxAge: SESSION_MAX_AGE_S });
          reply.clearCookie(LOGIN_CSRF_COOKIE, cookies);
          return needsSecondFactor ? '/admin/2fa' : next;
        },
        (failure) =>
          kit.html(
            reply,
            renderLoginPage({
              ...bare,
              csrfToken: loginCsrf(reply),
              email,
              next,
              error: failure.message,
            }),
            failure.status,
          ),
      );
    });

    admin.get('/2fa', async (request, reply) => {
      const staff = kit.staff(request);
      if (!staff.session.secondFactorPending) return kit.back(reply, '/admin');
      return kit.html(
        reply,
        renderSecondFactorPage({ ...bare, csrfToken: staff.session.csrfToken }),
      );
    });

    admin.post('/2fa', async (request, reply) => {
      const staff = kit.staff(request);
      return kit.form(
        reply,
        async () => {
          await accounts.verifySecondFactor(
            staff.token,
            field(asForm(request.body), 'code').trim(),
          );
          return '/admin';
        },
        (failure) =>
          kit.html(
            reply,
            renderSecondFactorPage({
              ...bare,
              csrfToken: staff.session.csrfToken,
              error: failure.message,
            }),
            failure.status,
          ),
      );
    });

    admin.post('/logout', async (request, reply) => {
      await accounts.logout(kit.staff(request).token);
      reply.clearCookie(SESSION_COOKIE, cookies);
      return kit.back(reply, '/admin/login');
    });

    admin.post('/logout-everywhere', async (request, reply) => {
      await accounts.logoutEverywhere(kit.staff(request).user.id);
      reply.clearCookie(SESSION_COOKIE, cookies);
      return kit.back(reply, '/admin/login');
    });

    admin.get('/setup', async (request, reply) => {
      const token = String((request.query as Record<string, unknown>).token ?? '').slice(0, 200);
      const account = await accounts.peekSetupToken(token);
      return kit.html(
        reply,
        renderSetupPage({ ...bare, csrfToken: loginCsrf(reply), token, account }),
        account === null ? 410 : 200,
      );
    });

    // The password is set and the new colleague is signed in at once: no second form.
    admin.post('/setup', { bodyLimit: PUBLIC_FORM_LIMIT }, async (request, reply) => {
      const form = asForm(request.body);
      const token = field(form, 'token');
      const password = field(form, 'password');
      const account = await accounts.peekSetupToken(token);
      return kit.form(
        reply,
        async () => {
          const { email } = await accounts.redeemSetupToken(token, password);
          try {
            const { token: session, needsSecondFactor } = await accounts.login({
              email,
              password,
              ip: clientIp(request),
              userAgent: String(request.headers['user-agent'] ?? '').slice(0, 300),
            });
            reply.setCookie(SESSION_COOKIE, session, { ...cookies, maxAge: SESSION_MAX_AGE_S });
            reply.clearCookie(LOGIN_CSRF_COOKIE, cookies);
            return needsSecondFactor ? '/admin/2fa' : '/admin?ok=welcome';
          } catch {
            // The password is set; if signing in is refused (a lock on this address), the
            // sign-in page says why.
            return '/admin/login?ok=setup';
          }
        },
        (failure) =>
          kit.html(
            reply,
            renderSetupPage({
              ...bare,
              csrfToken: loginCsrf(reply),
              token,
              account,
              error: failure.message,
            }),
            failure.status,
          ),
      );
    });
  },
};
