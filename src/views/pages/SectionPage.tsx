import { renderDocument } from '../jsx/jsx-runtime.ts';
import { formatKstDateTime } from '../../shared/kst.ts';
import { Pager } from '../components/Pager.tsx';
import { Photo } from '../components/Photo.tsx';
import { TeaserRow, TimeTag } from '../components/Teasers.tsx';
import { AdFlag } from '../components/Advertorial.tsx';
import { SiteLayout } from '../layouts/SiteLayout.tsx';
import type { ChromeView, SectionView, TeaserView } from '../model.ts';
import { articlePath, sectionAtomPath, sectionFeedPath, sectionPath } from '../urls.ts';

export interface SectionPageProps {
  chrome: ChromeView;
  section: SectionView;
  sectionPath: SectionView[];
  children: SectionView[];
  articles: TeaserView[];
  page: number;
  pageCount: number;
  total: number;
}

export function renderSectionPage(props: SectionPageProps): string {
  const { section } = props;
  const top = props.sectionPath[0] ?? section;
  const chrome: ChromeView = { ...props.chrome, currentSection: top.slug };
  return renderDocument(
    <SiteLayout
      chrome={chrome}
      meta={{
        title: props.page > 1 ? `${section.name} (${props.page}쪽)` : section.name,
        description: `${chrome.publisher.name} ${section.name} 섹션의 최신 기사 ${props.total}건`,
        path: sectionPath(section.slug, props.page),
        type: 'website',
        image: props.articles[0]?.photo,
        feed:
          section.id === undefined
            ? undefined
            : {
                title: `${chrome.publisher.name} ${section.name}`,
                path: sectionFeedPath(section.id),
                atomPath: sectionAtomPath(section.id),
              },
      }}
    >
      <header class="section-head">
        <h1>{section.name}</h1>
        {props.children.length > 0 ? (
          <ul class="subsections">
            {props.children.map((c) => (
              <li>
                <a href={sectionPath(c.slug)}>{c.name}</a>
              </li>
            ))}
          </ul>
        ) : null}
        <p class="section-count">전체 {props.total.toLocaleString('ko-KR')}건</p>
      </header>
      {props.articles.length === 0 ? (
        <p class="empty">이 섹션에는 아직 기사가 없습니다.</p>
      ) : section.layout === 'photo' ? (
        <ul class="photo-grid">
          {props.articles.map((a) => (
            <li>
              <a href={articlePath(a.id)}>
                {a.photo ? (
                  <Photo
                    photo={a.photo}
                    sizes="(min-width: 1024px) 300px, (min-width: 640px) 45vw, 100vw"
                  />
                ) : null}
                <span class="photo-grid-title">
                  <AdFlag origin={a.origin} />
                  {a.title}
                </span>
              </a>
              <TimeTag ms={a.publishedAt} text={formatKstDateTime(a.publishedAt)} />
            </li>
          ))}
        </ul>
      ) : (
        <div class="section-list">
          {props.articles.map((a) => (
            <TeaserRow article={a} heading="h2" />
          ))}
        </div>
      )}
      <Pager
        page={props.page}
        pageCount={props.pageCount}
        href={(p) => sectionPath(section.slug, p)}
      />
    </SiteLayout>,
  );
}
