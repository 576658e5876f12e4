import type { FastifyReply, FastifyRequest } from 'fastify';
import { isStaffRole, type StaffRole } from '../../../domains/accounts/index.ts';
import { invalidInput } from '../../../shared/errors.ts';
import { asForm, field } from '../forms.ts';
import type { AdminScreen } from '../screen.ts';
import { renderStaff } from './staff.view.tsx';

function chosenRole(text: string): StaffRole {
  if (!isStaffRole(text))
    throw invalidInput('역할을 고르세요.', { fields: { role: '역할을 고르세요.' } });
  return text;
}

/** 직원: invitations, roles, and stopping an account. */
export const staffScreen: AdminScreen = {
  name: 'staff',
  prefix: '/staff',
  permission: 'staff.manage',
  nav: { label: '직원', order: 80 },
  flash: { staff: '직원 정보를 저장했습니다.' },
  routes(screen, kit, { accounts, siteUrl, siteName, notifications }) {
    /** Mails a setup or reset link when the paper has a mail server; says how it went. */
    async function mailLink(
      request: FastifyRequest,
      kind: 'invite' | 'reset',
      to: { email: string; name: string },
      link: string,
    ): Promise<'sent' | 'failed' | 'off'> {
      const subject = kind === 'invite' ? '뉴스룸 계정 초대' : '비밀번호 재설정';
      const text = [
        `${to.name} 님,`,
        '',
        kind === 'invite'
          ? `${siteName} 뉴스룸에 초대되었습니다. 아래 주소에서 비밀번호를 정하면 바로 로그인됩니다.`
          : `${siteName} 뉴스룸 비밀번호를 다시 정할 수 있는 주소입니다. 요청하지 않았다면 관리자에게 알려 주세요.`,
        '',
        link,
        '',
        '이 주소는 24시간 동안 한 번만 쓸 수 있습니다.',
      ].join('\n');
      try {
        return (await notifications.mailStaff(to.email, subject, text)) ? 'sent' : 'off';
      } catch (error) {
        request.log.warn({ err: error }, 'staff link mail not sent');
        return 'failed';
      }
    }

    async function page(
      request: FastifyRequest,
      reply: FastifyReply,
      extra: {
        error?: string;
        invited?: {
          email: string;
          link: string;
          kind: 'invite' | 'reset';
          mail: 'sent' | 'failed' | 'off';
        };
        values?: Record<string, string>;
      } = {},
      status = 200,
    ) {
      const users = await accounts.listUsers();
      return kit.html(
        reply,
        renderStaff(kit.chrome(request), {
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

    screen.get('', (request, reply) => page(request, reply));

    screen.post('', async (request, reply) => {
      const form = asForm(request.body);
      const values = {
        name: field(form, 'name'),
        email: field(form, 'email'),
        role: field(form, 'role'),
      };
      return kit.form(
        reply,
        async () => {
          const { setupToken } = await accounts.invite({
            name: values.name,
            email: values.email,
            role: chosenRole(values.role),
          });
          // The link is built from the configured site URL, never from request headers.
          const email = values.email.trim().toLowerCase();
          const link = `${siteUrl}/admin/setup?token=${setupToken}`;
          const mail = await mailLink(request, 'invite', { email, name: values.name.trim() }, link);
          return page(request, reply, { invited: { email, link, kind: 'invite', mail } });
        },
        (failure) => page(request, reply, { error: failure.message, values }, failure.status),
      );
    });

    screen.post('/:id', async (request, reply) => {
      const id = kit.id(request);
      const form = asForm(request.body);
      return kit.form(
        reply,
        async () => {
          if (id === kit.staff(request).user.id)
            throw invalidInput('자기 계정의 역할이나 사용 여부는 바꿀 수 없습니다.');
          const action = field(form, 'action');
          if (action === 'reset') {
            const { setupToken, email, name } = await accounts.resetLink(id);
            const link = `${siteUrl}/admin/setup?token=${setupToken}`;
            const mail = await mailLink(request, 'reset', { email, name }, link);
            return page(request, reply, { invited: { email, link, kind: 'reset', mail } });
          }
          if (action === 'disable') await accounts.disableUser(id);
          else await accounts.setRole(id, chosenRole(field(form, 'role')));
          return '/admin/staff?ok=staff';
        },
        (failure) => page(request, reply, { error: failure.message }, failure.status),
      );
    });
  },
};
