import { renderDocument } from '../jsx/jsx-runtime.ts';
import { Pager } from '../components/Pager.tsx';
import { TeaserRow } from '../components/Teasers.tsx';
import { SiteLayout } from '../layouts/SiteLayout.tsx';
import type { ChromeView, TeaserView } from '../model.ts';
import { tagPath } from '../urls.ts';

export interface TagPageProps {
  chrome: ChromeView;
  tag: { name: string };
  articles: TeaserView[];
  page: number;
  pageCount: number;
  total: number;
}

/** /tag/<name>: the published articles carrying a tag, newest first, with page numbers. */
export function renderTagPage(props: TagPageProps): string {
  const name = props.tag.name;
  return renderDocument(
    <SiteLayout
      chrome={props.chrome}
      meta={{
        title: props.page > 1 ? `#${name} (${props.page}쪽)` : `#${name}`,
        description: `${props.chrome.publisher.name}의 '${name}' 관련 기사 ${props.total}건`,
        path: tagPath(name, props.page),
        type: 'website',
        image: props.articles[0]?.photo,
      }}
    >
      <header class="section-head">
        <h1>
          <span class="tag-mark" aria-hidden="true">
            #
          </span>
          {name}
        </h1>
        <p class="section-count">태그 기사 전체 {props.total.toLocaleString('ko-KR')}건</p>
      </header>
      <div class="section-list">
        {props.articles.map((a) => (
          <TeaserRow article={a} showSection heading="h2" />
        ))}
      </div>
      <Pager page={props.page} pageCount={props.pageCount} href={(p) => tagPath(name, p)} />
    </SiteLayout>,
  );
}
