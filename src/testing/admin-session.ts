import { expect } from 'vitest';
import type { StaffRole } from '../db/index.ts';
import type { TestApp } from './app.ts';

/** The password every test staff account gets (passes the password policy). */
export const STAFF_PASSWORD = '제주바다-2025-desk!';

export interface StaffSession {
  cookie: string;
  csrf: string;
}

export function cookieFrom(setCookie: string | string[] | undefined, name: string): string | null {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  for (const c of all) {
    const m = new RegExp(`^${name}=([^;]*)`).exec(c);
    if (m) return m[1] ?? null;
  }
  return null;
}

/** A urlencoded form body; array values repeat the field. */
export function formBody(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) {
    for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
  }
  return params.toString();
}

/** Adds `<role>@tamnailbo.example` (or the given email) and returns the email. */
export async function addStaff(
  app: TestApp,
  role: StaffRole,
  name: string,
  email = `${role}@tamnailbo.example`,
): Promise<string> {
  await app.services.accounts.createUser({ email, name, role, password: STAFF_PASSWORD });
  return email;
}

/**
 * Posts the sign-in form as a browser does: fetch the page for its CSRF cookie, then send
 * the fields (email, password, next) with that token. Returns the raw answer.
 */
export async function postLogin(
  app: TestApp,
  fields: Record<string, string>,
  options: { remoteAddress?: string; headers?: Record<string, string> } = {},
) {
  const page = await app.http.inject({ url: '/admin/login' });
  const loginCsrf = cookieFrom(page.headers['set-cookie'], 'tamna_login_csrf') ?? '';
  return app.http.inject({
    method: 'POST',
    url: '/admin/login',
    ...(options.remoteAddress === undefined ? {} : { remoteAddress: options.remoteAddress }),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: `tamna_login_csrf=${loginCsrf}`,
      ...options.headers,
    },
    payload: formBody({ _csrf: loginCsrf, ...fields }),
  });
}

/** Signs in through the real form: CSRF cookie, POST, session cookie, the page's CSRF token. */
export async function signIn(
  app: TestApp,
  email: string,
  password = STAFF_PASSWORD,
): Promise<StaffSession> {
  const res = await postLogin(app, { email, password, next: '/admin' });
  expect(res.statusCode, res.body).toBe(303);
  const session = cookieFrom(res.headers['set-cookie'], 'tamna_session');
  if (session === null) throw new Error('no session cookie');
  const home = await app.http.inject({
    url: '/admin',
    headers: { cookie: `tamna_session=${session}` },
  });
  const csrf = /<meta name="csrf-token" content="([^"]+)"/.exec(home.body)?.[1] ?? '';
  return { cookie: `tamna_session=${session}`, csrf };
}

/** Requests as a signed-in staff member: GET, and form POSTs carrying the CSRF token. */
export function as(app: TestApp, session: StaffSession) {
  return {
    get: (url: string) => app.http.inject({ url, headers: { cookie: session.cookie } }),
    post: (url: string, fields: Record<string, string | string[]> = {}, csrf = session.csrf) =>
      app.http.inject({
        method: 'POST',
        url,
        headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: formBody({ _csrf: csrf, ...fields }),
      }),
  };
}
