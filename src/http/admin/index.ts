import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { can } from '../../domains/accounts/index.ts';
import { AppError } from '../../shared/errors.ts';
import { renderAdminError } from '../../views/admin/error-page.tsx';
import type { AdminChrome } from '../../views/admin/model.ts';
import { statusOf } from '../errors.ts';
import { IMMUTABLE_ASSET, sendAsset } from '../site/assets.ts';
import type { AdminDeps } from './deps.ts';
import { createGuard, wantsJson, type Staff } from './guard.ts';
import { createKit } from './kit.ts';
import type { AdminScreen } from './screen.ts';
import { SCREENS } from './screens/index.ts';

export type { AdminDeps } from './deps.ts';

/** Admin forms other than the editor's: a staff form never comes near 256 KB. */
const FORM_BODY_LIMIT = 256 * 1024;

/** The admin runs no inline script and embeds only the allowlisted video player. */
const ADMIN_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': [
    "default-src 'self'",
    "img-src 'self' data: blob: https:",
    "style-src 'self'",
    "script-src 'self'",
    "connect-src 'self'",
    // 'self': 미리보기 shows the public article page at phone and desktop width.
    "frame-src 'self' https://www.youtube-nocookie.com",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'x-robots-tag': 'noindex, nofollow',
});

const menuHref = (screen: AdminScreen) => `/admin${screen.prefix}`;

/**
 * The newsroom at /admin: one guarded scope (session, CSRF, second factor, body limits,
 * error pages) holding the screens. Each screen is registered the same way: its own scope
 * under its prefix, refused before any body is read when the staff member's role lacks the
 * screen's permission, with a kit that answers "who is this and what may they do".
 */
export async function registerAdmin(
  app: FastifyInstance,
  deps: AdminDeps,
  screens: readonly AdminScreen[] = SCREENS,
): Promise<void> {
  const enabled = screens.filter((s) => s.enabled === undefined || s.enabled(deps));
  const menu = enabled
    .filter((s) => s.nav !== undefined)
    .sort((a, b) => (a.nav?.order ?? 0) - (b.nav?.order ?? 0));
  const flashes = new Map(enabled.flatMap((s) => Object.entries(s.flash ?? {})));

  // Outside the guarded scope: the sign-in page needs its stylesheet.
  for (const asset of [deps.stylesheet, deps.script, deps.editorStylesheet]) {
    app.get(asset.path, (request, reply) => sendAsset(asset, IMMUTABLE_ASSET, request, reply));
  }

  function chrome(request: FastifyRequest, staff: Staff, current: string): AdminChrome {
    const role = staff.user.role;
    const ok = new URLSearchParams(request.url.split('?')[1] ?? '').get('ok');
    const flash = ok === null ? undefined : flashes.get(ok);
    return {
      siteName: deps.siteName,
      csrfToken: staff.session.csrfToken,
      user: { id: staff.user.id, name: staff.user.name, email: staff.user.email, role },
      nav: menu
        .filter((s) => s.permission === null || can(role, s.permission))
        .map((s) => ({
          href: menuHref(s),
          label: s.nav?.label ?? s.name,
          current: menuHref(s) === current,
        })),
      stylesheet: deps.stylesheet.path,
      script: deps.script.path,
      editorStylesheet: deps.editorStylesheet.path,
      flash: flash === undefined ? undefined : { kind: 'ok', text: flash },
      unreadNotices: request.unreadNotices,
    };
  }

  await app.register(
    async (admin) => {
      await admin.register(fastifyCookie);
      // Forms are small; the editor, uploads and the import API declare larger limits on
      // their own routes. Every parser runs after the guard has identified the session,
      // so strangers never get a body read.
      await admin.register(fastifyFormbody, { bodyLimit: FORM_BODY_LIMIT });
      admin.decorateRequest('staff', null);
      admin.addHook('onRequest', async (_request, reply) => {
        reply.headers(ADMIN_HEADERS);
      });
      const guard = createGuard(deps.accounts);
      admin.addHook('onRequest', guard.identify);
      admin.addHook('preHandler', guard.check);
      // The notice badge on every page: one indexed count, for pages only.
      admin.decorateRequest('unreadNotices', 0);
      admin.addHook('preHandler', async (request) => {
        const staff = request.staff;
        if (
          staff === null ||
          request.method !== 'GET' ||
          staff.session.secondFactorPending ||
          wantsJson(request)
        )
          return;
        request.unreadNotices = await deps.notifications.unreadCount(staff.user.id);
      });

      admin.setErrorHandler(async (error, request, reply) => {
        const answer = statusOf(error);
        const status = answer.status;
        const message =
          answer.detail ??
          {
            'file-too-large': `파일이 너무 큽니다. ${Math.round(deps.maxUploadBytes / 1024 / 1024)}MB 이하로 올려 주세요.`,
            'body-too-large': '보낸 내용이 너무 큽니다. 나누어 보내 주세요.',
            'bad-request': '요청을 처리할 수 없습니다. 입력값을 확인하세요.',
            'not-found': '없는 주소입니다.',
            domain: '요청을 처리할 수 없습니다.',
            server: '일시적인 오류가 발생했습니다. 잠시 후 다시 시도하세요.',
          }[answer.kind];
        if (status >= 500)
          request.log.error({ err: error, url: request.url }, 'admin request failed');
        if (wantsJson(request) || request.headers['x-requested-with'] === 'fetch') {
          return reply.code(status).send({ error: message });
        }
        return reply
          .code(status)
          .type('text/html; charset=utf-8')
          .send(
            renderAdminError({
              siteName: deps.siteName,
              stylesheet: deps.stylesheet.path,
              status,
              message,
            }),
          );
      });
      admin.setNotFoundHandler(async () => {
        throw new AppError('NOT_FOUND', '없는 주소입니다.');
      });

      for (const screen of enabled) {
        const kit = createKit({ chrome, current: menuHref(screen) });
        await admin.register(
          async (scope) => {
            const { permission } = screen;
            if (permission !== null) {
              // Refused on arrival, before a body is parsed: a reporter's 45 MB post to a
              // desk-only screen is never read.
              scope.addHook('onRequest', async (request) => {
                kit.require(request, permission);
              });
            }
            if (screen.uploads === true) {
              await scope.register(fastifyMultipart, {
                attachFieldsToBody: 'keyValues',
                limits: { fileSize: deps.maxUploadBytes, files: 1, fields: 80, fieldSize: 100_000 },
                throwFileSizeLimit: true,
              });
            }
            await screen.routes(scope, kit, deps);
          },
          { prefix: screen.prefix },
        );
      }
    },
    { prefix: '/admin' },
  );
}
