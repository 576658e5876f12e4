import type { FastifyReply, FastifyRequest } from 'fastify';
import { invalidInput } from '../../../shared/errors.ts';
import { asciiSlug, uniqueSlug } from '../../../shared/romanize.ts';
import { asForm, checked, field } from '../forms.ts';
import type { AdminScreen } from '../screen.ts';
import { renderSections } from './sections.view.tsx';

/** 섹션: the paper's sections, their order, and which are hidden from the menu. */
export const sectionsScreen: AdminScreen = {
  name: 'sections',
  prefix: '/sections',
  permission: 'section.manage',
  nav: { label: '섹션', order: 50 },
  flash: { section: '섹션을 저장했습니다.' },
  routes(screen, kit, { content, writer }) {
    async function page(
      request: FastifyRequest,
      reply: FastifyReply,
      extra: { error?: string; values?: Record<string, string> } = {},
      status = 200,
    ) {
      const sections = await content.allSectionsForDesk();
      return kit.html(
        reply,
        renderSections(kit.chrome(request), {
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

    screen.get('', (request, reply) => page(request, reply));

    screen.post('', async (request, reply) => {
      const form = asForm(request.body);
      const values = {
        name: field(form, 'name'),
        slug: field(form, 'slug').trim().toLowerCase(),
        layout: field(form, 'layout'),
        hidden: checked(form, 'hidden') ? '1' : '',
      };
      return kit.form(
        reply,
        async () => {
          const existing = await content.allSectionsForDesk();
          // A blank address is made from the name, the way a desk expects (정치 → jeongchi).
          const taken = new Set(existing.map((s) => s.slug));
          const slug =
            values.slug !== ''
              ? values.slug
              : uniqueSlug(asciiSlug(values.name) || 'section', (s) => taken.has(s));
          await writer.createSection({
            name: values.name,
            slug,
            layout: values.layout === 'photo' ? 'photo' : 'list',
            hidden: values.hidden === '1',
            position: Math.max(0, ...existing.map((s) => s.position)) + 1,
          });
          return '/admin/sections?ok=section';
        },
        (failure) => page(request, reply, { error: failure.message, values }, failure.status),
      );
    });

    screen.post('/:id', async (request, reply) => {
      const id = kit.id(request);
      const form = asForm(request.body);
      const position = field(form, 'position').trim();
      return kit.form(
        reply,
        async () => {
          if (!/^-?\d{1,6}$/.test(position)) throw invalidInput('순서는 숫자로 입력하세요.');
          await writer.updateSection(id, {
            name: field(form, 'name'),
            position: Number(position),
            hidden: checked(form, 'hidden'),
          });
          return '/admin/sections?ok=section';
        },
        (failure) => page(request, reply, { error: failure.message }, failure.status),
      );
    });
  },
};
