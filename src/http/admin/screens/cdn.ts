import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CdnPurges } from '../../../domains/cdn/index.ts';
import { asForm, field } from '../forms.ts';
import type { AdminKit } from '../kit.ts';
import type { AdminScreen } from '../screen.ts';
import { renderCdn } from './cdn.view.tsx';

function cdnRoutes(
  screen: Parameters<AdminScreen['routes']>[0],
  kit: AdminKit,
  cdn: CdnPurges,
  settings: { deviceHeader: string | null; maxAgeSeconds: number },
  now: () => number,
) {
  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { error?: string; url?: string } = {},
    status = 200,
  ) {
    const state = await cdn.status();
    return kit.html(
      reply,
      renderCdn(kit.chrome(request), { ...state, ...settings, now: now(), ...extra }),
      status,
    );
  }

  screen.get('', (request, reply) => page(request, reply));

  screen.post('/purge-url', async (request, reply) => {
    const url = field(asForm(request.body), 'url');
    return kit.form(
      reply,
      async () => {
        await cdn.purgeUrl(url);
        return '/admin/cdn?ok=cdn-url';
      },
      (failure) => page(request, reply, { error: failure.message, url }, failure.status),
    );
  });

  screen.post('/purge-all', async (_request, reply) => {
    await cdn.purgeEverything();
    return kit.back(reply, '/admin/cdn?ok=cdn-all');
  });

  screen.post('/retry', async (_request, reply) => {
    await cdn.retryFailed();
    return kit.back(reply, '/admin/cdn?ok=cdn-retry');
  });
}

/** CDN 캐시: the purge queue (waiting, given up, sent) and purges by hand. */
export const cdnScreen: AdminScreen = {
  name: 'cdn',
  prefix: '/cdn',
  permission: 'settings.manage',
  nav: { label: 'CDN', order: 97 },
  flash: {
    'cdn-url': '이 주소를 비우도록 보냈습니다. 몇 초 뒤 아래 목록에 나타납니다.',
    'cdn-all': '모든 페이지를 비우도록 보냈습니다.',
    'cdn-retry': '보내지 못한 비우기를 다시 보냅니다.',
  },
  enabled: (deps) => deps.cdn !== undefined,
  routes(screen, kit, deps) {
    if (deps.cdn !== undefined)
      cdnRoutes(
        screen,
        kit,
        deps.cdn,
        deps.cdnSettings ?? { deviceHeader: null, maxAgeSeconds: 60 },
        () => deps.clock.now(),
      );
  },
};
