import type { Child } from '../jsx/jsx-runtime.ts';
import { raw, renderDocument } from '../jsx/jsx-runtime.ts';
import { formatKstDate } from '../../shared/kst.ts';
import { POLICY_PAGES } from '../../shared/policy-pages.ts';
import { TimeTag } from '../components/Teasers.tsx';
import { SiteLayout } from '../layouts/SiteLayout.tsx';
import type { ChromeView, PageMeta } from '../model.ts';
import { policyPath } from '../urls.ts';

/** The policy pages side by side: a list of all of them, the one open marked. */
export function PolicyLayout({
  chrome,
  meta,
  current,
  children,
}: {
  chrome: ChromeView;
  meta: PageMeta;
  current: string;
  children?: Child;
}) {
  return (
    <SiteLayout chrome={chrome} meta={meta}>
      <div class="policy-layout">
        <nav class="policy-nav" aria-label="약관과 안내">
          <ul>
            {POLICY_PAGES.map((p) => (
              <li>
                <a
                  href={policyPath(p.slug)}
                  aria-current={p.slug === current ? 'page' : undefined}
                  class={p.slug === 'privacy' ? 'policy-privacy' : undefined}
                >
                  {p.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {children}
      </div>
    </SiteLayout>
  );
}

export interface PolicyPageView {
  slug: string;
  title: string;
  /** Cleaned when stored (the article body cleaner). */
  bodyHtml: string;
  /** When the wording in force was saved; null for the built-in default. */
  savedAt: number | null;
}

export function renderPolicyPage(props: { chrome: ChromeView; page: PolicyPageView }): string {
  const { page } = props;
  const text = page.bodyHtml
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return renderDocument(
    <PolicyLayout
      chrome={props.chrome}
      current={page.slug}
      meta={{
        title: page.title,
        description: [...text].slice(0, 120).join(''),
        path: policyPath(page.slug),
        type: 'website',
      }}
    >
      <article class="policy">
        <h1 class="policy-title">{page.title}</h1>
        {page.savedAt === null ? null : (
          <p class="policy-date">
            최종 수정 <TimeTag ms={page.savedAt} text={formatKstDate(page.savedAt)} />
          </p>
        )}
        <div class="policy-body article-body">{raw(page.bodyHtml)}</div>
      </article>
    </PolicyLayout>,
  );
}
