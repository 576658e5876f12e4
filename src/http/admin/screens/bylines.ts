import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthorProfileInput } from '../../../domains/content/index.ts';
import { AppError } from '../../../shared/errors.ts';
import { reporterPath } from '../../../views/urls.ts';
import { asForm, field } from '../forms.ts';
import { profileView, typedProfile, withNewPhoto } from '../profile-form.ts';
import type { AdminScreen } from '../screen.ts';
import { renderBylineEdit, renderBylines } from './bylines.view.tsx';

/**
 * 필자: the 기자 페이지 of bylines without an account (칼럼니스트, 객원 기자, an archive's
 * writers), whose name, photo and introduction the desk keeps. Staff edit their own
 * under 내 계정; this list only links to theirs.
 */
export const bylinesScreen: AdminScreen = {
  name: 'bylines',
  prefix: '/bylines',
  permission: 'byline.manage',
  nav: { label: '필자', order: 55 },
  uploads: true,
  flash: { byline: '필자 정보를 저장했습니다.' },
  routes(screen, kit, deps) {
    const { content, writer, siteUrl } = deps;

    async function list(
      request: FastifyRequest,
      reply: FastifyReply,
      extra: { error?: string; values?: { name: string; title: string } } = {},
      status = 200,
    ) {
      const bylines = await content.bylinesForDesk();
      return kit.html(
        reply,
        renderBylines(kit.chrome(request), {
          bylines: bylines.map((b) => ({ ...b, publicUrl: siteUrl + reporterPath(b.id) })),
          ...extra,
        }),
        status,
      );
    }

    /** An outside writer's profile; staff bylines are their own to edit. */
    async function outsideWriter(id: number) {
      const profile = await content.authorProfile(id);
      if (profile === null) throw new AppError('NOT_FOUND', '필자를 찾을 수 없습니다.');
      if (profile.hasAccount)
        throw new AppError(
          'FORBIDDEN',
          '계정이 있는 기자의 소개는 그 기자가 내 계정에서 고칩니다.',
        );
      return profile;
    }

    async function edit(
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      extra: { error?: string; typed?: AuthorProfileInput } = {},
      status = 200,
    ) {
      const profile = await outsideWriter(id);
      return kit.html(
        reply,
        renderBylineEdit(kit.chrome(request), {
          profile: profileView(profile, extra.typed),
          publicUrl: siteUrl + reporterPath(id),
          ...(extra.error === undefined ? {} : { error: extra.error }),
        }),
        status,
      );
    }

    screen.get('', (request, reply) => list(request, reply));

    // 새 필자: a byline of that name and title, then its profile form.
    screen.post('', async (request, reply) => {
      const form = asForm(request.body);
      const values = { name: field(form, 'name'), title: field(form, 'title') };
      return kit.form(
        reply,
        async () => {
          const id = await writer.createOutsideAuthor(values);
          return `/admin/bylines/${id}`;
        },
        (failure) => list(request, reply, { error: failure.message, values }, failure.status),
      );
    });

    screen.get('/:id', (request, reply) => edit(request, reply, kit.id(request)));

    screen.post('/:id', async (request, reply) => {
      const id = kit.id(request);
      const typed = typedProfile(request.body, true);
      return kit.form(
        reply,
        async () => {
          const profile = await outsideWriter(id);
          const who = {
            uploadedBy: kit.staff(request).user.id,
            name: profile.name,
            title: profile.title,
          };
          await writer.updateAuthorProfile(id, await withNewPhoto(deps, request.body, typed, who));
          return '/admin/bylines?ok=byline';
        },
        (failure) => edit(request, reply, id, { error: failure.message, typed }, failure.status),
      );
    });
  },
};
