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
  routes(screen, kit, { accounts, siteUrl }) {
    async function page(
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
          return page(request, reply, {
            invited: {
              email: values.email.trim().toLowerCase(),
              link: `${siteUrl}/admin/setup?token=${setupToken}`,
            },
          });
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
          if (field(form, 'action') === 'disable') await accounts.disableUser(id);
          else await accounts.setRole(id, chosenRole(field(form, 'role')));
          return '/admin/staff?ok=staff';
        },
        (failure) => page(request, reply, { error: failure.message }, failure.status),
      );
    });
  },
};
