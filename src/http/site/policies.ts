import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isPolicySlug, type Policies } from '../../domains/policies/index.ts';
import { tag, type CacheTag } from '../../shared/cache-tags.ts';
import type { ChromeView } from '../../views/model.ts';
import { renderPolicyPage } from '../../views/pages/PolicyPage.tsx';
import { policyPath, tipPath } from '../../views/urls.ts';

export interface PolicyRouteDeps {
  policies: Policies;
  chrome: (request: FastifyRequest) => Promise<ChromeView>;
  sendError: (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    chrome: ChromeView,
  ) => FastifyReply;
  /** The site's cached pages (routes.ts). */
  page: (
    request: FastifyRequest,
    reply: FastifyReply,
    key: string,
    render: (chrome: ChromeView) => Promise<{ html: string; tags: CacheTag[] }>,
  ) => Promise<FastifyReply>;
}

/** 이용약관, 개인정보처리방침 and the rest at /policy/<slug>: cached like any page. */
export function registerPolicyRoutes(app: FastifyInstance, deps: PolicyRouteDeps): void {
  app.get('/policy/:slug', async (request: FastifyRequest<{ Params: { slug: string } }>, reply) => {
    const slug = request.params.slug;
    if (slug === 'tip') return reply.redirect(tipPath, 301);
    if (!isPolicySlug(slug)) return deps.sendError(request, reply, 404, await deps.chrome(request));
    return deps.page(request, reply, policyPath(slug), async (chrome) => ({
      html: renderPolicyPage({ chrome, page: await deps.policies.page(slug) }),
      tags: [tag.policies],
    }));
  });
}
