import type { FastifyReply, FastifyRequest } from 'fastify';
import { describeUserAgent } from '../../../shared/user-agent.ts';
import { asForm, field, type FormBody } from '../forms.ts';
import type { Staff } from '../guard.ts';
import type { AdminScreen } from '../screen.ts';
import { renderAccount } from './account.view.tsx';

type TotpSetup = { secret: string; uri: string };

/** 내 계정: password, two-factor sign-in, the sessions signed in as this staff member. */
export const accountScreen: AdminScreen = {
  name: 'account',
  prefix: '/account',
  permission: null,
  flash: {
    password: '비밀번호를 바꿨습니다.',
    totp: '2단계 인증을 켰습니다.',
    'totp-off': '2단계 인증을 껐습니다.',
  },
  routes(screen, kit, { accounts }) {
    async function page(
      request: FastifyRequest,
      reply: FastifyReply,
      extra: { error?: string; totpSetup?: TotpSetup } = {},
      status = 200,
    ) {
      const staff = kit.staff(request);
      return kit.html(
        reply,
        renderAccount(kit.chrome(request), {
          mustChangePassword: staff.user.mustChangePassword,
          totpEnabled: staff.user.totpEnabled,
          sessions: (await accounts.sessions(staff.user.id, staff.token)).map((s) => ({
            createdAt: s.createdAt,
            lastSeenAt: s.lastSeenAt,
            device: describeUserAgent(s.userAgent),
            current: s.current,
          })),
          ...extra,
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
