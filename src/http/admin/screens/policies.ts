import type { FastifyReply, FastifyRequest } from 'fastify';
import { isPolicySlug, type PolicySlug } from '../../../domains/policies/index.ts';
import { AppError } from '../../../shared/errors.ts';
import { policyPath } from '../../../views/urls.ts';
import { asForm, field } from '../forms.ts';
import type { AdminScreen } from '../screen.ts';
import { renderPolicyEditor, renderPolicyList } from './policies.view.tsx';

/** A full privacy policy is 20–40 KB of HTML; urlencoded Hangul takes nine bytes a letter. */
const POLICY_BODY_LIMIT = 2 * 1024 * 1024;

/**
 * 약관·정책: the pages the footer links to (이용약관, 개인정보처리방침, 청소년보호정책, …),
 * edited with the article editor. The publisher's legal word: admins only.
 */
export const policiesScreen: AdminScreen = {
  name: 'policies',
  prefix: '/policies',
  permission: 'policy.manage',
  nav: { label: '약관·정책', order: 85 },
  flash: {
    policy: '저장했습니다. 독자 화면에 바로 반영됩니다.',
    'policy-default': '기본 문안으로 되돌렸습니다.',
  },
  routes(screen, kit, { policies, siteUrl }) {
    const slugOf = (request: FastifyRequest): PolicySlug => {
      const slug = (request.params as { slug?: string }).slug ?? '';
      if (!isPolicySlug(slug)) throw new AppError('NOT_FOUND', '없는 페이지입니다.');
      return slug;
    };

    async function editor(
      request: FastifyRequest,
      reply: FastifyReply,
      slug: PolicySlug,
      extra: { error?: string; bodyHtml?: string } = {},
      status = 200,
    ) {
      const [page, history] = await Promise.all([policies.page(slug), policies.history(slug)]);
      return kit.html(
        reply,
        renderPolicyEditor(kit.chrome(request), {
          slug,
          title: page.title,
          publicUrl: siteUrl + policyPath(slug),
          bodyHtml: extra.bodyHtml ?? page.bodyHtml,
          isDefault: page.isDefault,
          history,
          ...(extra.error === undefined ? {} : { error: extra.error }),
        }),
        status,
      );
    }

    screen.get('', async (request, reply) => {
      const pages = await policies.all();
      return kit.html(
        reply,
        renderPolicyList(kit.chrome(request), {
          pages: pages.map((p) => ({
            slug: p.slug,
            title: p.title,
            path: policyPath(p.slug),
            savedAt: p.savedAt,
            savedBy: p.savedBy,
          })),
        }),
      );
    });

    screen.get('/:slug', (request, reply) => editor(request, reply, slugOf(request)));

    screen.post('/:slug', { bodyLimit: POLICY_BODY_LIMIT }, async (request, reply) => {
      const slug = slugOf(request);
      const bodyHtml = field(asForm(request.body), 'bodyHtml');
      return kit.form(
        reply,
        async () => {
          await policies.save(slug, bodyHtml, kit.staff(request).user.id);
          return `/admin/policies/${slug}?ok=policy`;
        },
        (failure) =>
          editor(request, reply, slug, { error: failure.message, bodyHtml }, failure.status),
      );
    });

    screen.post('/:slug/default', async (request, reply) => {
      const slug = slugOf(request);
      await policies.restoreDefault(slug, kit.staff(request).user.id);
      return kit.back(reply, `/admin/policies/${slug}?ok=policy-default`);
    });
  },
};
