import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  DEFAULT_RATE_LIMIT,
  RATE_LIMIT_MAX,
  type ApiKeys,
} from '../../../domains/apikeys/index.ts';
import { asForm, field } from '../forms.ts';
import type { AdminKit } from '../kit.ts';
import type { AdminScreen } from '../screen.ts';
import { renderApiKeys, type ApiKeysView } from './api-keys.view.tsx';

/** A whole number typed into a form, or NaN (the domain then says what is wrong). */
const wholeNumber = (text: string) => (/^\s*\d{1,9}\s*$/.test(text) ? Number(text) : Number.NaN);

function apiKeyRoutes(
  screen: Parameters<AdminScreen['routes']>[0],
  kit: AdminKit,
  apiKeys: ApiKeys,
  siteUrl: string,
) {
  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Pick<ApiKeysView, 'created' | 'error' | 'values'> = {},
    status = 200,
  ) {
    return kit.html(
      reply,
      renderApiKeys(kit.chrome(request), {
        keys: await apiKeys.list(),
        siteUrl,
        defaultRateLimit: DEFAULT_RATE_LIMIT,
        maxRateLimit: RATE_LIMIT_MAX,
        ...extra,
      }),
      status,
    );
  }

  screen.get('', (request, reply) => page(request, reply));

  // The key is on this answer only: no redirect, and admin pages are never cached.
  screen.post('', async (request, reply) => {
    const form = asForm(request.body);
    const values = { name: field(form, 'name'), rateLimit: field(form, 'rateLimit') };
    return kit.form(
      reply,
      async () => {
        const created = await apiKeys.create({
          name: values.name,
          rateLimit: wholeNumber(values.rateLimit),
          createdBy: kit.staff(request).user.id,
        });
        return page(request, reply, { created: { name: created.name, key: created.key } });
      },
      (failure) => page(request, reply, { error: failure.message, values }, failure.status),
    );
  });

  screen.post('/:id/revoke', async (request, reply) => {
    await apiKeys.revoke(kit.id(request));
    return kit.back(reply, '/admin/api-keys?ok=api-key-revoked');
  });
}

/** API 키: keys of the content API (/api/v1), their limits, and revoking them. */
export const apiKeysScreen: AdminScreen = {
  name: 'api-keys',
  prefix: '/api-keys',
  permission: 'api.manage',
  nav: { label: 'API 키', order: 95 },
  flash: { 'api-key-revoked': 'API 키를 폐기했습니다. 이 키로 오는 요청은 바로 거절됩니다.' },
  enabled: (deps) => deps.apiKeys !== undefined,
  routes(screen, kit, deps) {
    if (deps.apiKeys !== undefined) apiKeyRoutes(screen, kit, deps.apiKeys, deps.siteUrl);
  },
};
