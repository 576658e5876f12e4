import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can, type StaffRole } from '../../domains/accounts/index.ts';
import type { ContentService, Writer } from '../../domains/content/index.ts';
import {
  deskCan,
  FRONT_AREAS,
  STATUS_LABELS,
  type Actor,
  type Desk,
  type EditableArticle,
  type FrontDesk,
  compareBodyHtml,
  compareText,
} from '../../domains/newsroom/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError, isAppError } from '../../shared/errors.ts';
import { parseRowId } from '../../shared/ids.ts';
import { toKstDateTimeLocal } from '../../shared/kst.ts';
import { renderDocument } from '../../views/jsx/jsx-runtime.ts';
import {
  renderArticleList,
  renderDashboard,
  renderEditor,
  renderHistory,
  renderRevision,
  type ArticleRowView,
  type EditorView,
} from '../../views/admin/article-pages.tsx';
import {
  renderLoginPage,
  renderSecondFactorPage,
  renderSetupPage,
} from '../../views/admin/auth-pages.tsx';
import {
  renderAccount,
  renderFrontDesk,
  renderPhotoLibrary,
  renderSections,
  renderStaff,
} from '../../views/admin/manage-pages.tsx';
import { AdminBareLayout } from '../../views/admin/AdminLayout.tsx';
import type { AdminChrome, FieldErrors } from '../../views/admin/model.ts';
import { statusForCode, statusOf } from '../errors.ts';
import { IMMUTABLE_ASSET, sendAsset, type Asset } from '../site/assets.ts';
import {
  asForm,
  checked,
  field,
  fields,
  idList,
  optionalId,
  optionalKstTime,
  requiredId,
  tagList,
  type FormBody,
} from './forms.ts';
import {
  cookieOptions,
  createGuard,
  LOGIN_CSRF_COOKIE,
  newToken,
  SESSION_COOKIE,
  wantsJson,
  type Staff,
} from './guard.ts';
import type { AdminAccounts, AdminPhotos, AdminRouteKit } from './ports.ts';
import { registerWeatherAdmin, type WeatherAdminDeps } from './weather-routes.ts';
import { registerAdsAdmin, type AdsAdminDeps } from './ads-routes.ts';
import { registerReadersAdmin, type ReadersAdminDeps } from './readers-routes.ts';

export interface AdminDeps {
  accounts: AdminAccounts;
  photos: AdminPhotos;
  desk: Desk;
  front: FrontDesk;
  content: ContentService;
  writer: Writer;
  clock: Clock;
  siteName: string;
  /** The public URL (TAMNA_SITE_URL): every absolute link and the cookies' Secure flag. */
  siteUrl: string;
  stylesheet: Asset;
  script: Asset;
  editorStylesheet: Asset;
  /** Largest photo upload in bytes. */
  maxUploadBytes: number;
  /** Publishes cache tags after a change the domains do not announce themselves. */
  changed: (tags: string[]) => Promise<void>;
  /** Imports NDJSON records sent to the admin API (the same code as `tamna import`). */
  importRecords?: (ndjson: string, actor: Actor) => Promise<unknown>;
  /** The banner desk; absent, the admin has none. */
  ads?: Omit<AdsAdminDeps, 'changed' | 'clock'>;
  /** The weather settings screen; absent, the admin has none. */
  weather?: Omit<WeatherAdminDeps, 'changed' | 'clock'>;
  /** 독자 통계 (reader counts); absent, the admin has none. */
  readers?: Omit<ReadersAdminDeps, 'clock' | 'content'>;
}

const HTML = 'text/html; charset=utf-8';

/** Admin forms other than the editor's: a staff form never comes near 256 KB. */
const FORM_BODY_LIMIT = 256 * 1024;
/** The editor's save: a 2,000,000-character body is up to 6 MB in UTF-8, more when encoded. */
const EDITOR_BODY_LIMIT = 24 * 1024 * 1024;
/** The sign-in and setup forms, the only ones strangers may send. */
const PUBLIC_FORM_LIMIT = 16 * 1024;
/** NDJSON sent to the import API. */
const IMPORT_BODY_LIMIT = 50 * 1024 * 1024;

/** The admin runs no inline script and embeds only the allowlisted video player. */
const ADMIN_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': [
    "default-src 'self'",
    "img-src 'self' data: blob: https:",
    "style-src 'self'",
    "script-src 'self'",
    "connect-src 'self'",
    'frame-src https://www.youtube-nocookie.com',
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

const EVENT_LABELS: Record<string, string> = {
  created: '작성',
  submitted: '데스크로 보냄',
  sent_back: '반려',
  published: '출고',
  scheduled: '예약 송고',
  unpublished: '출고 취소',
  trashed: '휴지통',
  restored: '복원',
  edited: '수정',
  imported: '가져오기',
  notice: '정정·반론',
  byline: '바이라인 변경',
};

const FLASH: Record<string, string> = {
  saved: '저장했습니다.',
  created: '기사를 만들었습니다.',
  submitted: '데스크로 보냈습니다.',
  'sent-back': '반려했습니다.',
  published: '출고했습니다.',
  scheduled: '예약 송고를 걸었습니다.',
  unpublished: '출고를 취소했습니다.',
  trashed: '휴지통으로 옮겼습니다.',
  restored: '복원했습니다.',
  notice: '정정·반론보도를 붙였습니다.',
  'revision-restored': '이전 판으로 되돌렸습니다. 새 판으로 기록했습니다.',
  uploaded: '사진을 올렸습니다.',
  password: '비밀번호를 바꿨습니다.',
  totp: '2단계 인증을 켰습니다.',
  'totp-off': '2단계 인증을 껐습니다.',
  'logged-out-everywhere': '다른 모든 기기에서 로그아웃했습니다.',
  arranged: '첫 화면 편집을 저장했습니다.',
  section: '섹션을 저장했습니다.',
  weather: '날씨 띠 장소를 저장했습니다.',
  ad: '광고를 저장했습니다.',
  staff: '직원 정보를 저장했습니다.',
  setup: '비밀번호를 정했습니다. 로그인하세요.',
};

const actorOf = (staff: Staff): Actor => ({
  id: staff.user.id,
  role: staff.user.role,
  name: staff.user.name,
});

function parseId(raw: string): number {
  const id = parseRowId(raw);
  if (id === null) throw new AppError('NOT_FOUND', '없는 주소입니다.');
  return id;
}

/** Only same-site admin paths may be a post-login destination (no open redirect). */
function safeNext(next: string): string {
  return /^\/admin(\/[\w\-./?=&%]*)?$/.test(next) && !next.startsWith('//') ? next : '/admin';
}

function clientIp(request: FastifyRequest): string {
  return request.ip || request.socket.remoteAddress || 'unknown';
}

export async function registerAdmin(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const { accounts, desk, front, content, photos, clock } = deps;
  const cookies = cookieOptions(deps.siteUrl);

  // Outside the guarded scope: the sign-in page needs its stylesheet.
  for (const asset of [deps.stylesheet, deps.script, deps.editorStylesheet]) {
    app.get(asset.path, (request, reply) => sendAsset(asset, IMMUTABLE_ASSET, request, reply));
  }

  await app.register(
    async (admin) => {
      await admin.register(fastifyCookie);
      // Forms are small; the article editor (bodies up to 2,000,000 characters) and the
      // uploads and the import API declare their own, larger limits below. Every parser runs
      // after the guard has identified the session, so strangers never get a body read.
      await admin.register(fastifyFormbody, { bodyLimit: FORM_BODY_LIMIT });
      admin.decorateRequest('staff', null);
      admin.addHook('onRequest', async (_request, reply) => {
        reply.headers(ADMIN_HEADERS);
      });
      const guard = createGuard(accounts);
      admin.addHook('onRequest', guard.identify);
      admin.addHook('preHandler', guard.check);
      /** Routes that take photo or banner uploads: the multipart parser exists only there. */
      const withUploads = (routes: (scope: FastifyInstance) => void) =>
        admin.register(async (scope) => {
          await scope.register(fastifyMultipart, {
            attachFieldsToBody: 'keyValues',
            limits: { fileSize: deps.maxUploadBytes, files: 1, fields: 80, fieldSize: 100_000 },
            throwFileSizeLimit: true,
          });
          routes(scope);
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
          .type(HTML)
          .send(
            renderDocument(
              <AdminBareLayout
                siteName={deps.siteName}
                stylesheet={deps.stylesheet.path}
                title="오류"
              >
                <h1>
                  {status === 403
                    ? '권한이 없습니다'
                    : status === 404
                      ? '찾을 수 없습니다'
                      : '처리하지 못했습니다'}
                </h1>
                <p>{message}</p>
                <p>
                  <a class="button" href="/admin">
                    뉴스룸 첫 화면으로
                  </a>
                </p>
              </AdminBareLayout>,
            ),
          );
      });
      admin.setNotFoundHandler(async () => {
        throw new AppError('NOT_FOUND', '없는 주소입니다.');
      });

      const staffOf = (request: FastifyRequest): Staff => {
        if (request.staff === null) throw new AppError('UNAUTHORIZED', '로그인이 필요합니다.');
        return request.staff;
      };

      function chrome(request: FastifyRequest, current: string): AdminChrome {
        const staff = staffOf(request);
        const role = staff.user.role;
        const nav = [
          { href: '/admin', label: '데스크' },
          { href: '/admin/articles', label: '기사' },
          { href: '/admin/photos', label: '사진함' },
          ...(deskCan(role, 'front.arrange') ? [{ href: '/admin/front', label: '첫 화면' }] : []),
          ...(deskCan(role, 'section.manage') ? [{ href: '/admin/sections', label: '섹션' }] : []),
          ...(deps.readers !== undefined && deskCan(role, 'article.publish')
            ? [{ href: '/admin/readers', label: '독자 통계' }]
            : []),
          ...(deps.ads !== undefined && can(role, 'ads.manage')
            ? [{ href: '/admin/ads', label: '광고' }]
            : []),
          ...(role === 'admin' ? [{ href: '/admin/staff', label: '직원' }] : []),
          ...(role === 'admin' && deps.weather !== undefined
            ? [{ href: '/admin/weather', label: '날씨' }]
            : []),
        ];
        const query = new URLSearchParams(request.url.split('?')[1] ?? '');
        const ok = query.get('ok');
        return {
          siteName: deps.siteName,
          csrfToken: staff.session.csrfToken,
          user: {
            id: staff.user.id,
            name: staff.user.name,
            email: staff.user.email,
            role: staff.user.role,
          },
          nav: nav.map((n) => ({ ...n, current: n.href === current })),
          stylesheet: deps.stylesheet.path,
          script: deps.script.path,
          editorStylesheet: deps.editorStylesheet.path,
          flash:
            ok !== null && FLASH[ok] !== undefined ? { kind: 'ok', text: FLASH[ok] } : undefined,
        };
      }

      const html = (reply: FastifyReply, body: string, status = 200) =>
        reply.code(status).type(HTML).send(body);
      const back = (reply: FastifyReply, to: string) => reply.redirect(to, 303);

      function requireDesk(staff: Staff, action: Parameters<typeof deskCan>[1]): void {
        if (!deskCan(staff.user.role, action))
          throw new AppError('FORBIDDEN', '이 작업을 할 권한이 없습니다.');
      }
      function requireAdmin(staff: Staff): void {
        if (staff.user.role !== 'admin')
          throw new AppError('FORBIDDEN', '관리자만 할 수 있습니다.');
      }

      // ---- Sign-in ------------------------------------------------------------------------

      function loginPage(
        request: FastifyRequest,
        reply: FastifyReply,
        email: string,
        next: string,
        error?: string,
        status = 200,
      ) {
        const csrf = newToken();
        reply.setCookie(LOGIN_CSRF_COOKIE, csrf, { ...cookies, maxAge: 3600 });
        return html(
          reply,
          renderLoginPage({
            siteName: deps.siteName,
            stylesheet: deps.stylesheet.path,
            csrfToken: csrf,
            email,
            next,
            ...(error !== undefined ? { error } : {}),
          }),
          status,
        );
      }

      admin.get('/login', async (request, reply) => {
        if (request.staff !== null && !request.staff.session.secondFactorPending)
          return back(reply, '/admin');
        const query = request.query as Record<string, string | undefined>;
        const flash = query.ok !== undefined ? FLASH[query.ok] : undefined;
        return loginPage(request, reply, '', safeNext(query.next ?? '/admin'), flash);
      });

      admin.post('/login', { bodyLimit: PUBLIC_FORM_LIMIT }, async (request, reply) => {
        const form = asForm(request.body);
        const email = field(form, 'email').trim();
        const next = safeNext(field(form, 'next'));
        try {
          const { token, needsSecondFactor } = await accounts.login({
            email,
            password: field(form, 'password'),
            ip: clientIp(request),
            userAgent: String(request.headers['user-agent'] ?? '').slice(0, 300),
          });
          reply.setCookie(SESSION_COOKIE, token, {
            ...cookies,
            maxAge: 7 * 24 * 3600,
          });
          reply.clearCookie(LOGIN_CSRF_COOKIE, cookies);
          return back(reply, needsSecondFactor ? '/admin/2fa' : next);
        } catch (error) {
          if (
            isAppError(error) &&
            (error.code === 'UNAUTHORIZED' ||
              error.code === 'TOO_MANY_REQUESTS' ||
              error.code === 'INVALID_INPUT')
          ) {
            return loginPage(request, reply, email, next, error.message, statusForCode[error.code]);
          }
          throw error;
        }
      });

      admin.get('/2fa', async (request, reply) => {
        const staff = staffOf(request);
        if (!staff.session.secondFactorPending) return back(reply, '/admin');
        return html(
          reply,
          renderSecondFactorPage({
            siteName: deps.siteName,
            stylesheet: deps.stylesheet.path,
            csrfToken: staff.session.csrfToken,
          }),
        );
      });

      admin.post('/2fa', async (request, reply) => {
        const staff = staffOf(request);
        try {
          await accounts.verifySecondFactor(
            staff.token,
            field(asForm(request.body), 'code').trim(),
          );
          return back(reply, '/admin');
        } catch (error) {
          if (isAppError(error) && statusForCode[error.code] < 500) {
            return html(
              reply,
              renderSecondFactorPage({
                siteName: deps.siteName,
                stylesheet: deps.stylesheet.path,
                csrfToken: staff.session.csrfToken,
                error: error.message,
              }),
              statusForCode[error.code],
            );
          }
          throw error;
        }
      });

      admin.post('/logout', async (request, reply) => {
        const staff = staffOf(request);
        await accounts.logout(staff.token);
        reply.clearCookie(SESSION_COOKIE, cookies);
        return back(reply, '/admin/login');
      });

      admin.post('/logout-everywhere', async (request, reply) => {
        const staff = staffOf(request);
        await accounts.logoutEverywhere(staff.user.id);
        reply.clearCookie(SESSION_COOKIE, cookies);
        return back(reply, '/admin/login');
      });

      admin.get('/setup', async (request, reply) => {
        const token = String((request.query as Record<string, unknown>).token ?? '');
        const csrf = newToken();
        reply.setCookie(LOGIN_CSRF_COOKIE, csrf, { ...cookies, maxAge: 3600 });
        return html(
          reply,
          renderSetupPage({
            siteName: deps.siteName,
            stylesheet: deps.stylesheet.path,
            csrfToken: csrf,
            token,
          }),
        );
      });

      admin.post('/setup', { bodyLimit: PUBLIC_FORM_LIMIT }, async (request, reply) => {
        const form = asForm(request.body);
        const token = field(form, 'token');
        try {
          await accounts.redeemSetupToken(token, field(form, 'password'));
          return back(reply, '/admin/login?ok=setup');
        } catch (error) {
          if (isAppError(error) && statusForCode[error.code] < 500) {
            const csrf = newToken();
            reply.setCookie(LOGIN_CSRF_COOKIE, csrf, { ...cookies, maxAge: 3600 });
            return html(
              reply,
              renderSetupPage({
                siteName: deps.siteName,
                stylesheet: deps.stylesheet.path,
                csrfToken: csrf,
                token,
                error: error.message,
              }),
              statusForCode[error.code],
            );
          }
          throw error;
        }
      });

      // ---- Account ---------------------------------------------------------------------

      async function accountPage(
        request: FastifyRequest,
        reply: FastifyReply,
        extra: { error?: string; totpSetup?: { secret: string; uri: string } } = {},
        status = 200,
      ) {
        const staff = staffOf(request);
        return html(
          reply,
          renderAccount(chrome(request, '/admin/account'), {
            mustChangePassword: staff.user.mustChangePassword,
            totpEnabled: staff.user.totpEnabled,
            sessions: await accounts.sessions(staff.user.id, staff.token),
            ...extra,
          }),
          status,
        );
      }

      admin.get('/account', (request, reply) => accountPage(request, reply));

      const accountAction = (
        path: string,
        run: (
          staff: Staff,
          form: FormBody,
        ) => Promise<string | { totpSetup: { secret: string; uri: string } }>,
      ) =>
        admin.post(path, async (request, reply) => {
          const staff = staffOf(request);
          try {
            const result = await run(staff, asForm(request.body));
            if (typeof result === 'string') return back(reply, `/admin/account?ok=${result}`);
            return accountPage(request, reply, result);
          } catch (error) {
            if (isAppError(error) && statusForCode[error.code] < 500)
              return accountPage(
                request,
                reply,
                { error: error.message },
                statusForCode[error.code],
              );
            throw error;
          }
        });

      accountAction('/account/password', async (staff, form) => {
        await accounts.changePassword(
          staff.user.id,
          field(form, 'current'),
          field(form, 'next'),
          staff.token,
        );
        return 'password';
      });
      accountAction('/account/totp/begin', async (staff) => ({
        totpSetup: await accounts.beginTotpSetup(staff.user.id),
      }));
      accountAction('/account/totp/confirm', async (staff, form) => {
        await accounts.confirmTotp(staff.user.id, field(form, 'code').trim(), staff.token);
        return 'totp';
      });
      accountAction('/account/totp/disable', async (staff, form) => {
        await accounts.disableTotp(staff.user.id, field(form, 'code').trim());
        return 'totp-off';
      });

      // ---- Articles --------------------------------------------------------------------

      function rowView(r: Awaited<ReturnType<Desk['list']>>[number]): ArticleRowView {
        const scheduled =
          r.status === 'published' && r.publishedAt !== null && r.publishedAt > clock.now();
        const key = scheduled ? 'scheduled' : r.status;
        return { ...r, statusKey: key, statusLabel: STATUS_LABELS[key] };
      }

      admin.get('/', async (request, reply) => {
        const staff = staffOf(request);
        const actor = actorOf(staff);
        const canPublish = deskCan(actor.role, 'article.publish');
        const [queue, mine, scheduled] = await Promise.all([
          canPublish ? desk.list(actor, { status: 'submitted', limit: 50 }) : Promise.resolve([]),
          desk.list(actor, { ownerId: actor.id, limit: 20 }),
          canPublish ? desk.list(actor, { status: 'scheduled', limit: 20 }) : Promise.resolve([]),
        ]);
        return html(
          reply,
          renderDashboard(chrome(request, '/admin'), {
            queue: queue.map(rowView),
            mine: mine.map(rowView),
            scheduled: scheduled.map(rowView),
            canPublish,
            mustChangePassword: staff.user.mustChangePassword,
          }),
        );
      });

      const LIST_FILTERS = [
        { value: '', label: '전체' },
        { value: 'draft', label: '작성 중' },
        { value: 'submitted', label: '데스크 대기' },
        { value: 'scheduled', label: '예약 송고' },
        { value: 'published', label: '출고' },
        { value: 'unpublished', label: '출고 취소' },
        { value: 'trashed', label: '휴지통' },
      ] as const;

      admin.get('/articles', async (request, reply) => {
        const staff = staffOf(request);
        const query = request.query as Record<string, string | undefined>;
        const status = LIST_FILTERS.find((f) => f.value !== '' && f.value === query.status)?.value;
        const after = /^(\d{1,15})-(\d{1,10})$/.exec(query.after ?? '');
        const limit = 30;
        const rows = await desk.list(actorOf(staff), {
          status: status === '' ? undefined : status,
          query: (query.q ?? '').slice(0, 100),
          after: after ? { updatedAt: Number(after[1]), id: Number(after[2]) } : undefined,
          limit,
        });
        const last = rows.at(-1);
        const params = new URLSearchParams();
        if (status) params.set('status', status);
        if (query.q) params.set('q', query.q.slice(0, 100));
        if (last) params.set('after', `${last.updatedAt}-${last.id}`);
        return html(
          reply,
          renderArticleList(chrome(request, '/admin/articles'), {
            heading: status
              ? `기사 · ${LIST_FILTERS.find((f) => f.value === status)?.label ?? ''}`
              : '기사',
            filters: LIST_FILTERS.map((f) => ({ ...f, current: (status ?? '') === f.value })),
            query: query.q ?? '',
            rows: rows.map(rowView),
            nextHref: rows.length === limit ? `/admin/articles?${params.toString()}` : null,
            canCreate: deskCan(staff.user.role, 'article.create'),
          }),
        );
      });

      /** The editor's fields from a posted form, typed for the desk. */
      function editorInput(form: FormBody) {
        return {
          sectionId: requiredId(form, 'sectionId', '섹션을 고르세요.'),
          title: field(form, 'title'),
          subtitle: field(form, 'subtitle'),
          bodyHtml: field(form, 'bodyHtml'),
          tags: tagList(field(form, 'tags')),
          authorIds: fields(form, 'authorIds').map((v) => parseId(v)),
          featuredPhotoId: optionalId(form, 'featuredPhotoId', '대표 사진 번호'),
          isPhotoStory: checked(form, 'isPhotoStory'),
          isBreaking: checked(form, 'isBreaking'),
          seoTitle: field(form, 'seoTitle'),
          seoDescription: field(form, 'seoDescription'),
          embargoUntil: optionalKstTime(form, 'embargoUntil'),
        };
      }

      async function editorOptions() {
        const [sections, authors] = await Promise.all([
          content.allSectionsForDesk(),
          content.authors(),
        ]);
        return {
          sections: sections.map((s) => ({
            value: String(s.id),
            label: s.parentName ? `${s.parentName} › ${s.name}` : s.name,
          })),
          authors: authors.map((a) => ({ value: String(a.id), label: `${a.name} <${a.email}>` })),
        };
      }

      function formValues(form: FormBody): EditorView['values'] {
        return {
          title: field(form, 'title'),
          subtitle: field(form, 'subtitle'),
          bodyHtml: field(form, 'bodyHtml'),
          sectionId: field(form, 'sectionId'),
          tags: field(form, 'tags'),
          authorIds: fields(form, 'authorIds'),
          featuredPhotoId: field(form, 'featuredPhotoId'),
          isPhotoStory: checked(form, 'isPhotoStory'),
          isBreaking: checked(form, 'isBreaking'),
          seoTitle: field(form, 'seoTitle'),
          seoDescription: field(form, 'seoDescription'),
          embargoUntil: field(form, 'embargoUntil'),
        };
      }

      function articleValues(a: EditableArticle): EditorView['values'] {
        return {
          title: a.title,
          subtitle: a.subtitle,
          bodyHtml: a.bodyHtml,
          sectionId: String(a.sectionId),
          tags: a.tags.join(', '),
          authorIds: a.authorIds.map(String),
          featuredPhotoId: a.featuredPhotoId === null ? '' : String(a.featuredPhotoId),
          isPhotoStory: a.isPhotoStory,
          isBreaking: a.isBreaking,
          seoTitle: a.seoTitle,
          seoDescription: a.seoDescription,
          embargoUntil: a.embargoUntil === null ? '' : toKstDateTimeLocal(a.embargoUntil),
        };
      }

      const fieldErrors = (error: AppError): FieldErrors => {
        const f = (error.details as { fields?: FieldErrors } | undefined)?.fields;
        return f ?? { form: error.message };
      };

      async function newArticleView(
        staff: Staff,
        values: EditorView['values'],
        errors: FieldErrors,
      ): Promise<EditorView> {
        return {
          mode: 'new',
          id: null,
          status: null,
          statusLabel: null,
          values,
          errors,
          ...(await editorOptions()),
          featuredPhoto: null,
          canEdit: true,
          actions: {
            submit: false,
            sendBack: false,
            publish: false,
            unpublish: false,
            trash: false,
            restore: false,
            notices: false,
          },
          publishedAt: null,
          publishAtValue: '',
          publicUrl: null,
          editingBy: null,
          lastComment: null,
          notices: [],
        };
        void staff;
      }

      admin.get('/articles/new', async (request, reply) => {
        const staff = staffOf(request);
        requireDesk(staff, 'article.create');
        const values: EditorView['values'] = {
          title: '',
          subtitle: '',
          bodyHtml: '',
          sectionId: '',
          tags: '',
          authorIds: staff.user.authorId === null ? [] : [String(staff.user.authorId)],
          featuredPhotoId: '',
          isPhotoStory: false,
          isBreaking: false,
          seoTitle: '',
          seoDescription: '',
          embargoUntil: '',
        };
        return html(
          reply,
          renderEditor(chrome(request, '/admin/articles'), await newArticleView(staff, values, {})),
        );
      });

      admin.post('/articles', { bodyLimit: EDITOR_BODY_LIMIT }, async (request, reply) => {
        const staff = staffOf(request);
        requireDesk(staff, 'article.create');
        const form = asForm(request.body);
        try {
          const id = await desk.create(actorOf(staff), editorInput(form));
          return back(reply, `/admin/articles/${id}?ok=created`);
        } catch (error) {
          if (isAppError(error) && error.code === 'INVALID_INPUT') {
            return html(
              reply,
              renderEditor(
                chrome(request, '/admin/articles'),
                await newArticleView(staff, formValues(form), fieldErrors(error)),
              ),
              400,
            );
          }
          throw error;
        }
      });

      async function editView(
        staff: Staff,
        article: EditableArticle,
        values: EditorView['values'],
        errors: FieldErrors,
      ): Promise<EditorView> {
        const actor = actorOf(staff);
        const now = clock.now();
        const [options, events, notices, lock, photo] = await Promise.all([
          editorOptions(),
          desk.events(actor, article.id),
          desk.notices(article.id),
          // Reading only: the mark is taken by the editor's first heartbeat (a POST), so
          // opening the page (or a prefetch of it) changes nothing.
          desk.editingBy(actor, article.id),
          article.featuredPhotoId === null
            ? Promise.resolve(null)
            : photos.get(article.featuredPhotoId),
        ]);
        const scheduled =
          article.status === 'published' &&
          article.publishedAt !== null &&
          article.publishedAt > now;
        const statusKey = scheduled ? 'scheduled' : article.status;
        const sentBack =
          article.status === 'draft'
            ? events.find((e) => e.kind === 'sent_back' || e.kind === 'submitted')
            : undefined;
        const role = actor.role;
        const own = article.ownerId === actor.id;
        return {
          mode: 'edit',
          id: article.id,
          status: statusKey,
          statusLabel: STATUS_LABELS[statusKey],
          values,
          errors,
          ...options,
          featuredPhoto: photo === null ? null : { src: photo.src, caption: photo.caption },
          canEdit: desk.canEdit(actor, article),
          actions: {
            submit:
              article.status === 'draft' &&
              deskCan(role, 'article.submit') &&
              desk.canEdit(actor, article),
            sendBack: article.status === 'submitted' && deskCan(role, 'article.publish'),
            publish: deskCan(role, 'article.publish') && article.status !== 'trashed',
            unpublish: article.status === 'published' && deskCan(role, 'article.unpublish'),
            trash:
              article.status !== 'trashed' &&
              (deskCan(role, 'article.trash') || (own && article.status === 'draft')),
            restore:
              article.status === 'trashed' &&
              (deskCan(role, 'article.trash') || (own && article.trashedFrom === 'draft')),
            notices: article.status === 'published' && !scheduled && deskCan(role, 'notice.add'),
          },
          publishedAt: article.publishedAt,
          publishAtValue:
            scheduled && article.publishedAt !== null
              ? toKstDateTimeLocal(article.publishedAt)
              : '',
          publicUrl: article.status === 'published' && !scheduled ? `/news/${article.id}` : null,
          editingBy: lock?.name ?? null,
          lastComment:
            sentBack?.kind === 'sent_back'
              ? { text: sentBack.comment, by: sentBack.userName, at: sentBack.at }
              : null,
          notices,
        };
      }

      admin.get('/articles/:id', async (request, reply) => {
        const staff = staffOf(request);
        const id = parseId((request.params as { id: string }).id);
        const article = await desk.get(actorOf(staff), id);
        return html(
          reply,
          renderEditor(
            chrome(request, '/admin/articles'),
            await editView(staff, article, articleValues(article), {}),
          ),
        );
      });

      admin.post('/articles/:id', { bodyLimit: EDITOR_BODY_LIMIT }, async (request, reply) => {
        const staff = staffOf(request);
        const id = parseId((request.params as { id: string }).id);
        const form = asForm(request.body);
        try {
          await desk.save(actorOf(staff), id, editorInput(form));
          return back(reply, `/admin/articles/${id}?ok=saved`);
        } catch (error) {
          if (isAppError(error) && error.code === 'INVALID_INPUT') {
            const article = await desk.get(actorOf(staff), id);
            return html(
              reply,
              renderEditor(
                chrome(request, '/admin/articles'),
                await editView(staff, article, formValues(form), fieldErrors(error)),
              ),
              400,
            );
          }
          throw error;
        }
      });

      admin.post(
        '/articles/:id/autosave',
        { bodyLimit: EDITOR_BODY_LIMIT },
        async (request, reply) => {
          const staff = staffOf(request);
          const id = parseId((request.params as { id: string }).id);
          try {
            const saved = await desk.save(actorOf(staff), id, editorInput(asForm(request.body)), {
              autosave: true,
            });
            return reply.send({ ok: true, savedAt: toKstDateTimeLocal(saved.updatedAt).slice(11) });
          } catch (error) {
            if (isAppError(error) && error.code === 'INVALID_INPUT') {
              return reply
                .code(400)
                .send({ ok: false, error: error.message, fields: fieldErrors(error) });
            }
            throw error;
          }
        },
      );

      admin.post('/articles/:id/heartbeat', async (request, reply) => {
        const staff = staffOf(request);
        const id = parseId((request.params as { id: string }).id);
        await desk.get(actorOf(staff), id);
        const other = await desk.heartbeat(actorOf(staff), id);
        return reply.send({ editingBy: other?.name ?? null });
      });

      const workflow = (
        path: string,
        flash: (form: FormBody) => string,
        run: (actor: Actor, id: number, form: FormBody) => Promise<void>,
      ) =>
        admin.post(`/articles/:id/${path}`, async (request, reply) => {
          const staff = staffOf(request);
          const id = parseId((request.params as { id: string }).id);
          const form = asForm(request.body);
          await run(actorOf(staff), id, form);
          return back(reply, `/admin/articles/${id}?ok=${flash(form)}`);
        });

      workflow(
        'submit',
        () => 'submitted',
        (actor, id) => desk.submit(actor, id),
      );
      workflow(
        'send-back',
        () => 'sent-back',
        (actor, id, form) => desk.sendBack(actor, id, field(form, 'comment')),
      );
      workflow(
        'publish',
        (form) => (field(form, 'publishAt').trim() === '' ? 'published' : 'scheduled'),
        async (actor, id, form) => {
          const at = optionalKstTime(form, 'publishAt');
          await desk.publish(actor, id, at);
        },
      );
      workflow(
        'unpublish',
        () => 'unpublished',
        (actor, id) => desk.unpublish(actor, id),
      );
      workflow(
        'trash',
        () => 'trashed',
        (actor, id) => desk.trash(actor, id),
      );
      workflow(
        'restore',
        () => 'restored',
        (actor, id) => desk.restore(actor, id),
      );
      workflow(
        'notices',
        () => 'notice',
        (actor, id, form) => {
          const kind = field(form, 'kind') === 'reply' ? 'reply' : 'correction';
          return desk.addNotice(actor, id, kind, field(form, 'body'));
        },
      );

      admin.get('/articles/:id/history', async (request, reply) => {
        const staff = staffOf(request);
        const actor = actorOf(staff);
        const id = parseId((request.params as { id: string }).id);
        const article = await desk.get(actor, id);
        const [events, revisions] = await Promise.all([
          desk.events(actor, id),
          desk.revisions(actor, id),
        ]);
        return html(
          reply,
          renderHistory(chrome(request, '/admin/articles'), {
            id,
            title: article.title,
            events: events.map((e) => ({ ...e, label: EVENT_LABELS[e.kind] ?? e.kind })),
            revisions,
            canRestore: desk.canEdit(actor, article),
          }),
        );
      });

      admin.get('/articles/:id/revisions/:rev', async (request, reply) => {
        const staff = staffOf(request);
        const actor = actorOf(staff);
        const params = request.params as { id: string; rev: string };
        const id = parseId(params.id);
        const revId = parseId(params.rev);
        const article = await desk.get(actor, id);
        const list = await desk.revisions(actor, id);
        const index = list.findIndex((r) => r.id === revId);
        if (index === -1) throw new AppError('NOT_FOUND', '그 판을 찾을 수 없습니다.');
        const rev = await desk.revision(actor, id, revId);
        const previousSummary = list[index + 1];
        const previous =
          previousSummary === undefined ? null : await desk.revision(actor, id, previousSummary.id);
        return html(
          reply,
          renderRevision(chrome(request, '/admin/articles'), {
            articleId: id,
            revisionId: revId,
            label: index === 0 ? '현재 판' : `${list.length - index}판`,
            createdAt: rev.createdAt,
            userName: rev.userName,
            comparedWith: previous === null ? '빈 기사' : '바로 앞 판',
            diffs: [
              compareText('제목', previous?.title ?? '', rev.title),
              compareText('부제', previous?.subtitle ?? '', rev.subtitle),
              compareBodyHtml('본문', previous?.bodyHtml ?? '', rev.bodyHtml),
            ],
            canRestore: index !== 0 && desk.canEdit(actor, article),
          }),
        );
      });

      admin.post('/articles/:id/revisions/:rev/restore', async (request, reply) => {
        const staff = staffOf(request);
        const params = request.params as { id: string; rev: string };
        const id = parseId(params.id);
        await desk.restoreRevision(actorOf(staff), id, parseId(params.rev));
        return back(reply, `/admin/articles/${id}?ok=revision-restored`);
      });

      // ---- Photos ----------------------------------------------------------------------

      /**
       * The photos whose caption, credit and alt text this staff member may change: any,
       * for the desk; their own uploads while no published article shows them, for others.
       */
      async function editablePhotos(
        staff: Staff,
        list: readonly { id: number; uploadedBy: number | null }[],
      ): Promise<Set<number>> {
        if (can(staff.user.role, 'photo.editAny')) return new Set(list.map((p) => p.id));
        const own = list.filter((p) => p.uploadedBy === staff.user.id).map((p) => p.id);
        const live = await content.publishedPhotoIds(own);
        return new Set(own.filter((id) => !live.has(id)));
      }

      async function library(request: FastifyRequest) {
        const staff = staffOf(request);
        const query = request.query as Record<string, string | undefined>;
        const before = parseRowId(query.before) ?? undefined;
        const q = (query.q ?? '').slice(0, 100);
        const limit = 24;
        const own = can(staff.user.role, 'photo.browseAll') ? {} : { uploadedBy: staff.user.id };
        const { items, nextBefore } = await photos.search({
          ...own,
          ...(q ? { query: q } : {}),
          ...(before ? { before } : {}),
          limit,
        });
        const nextHref =
          nextBefore === null
            ? null
            : `/admin/photos?${new URLSearchParams({ ...(q ? { q } : {}), before: String(nextBefore) }).toString()}`;
        const editable = await editablePhotos(staff, items);
        return { q, items: items.map((p) => ({ ...p, editable: editable.has(p.id) })), nextHref };
      }

      admin.get('/photos', async (request, reply) => {
        const { q, items, nextHref } = await library(request);
        return html(
          reply,
          renderPhotoLibrary(chrome(request, '/admin/photos'), { query: q, items, nextHref }),
        );
      });

      admin.get('/photos.json', async (request, reply) => {
        const { items, nextHref } = await library(request);
        return reply.send({
          items,
          next:
            nextHref === null ? null : nextHref.replace('/admin/photos?', '/admin/photos.json?'),
        });
      });

      await withUploads((uploads) =>
        uploads.post('/photos', async (request, reply) => {
          const staff = staffOf(request);
          const body = (request.body ?? {}) as Record<string, unknown>;
          const text = (name: string) =>
            typeof body[name] === 'string' ? (body[name] as string) : '';
          const file = body.file;
          const fromEditor =
            (request.headers.accept ?? '').includes('application/json') ||
            request.headers['x-requested-with'] === 'fetch';
          if (!Buffer.isBuffer(file) || file.length === 0) {
            throw new AppError('INVALID_INPUT', '사진 파일을 골라 주세요.');
          }
          const photo = await photos.ingest(file, {
            caption: text('caption'),
            credit: text('credit'),
            alt: text('alt'),
            uploadedBy: staff.user.id,
            originalName: '',
          });
          if (fromEditor) {
            return reply.send({ ...photo, sizes: '(min-width: 1024px) 680px, 100vw' });
          }
          return back(reply, '/admin/photos?ok=uploaded');
        }),
      );

      admin.post('/photos/:id', async (request, reply) => {
        const staff = staffOf(request);
        const id = parseId((request.params as { id: string }).id);
        const photo = await photos.get(id);
        if (photo === null) throw new AppError('NOT_FOUND', '사진을 찾을 수 없습니다.');
        // A caption shows on every article using the photo: once one is published, only
        // the desk changes it; before that, the uploader may.
        const mayEdit = (await editablePhotos(staff, [photo])).has(id);
        if (!mayEdit)
          throw new AppError(
            'FORBIDDEN',
            '이 사진의 설명을 고칠 권한이 없습니다. 출고된 기사에 쓰인 사진은 데스크가 고칩니다.',
          );
        const form = asForm(request.body);
        await photos.updateText(id, {
          caption: field(form, 'caption'),
          credit: field(form, 'credit'),
          alt: field(form, 'alt'),
        });
        // Captions and credits show on every article using the photo.
        const tags = await content.photoTags(id);
        if (tags.length > 0) await deps.changed(tags);
        return back(reply, '/admin/photos?ok=saved');
      });

      // ---- Sections ----------------------------------------------------------------------

      async function sectionsPage(
        request: FastifyRequest,
        reply: FastifyReply,
        extra: { error?: string; values?: Record<string, string> } = {},
        status = 200,
      ) {
        const sections = await content.allSectionsForDesk();
        return html(
          reply,
          renderSections(chrome(request, '/admin/sections'), {
            sections: sections.map((s) => ({
              id: s.id,
              name: s.name,
              slug: s.slug,
              position: s.position,
              hidden: s.hidden,
              layout: s.layout,
              parentName: s.parentName,
            })),
            ...extra,
          }),
          status,
        );
      }

      admin.get('/sections', async (request, reply) => {
        requireDesk(staffOf(request), 'section.manage');
        return sectionsPage(request, reply);
      });

      admin.post('/sections', async (request, reply) => {
        requireDesk(staffOf(request), 'section.manage');
        const form = asForm(request.body);
        const values = {
          name: field(form, 'name'),
          slug: field(form, 'slug').trim(),
          layout: field(form, 'layout'),
        };
        try {
          const existing = await content.allSectionsForDesk();
          await deps.writer.createSection({
            name: values.name,
            slug: values.slug,
            layout: values.layout === 'photo' ? 'photo' : 'list',
            position: Math.max(0, ...existing.map((s) => s.position)) + 1,
          });
          return back(reply, '/admin/sections?ok=section');
        } catch (error) {
          if (isAppError(error) && (error.code === 'INVALID_INPUT' || error.code === 'CONFLICT'))
            return sectionsPage(request, reply, { error: error.message, values }, 400);
          throw error;
        }
      });

      admin.post('/sections/:id', async (request, reply) => {
        requireDesk(staffOf(request), 'section.manage');
        const id = parseId((request.params as { id: string }).id);
        const form = asForm(request.body);
        const position = field(form, 'position').trim();
        try {
          if (!/^-?\d{1,6}$/.test(position))
            throw new AppError('INVALID_INPUT', '순서는 숫자로 입력하세요.');
          await deps.writer.updateSection(id, {
            name: field(form, 'name'),
            position: Number(position),
            hidden: checked(form, 'hidden'),
          });
          return back(reply, '/admin/sections?ok=section');
        } catch (error) {
          if (isAppError(error) && error.code === 'INVALID_INPUT')
            return sectionsPage(request, reply, { error: error.message }, 400);
          throw error;
        }
      });

      // ---- Front page ------------------------------------------------------------------

      async function frontPage(
        request: FastifyRequest,
        reply: FastifyReply,
        error?: string,
        status = 200,
      ) {
        const [arrangement, navigation, recent] = await Promise.all([
          front.arrangement(),
          content.navigation(),
          content.latestPublished(30),
        ]);
        const titles = new Map(recent.map((r) => [r.id, r.title]));
        const missing = [...arrangement.values()].flat().filter((id) => !titles.has(id));
        for (const t of await content.titles(missing)) titles.set(t.id, t.title);
        const area = (key: string, label: string, places: number) => ({
          area: key,
          label,
          places,
          chosen: (arrangement.get(key) ?? []).map((id) => ({
            id,
            title: titles.get(id) ?? '(출고되지 않은 기사)',
          })),
        });
        return html(
          reply,
          renderFrontDesk(chrome(request, '/admin/front'), {
            areas: [
              area('headline', '머리기사', FRONT_AREAS.headline),
              area('top', '주요 기사', FRONT_AREAS.top),
              ...navigation
                .filter((s) => s.layout === 'list')
                .map((s) => area(`section:${s.id}`, `${s.name} 상자`, 6)),
            ],
            recent: recent.map((r) => ({ id: r.id, title: r.title, section: r.section.name })),
            ...(error !== undefined ? { error } : {}),
          }),
          status,
        );
      }

      admin.get('/front', async (request, reply) => {
        requireDesk(staffOf(request), 'front.arrange');
        return frontPage(request, reply);
      });

      admin.post('/front', async (request, reply) => {
        const staff = staffOf(request);
        requireDesk(staff, 'front.arrange');
        const form = asForm(request.body);
        try {
          await front.arrange(
            actorOf(staff),
            field(form, 'area'),
            idList(field(form, 'articleIds')),
          );
          return back(reply, '/admin/front?ok=arranged');
        } catch (error) {
          if (isAppError(error) && error.code === 'INVALID_INPUT')
            return frontPage(request, reply, error.message, 400);
          throw error;
        }
      });

      // ---- Staff -------------------------------------------------------------------------

      async function staffPage(
        request: FastifyRequest,
        reply: FastifyReply,
        extra: {
          error?: string;
          invited?: { email: string; link: string };
          values?: Record<string, string>;
        } = {},
        status = 200,
      ) {
        const users = await accounts.listUsers();
        return html(
          reply,
          renderStaff(chrome(request, '/admin/staff'), {
            staff: users.map((u) => ({
              id: u.id,
              name: u.name,
              email: u.email,
              role: u.role,
              disabled: u.disabled,
              totp: u.totpEnabled,
            })),
            ...extra,
          }),
          status,
        );
      }

      const ROLES: readonly StaffRole[] = ['admin', 'desk', 'reporter', 'contributor'];
      const roleOf = (text: string): StaffRole => {
        const role = ROLES.find((r) => r === text);
        if (role === undefined) throw new AppError('INVALID_INPUT', '역할을 고르세요.');
        return role;
      };

      admin.get('/staff', async (request, reply) => {
        requireAdmin(staffOf(request));
        return staffPage(request, reply);
      });

      admin.post('/staff', async (request, reply) => {
        requireAdmin(staffOf(request));
        const form = asForm(request.body);
        const values = {
          name: field(form, 'name'),
          email: field(form, 'email'),
          role: field(form, 'role'),
        };
        try {
          const { setupToken } = await accounts.invite({
            name: values.name,
            email: values.email,
            role: roleOf(values.role),
          });
          return staffPage(request, reply, {
            invited: {
              email: values.email.trim().toLowerCase(),
              link: `${deps.siteUrl}/admin/setup?token=${setupToken}`,
            },
          });
        } catch (error) {
          if (isAppError(error) && (error.code === 'INVALID_INPUT' || error.code === 'CONFLICT'))
            return staffPage(request, reply, { error: error.message, values }, 400);
          throw error;
        }
      });

      admin.post('/staff/:id', async (request, reply) => {
        const staff = staffOf(request);
        requireAdmin(staff);
        const id = parseId((request.params as { id: string }).id);
        const form = asForm(request.body);
        if (id === staff.user.id)
          throw new AppError('INVALID_INPUT', '자기 계정의 역할이나 사용 여부는 바꿀 수 없습니다.');
        if (field(form, 'action') === 'disable') await accounts.disableUser(id);
        else await accounts.setRole(id, roleOf(field(form, 'role')));
        return back(reply, '/admin/staff?ok=staff');
      });

      // ---- Banners -----------------------------------------------------------------------

      const kit: AdminRouteKit = {
        chrome,
        html,
        back,
        roleOf: (request) => staffOf(request).user.role,
      };

      if (deps.ads !== undefined) {
        const ads = deps.ads;
        await withUploads((uploads) =>
          registerAdsAdmin(uploads, { ...ads, clock: deps.clock, changed: deps.changed }, kit),
        );
      }

      // ---- Reader counts -----------------------------------------------------------------

      if (deps.readers !== undefined) {
        registerReadersAdmin(admin, { ...deps.readers, content, clock }, kit);
      }

      // ---- Weather -----------------------------------------------------------------------

      if (deps.weather !== undefined) {
        registerWeatherAdmin(
          admin,
          { ...deps.weather, clock: deps.clock, changed: deps.changed },
          kit,
        );
      }

      // ---- Import API --------------------------------------------------------------------

      if (deps.importRecords !== undefined) {
        const importRecords = deps.importRecords;
        await admin.register(async (api) => {
          // The import API takes NDJSON as text, and only this route parses it.
          api.addContentTypeParser(
            ['application/x-ndjson', 'text/plain'],
            { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT },
            (_request, body, done) => done(null, body),
          );
          api.post('/api/import', async (request, reply) => {
            const staff = staffOf(request);
            if (!can(staff.user.role, 'import.run'))
              throw new AppError('FORBIDDEN', '가져오기 권한이 없습니다.');
            if (typeof request.body !== 'string')
              throw new AppError(
                'INVALID_INPUT',
                '본문은 NDJSON(한 줄에 기사 하나)이어야 합니다. Content-Type: application/x-ndjson',
              );
            return reply.send(await importRecords(request.body, actorOf(staff)));
          });
        });
      }
    },
    { prefix: '/admin' },
  );
}
