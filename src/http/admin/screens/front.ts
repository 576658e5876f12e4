import type { FastifyReply, FastifyRequest } from 'fastify';
import { FRONT_AREAS } from '../../../domains/newsroom/index.ts';
import { asForm, field, idList } from '../forms.ts';
import type { AdminScreen } from '../screen.ts';
import { renderFrontDesk } from './front.view.tsx';

/** Places in each section box on the front page. */
const SECTION_BOX_PLACES = 6;

/** 첫 화면 편집: which published pieces lead the front page, in which order. */
export const frontScreen: AdminScreen = {
  name: 'front',
  prefix: '/front',
  permission: 'front.arrange',
  nav: { label: '첫 화면', order: 40 },
  flash: { arranged: '첫 화면 편집을 저장했습니다.' },
  routes(screen, kit, { front, content }) {
    async function page(
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
      return kit.html(
        reply,
        renderFrontDesk(kit.chrome(request), {
          areas: [
            area('headline', '머리기사', FRONT_AREAS.headline),
            area('top', '주요 기사', FRONT_AREAS.top),
            ...navigation
              .filter((s) => s.layout === 'list')
              .map((s) => area(`section:${s.id}`, `${s.name} 상자`, SECTION_BOX_PLACES)),
          ],
          recent: recent.map((r) => ({ id: r.id, title: r.title, section: r.section.name })),
          ...(error !== undefined ? { error } : {}),
        }),
        status,
      );
    }

    screen.get('', (request, reply) => page(request, reply));

    screen.post('', async (request, reply) => {
      const form = asForm(request.body);
      return kit.form(
        reply,
        async () => {
          await front.arrange(
            kit.actor(request),
            field(form, 'area'),
            idList(field(form, 'articleIds')),
          );
          return '/admin/front?ok=arranged';
        },
        (failure) => page(request, reply, failure.message, failure.status),
      );
    });
  },
};
