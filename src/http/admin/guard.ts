import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors.ts';
import type { AdminAccounts, StaffSession, StaffUser } from './ports.ts';

export const SESSION_COOKIE = 'tamna_session';
export const LOGIN_CSRF_COOKIE = 'tamna_login_csrf';

export interface Staff {
  user: StaffUser;
  session: StaffSession;
  token: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    staff: Staff | null;
    /** Unread desk notices of the signed-in staff member (set for page requests). */
    unreadNotices: number;
  }
}

/**
 * The admin cookies' attributes. `Secure` follows the configured site URL, never a request
 * header: a forged X-Forwarded-Proto must not decide how a session cookie travels.
 */
export function cookieOptions(siteUrl: string) {
  return {
    path: '/admin',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: siteUrl.startsWith('https://'),
  };
}

export const newToken = (): string => randomBytes(24).toString('base64url');

export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** Paths reachable without a session. */
const PUBLIC = new Set(['/admin/login', '/admin/setup']);
/** Paths reachable while the second factor is pending. */
const SECOND_FACTOR = new Set(['/admin/2fa', '/admin/logout']);
/** Paths reachable while a temporary password must be replaced. */
const PASSWORD_CHANGE = new Set(['/admin/account', '/admin/account/password', '/admin/logout']);

const wantsJson = (request: FastifyRequest) =>
  request.url.endsWith('.json') ||
  request.url.includes('/autosave') ||
  request.url.includes('/heartbeat') ||
  request.url.startsWith('/admin/api/') ||
  (request.headers.accept ?? '').includes('application/json');

/**
 * Every admin request, in two steps. `identify` runs when the request arrives, before any
 * body is read: it finds the session and turns strangers away, so only signed-in staff can
 * make the server read (and hold) a large body. `check` runs once the body is parsed: the
 * CSRF token (which a form sends in its body), then the second-factor and
 * password-change steps.
 */
export function createGuard(accounts: AdminAccounts) {
  async function identify(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    request.staff = null;
    const path = request.url.split('?')[0] ?? '';
    const token = request.cookies[SESSION_COOKIE];
    if (token !== undefined && token !== '') {
      const found = await accounts.authenticate(token);
      if (found !== null) request.staff = { ...found, token };
    }
    if (PUBLIC.has(path) || request.staff !== null) return;
    const mutating = request.method !== 'GET' && request.method !== 'HEAD';
    if (wantsJson(request) || mutating) {
      throw new AppError('UNAUTHORIZED', '로그인이 필요합니다. 다시 로그인하세요.');
    }
    const next = encodeURIComponent(request.url);
    return reply.redirect(`/admin/login?next=${next}`, 303) as unknown as void;
  }

  async function check(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const path = request.url.split('?')[0] ?? '';
    const mutating = request.method !== 'GET' && request.method !== 'HEAD';
    if (PUBLIC.has(path)) {
      if (mutating) checkLoginCsrf(request);
      return;
    }
    const staff = request.staff;
    if (staff === null)
      throw new AppError('UNAUTHORIZED', '로그인이 필요합니다. 다시 로그인하세요.');
    if (mutating) checkSessionCsrf(request, staff);
    if (staff.session.secondFactorPending && !SECOND_FACTOR.has(path)) {
      if (mutating || wantsJson(request))
        throw new AppError('UNAUTHORIZED', '2단계 인증을 마치세요.');
      return reply.redirect('/admin/2fa', 303) as unknown as void;
    }
    if (
      !staff.session.secondFactorPending &&
      staff.user.mustChangePassword &&
      !PASSWORD_CHANGE.has(path)
    ) {
      if (mutating || wantsJson(request))
        throw new AppError('FORBIDDEN', '임시 비밀번호를 먼저 바꾸세요.');
      return reply.redirect('/admin/account', 303) as unknown as void;
    }
  }

  return { identify, check };
}

function submittedToken(request: FastifyRequest): string {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string' && header !== '') return header;
  const body = request.body as Record<string, unknown> | undefined;
  const value = body?._csrf;
  return typeof value === 'string' ? value : '';
}

function checkSessionCsrf(request: FastifyRequest, staff: Staff): void {
  if (!sameToken(submittedToken(request), staff.session.csrfToken)) {
    throw new AppError(
      'FORBIDDEN',
      '보안 확인(CSRF)에 실패했습니다. 페이지를 새로 고친 뒤 다시 시도하세요.',
    );
  }
}

/** Before sign-in there is no session: the form's token must match its cookie. */
function checkLoginCsrf(request: FastifyRequest): void {
  const cookie = request.cookies[LOGIN_CSRF_COOKIE] ?? '';
  if (!sameToken(submittedToken(request), cookie)) {
    throw new AppError(
      'FORBIDDEN',
      '보안 확인(CSRF)에 실패했습니다. 로그인 페이지를 새로 고친 뒤 다시 시도하세요.',
    );
  }
}

export { wantsJson };
