import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StaffRole } from '../../domains/accounts/index.ts';
import { assetFromBytes } from '../site/assets.ts';
import type { AdminDeps } from './deps.ts';
import { registerAdmin } from './index.ts';
import type { AdminAccounts, StaffUser } from './ports.ts';
import type { AdminScreen } from './screen.ts';

/** Sessions by token: `<role>-token` is a signed-in staff member of that role. */
function fakeAccounts(): AdminAccounts {
  const user = (role: StaffRole, id: number): StaffUser => ({
    id,
    email: `${role}@tamnailbo.example`,
    name: `${role} 담당`,
    role,
    mustChangePassword: false,
    totpEnabled: false,
    authorId: null,
    disabled: false,
  });
  const users = new Map<string, StaffUser>([
    ['admin-token', user('admin', 1)],
    ['reporter-token', user('reporter', 2)],
  ]);
  return {
    async authenticate(token) {
      const found = users.get(token);
      return found === undefined
        ? null
        : { user: found, session: { csrfToken: 'csrf', secondFactorPending: false } };
    },
  } as AdminAccounts; // Only the guard's authenticate is reached by these requests.
}

/** A screen as a newcomer would add one: a module with its declaration and routes. */
const noticeBoard: AdminScreen = {
  name: 'notice-board',
  prefix: '/board',
  permission: 'settings.manage',
  nav: { label: '게시판', order: 15 },
  flash: { posted: '공지를 올렸습니다.' },
  routes(screen, kit) {
    screen.get('', async (request, reply) => {
      const chrome = kit.chrome(request);
      const menu = chrome.nav.map((n) => `${n.label}${n.current ? '*' : ''}`).join(',');
      return kit.html(reply, `<p>${menu}</p><p>${chrome.flash?.text ?? ''}</p>`);
    });
    screen.post('', async (request, reply) => {
      kit.require(request, 'settings.manage');
      return kit.back(reply, '/admin/board?ok=posted');
    });
  },
};

const everyone: AdminScreen = {
  name: 'desk',
  prefix: '',
  permission: null,
  nav: { label: '데스크', order: 10 },
  routes(screen, kit) {
    screen.get('/', async (request, reply) => {
      const menu = kit
        .chrome(request)
        .nav.map((n) => n.label)
        .join(',');
      return kit.html(reply, `<p>${menu}</p>`);
    });
  },
};

describe('admin screens', () => {
  let app: FastifyInstance;

  beforeEach(async () => {
    app = Fastify();
    const asset = (name: string) => assetFromBytes(Buffer.from('/**/'), name, 'css', 'text/css');
    // The core touches only these; each screen takes what it needs from the rest.
    const deps = {
      accounts: fakeAccounts(),
      siteName: '탐나일보',
      siteUrl: 'https://news.example.kr',
      stylesheet: asset('admin'),
      script: asset('editor'),
      editorStylesheet: asset('editor-css'),
      maxUploadBytes: 1024 * 1024,
      notifications: { unreadCount: async () => 0 },
    } as unknown as AdminDeps;
    await registerAdmin(app, deps, [everyone, noticeBoard]);
  });
  afterEach(async () => {
    await app.close();
  });

  const get = (url: string, role: string) =>
    app.inject({ url, headers: { cookie: `tamna_session=${role}-token` } });

  it('builds the menu from the screens’ declarations, for what the role may use', async () => {
    expect((await get('/admin', 'admin')).body).toContain('<p>데스크,게시판</p>');
    expect((await get('/admin', 'reporter')).body).toContain('<p>데스크</p>');
  });

  it('marks the screen’s own entry and shows its flash messages', async () => {
    const page = await get('/admin/board?ok=posted', 'admin');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<p>데스크,게시판*</p><p>공지를 올렸습니다.</p>');
  });

  it('refuses a staff member without the screen’s permission, before reading the body', async () => {
    expect((await get('/admin/board', 'reporter')).statusCode).toBe(403);
    const huge = 'x'.repeat(2 * 1024 * 1024);
    const post = (role: string) =>
      app.inject({
        method: 'POST',
        url: '/admin/board',
        headers: {
          cookie: `tamna_session=${role}-token`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: `_csrf=csrf&text=${huge}`,
      });
    // The reporter is turned away on arrival; only someone allowed gets the body read
    // (and refused for its size).
    expect((await post('reporter')).statusCode).toBe(403);
    expect((await post('admin')).statusCode).toBe(413);
  });
});
