import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthorProfileInput } from '../../../domains/content/index.ts';
import { AppError } from '../../../shared/errors.ts';
import { describeUserAgent } from '../../../shared/user-agent.ts';
import { reporterPath } from '../../../views/urls.ts';
import { asForm, field, type FormBody } from '../forms.ts';
import type { Staff } from '../guard.ts';
import { profileView, typedProfile, withNewPhoto } from '../profile-form.ts';
import type { AdminScreen } from '../screen.ts';
import { renderAccount } from './account.view.tsx';

type TotpSetup = { secret: string; uri: string };

/**
 * 내 계정: password, two-factor sign-in, the sessions signed in as this staff member, and
 * the 기자 페이지 profile of their byline (desk or beat, introduction, photo).
 */
export const accountScreen: AdminScreen = {
  name: 'account',
  prefix: '/account',
  permission: null,
  // The profile photo.
  uploads: true,
  flash: {
    password: '비밀번호를 바꿨습니다.',
    totp: '2단계 인증을 켰습니다.',
    'totp-off': '2단계 인증을 껐습니다.',
    profile: '기자 페이지 소개를 저장했습니다.',
  },
  routes(screen, kit, deps) {
    const { accounts, content, writer, siteUrl } = deps;

    async function page(
      request: FastifyRequest,
      reply: FastifyReply,
      extra: { error?: string; totpSetup?: TotpSetup; typedProfile?: AuthorProfileInput } = {},
      status = 200,
    ) {
      const staff = kit.staff(request);
      const { typedProfile, ...rest } = extra;
      const authorId = staff.user.authorId;
      const profile = authorId === null ? null : await content.authorProfile(authorId);
      return kit.html(
        reply,
        renderAccount(kit.chrome(request), {
          profile:
            profile === null
              ? null
              : {
                  form: profileView(profile, typedProfile),
                  publicUrl: siteUrl + reporterPath(profile.id),
                },
          mustChangePassword: staff.user.mustChangePassword,
          totpEnabled: staff.user.totpEnabled,
          sessions: (await accounts.sessions(staff.user.id, staff.token)).map((s) => ({
            createdAt: s.createdAt,
            lastSeenAt: s.lastSeenAt,
            device: describeUserAgent(s.userAgent),
            current: s.current,
          })),
          ...rest,
        }),
        status,
      );
    }

    screen.get('', (request, reply) => page(request, reply));

    /** A form on this page: its flash key, or a TOTP secret to show on the page itself. */
    const action = (
      path: string,
      run: (staff: Staff, form: FormBody) => Promise<string | TotpSetup>,
    ) =>
      screen.post(path, (request, reply) =>
        kit.form(
          reply,
          async () => {
            const done = await run(kit.staff(request), asForm(request.body));
            return typeof done === 'string'
              ? `/admin/account?ok=${done}`
              : page(request, reply, { totpSetup: done });
          },
          (failure) => page(request, reply, { error: failure.message }, failure.status),
        ),
      );

    action('/password', async (staff, form) => {
      await accounts.changePassword(
        staff.user.id,
        field(form, 'current'),
        field(form, 'next'),
        staff.token,
      );
      return 'password';
    });
    // A staff byline's name and e-mail follow the account; the rest is the reporter's own.
    screen.post('/profile', async (request, reply) => {
      const staff = kit.staff(request);
      const authorId = staff.user.authorId;
      if (authorId === null) throw new AppError('NOT_FOUND', '이 계정에는 바이라인이 없습니다.');
      const typed = typedProfile(request.body, false);
      return kit.form(
        reply,
        async () => {
          const profile = await content.authorProfile(authorId);
          if (profile === null) throw new AppError('NOT_FOUND', '바이라인을 찾을 수 없습니다.');
          const who = { uploadedBy: staff.user.id, name: profile.name, title: profile.title };
          await writer.updateAuthorProfile(
            authorId,
            await withNewPhoto(deps, request.body, typed, who),
          );
          return '/admin/account?ok=profile';
        },
        (failure) =>
          page(request, reply, { error: failure.message, typedProfile: typed }, failure.status),
      );
    });
    action('/totp/begin', (staff) => accounts.beginTotpSetup(staff.user.id));
    action('/totp/confirm', async (staff, form) => {
      await accounts.confirmTotp(staff.user.id, field(form, 'code').trim(), staff.token);
      return 'totp';
    });
    action('/totp/disable', async (staff, form) => {
      await accounts.disableTotp(staff.user.id, field(form, 'code').trim());
      return 'totp-off';
    });
  },
};
