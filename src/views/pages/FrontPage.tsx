import { renderDocument } from '../jsx/jsx-runtime.ts';
import { BannerSlot } from '../components/Banner.tsx';
import { PhotoNewsBox, SectionBox, TeaserBox, WidePhotoBox } from '../components/Boxes.tsx';
import { MostRead } from '../components/MostRead.tsx';
import { Photo } from '../components/Photo.tsx';
import { TeaserRow, TitleLink } from '../components/Teasers.tsx';
import { AdFlag } from '../components/Advertorial.tsx';
import { SiteLayout } from '../layouts/SiteLayout.tsx';
import { organizationData, websiteData } from '../structured-data.ts';
import type { BoxView, ChromeView, MostReadView, SectionView, TeaserView } from '../model.ts';
import { articlePath } from '../urls.ts';

export interface FrontPageProps {
  chrome: ChromeView;
  headline: TeaserView | null;
  topStories: TeaserView[];
  breaking: TeaserView[];
  sectionBoxes: BoxView[];
  /** Boxes shown as title + summary (사건/사고/판결 style), by section slug. */
  teaserBoxSlugs: string[];
  photoStories: TeaserView[];
  /** 포토뉴스 in the rail: articles with a photo not shown elsewhere on the page. */
  photoNews: TeaserView[];
  photoSection: SectionView | null;
  description: string;
  /** 많이 본 뉴스; null or empty lists leave the box out. */
  mostRead: MostReadView | null;
}

export function renderFrontPage(props: FrontPageProps): string {
  const { chrome, headline, topStories, breaking } = props;
  const [firstTop, secondTop, ...restTop] = topStories;
  return renderDocument(
    <SiteLayout
      chrome={chrome}
      isFront
      meta={{
        title: chrome.publisher.name,
        description: props.description,
        path: '/',
        type: 'website',
        // Shared, the front page shows the paper's own card rather than one story's photo.
        structuredData: [organizationData(chrome), websiteData(chrome)],
      }}
    >
      {breaking.length > 0 ? (
        <section class="breaking-bar" aria-label="속보">
          <strong>속보</strong>
          <ul>
            {breaking.map((a) => (
              <li>
                <a href={articlePath(a.id)}>
                  <AdFlag origin={a.origin} />
                  {a.title}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <div class="front-top">
        {headline ? (
          <article class="headline">
            {headline.photo ? (
              <a class="thumb" href={articlePath(headline.id)} tabindex="-1" aria-hidden="true">
                <Photo photo={headline.photo} sizes="(min-width: 1024px) 640px, 100vw" eager />
              </a>
            ) : null}
            <h2 class="headline-title">
              <TitleLink article={headline} />
            </h2>
            <p class="headline-summary">{headline.summary}</p>
          </article>
        ) : (
          <p class="empty">아직 게재된 기사가 없습니다.</p>
        )}
        <section class="top-stories" aria-label="주요 기사">
          {[firstTop, secondTop].map((a) => (a ? <TeaserRow article={a} showSection /> : null))}
          <ul class="top-list">
            {restTop.map((a) => (
              <li>
                <TitleLink article={a} />
              </li>
            ))}
          </ul>
        </section>
        <div class="rail">
          <BannerSlot chrome={chrome} slot="rail-1" />
          <MostRead lists={props.mostRead} />
          <PhotoNewsBox articles={props.photoNews} />
        </div>
        {/* Beside the rail on desktop, so the rail's boxes have the page's length to fill. */}
        <WidePhotoBox stories={props.photoStories} section={props.photoSection} />
      </div>
      <div class="box-grid">
        {props.sectionBoxes.map((box) =>
          props.teaserBoxSlugs.includes(box.section.slug) ? (
            <TeaserBox box={box} />
          ) : (
            <SectionBox box={box} />
          ),
        )}
      </div>
      <div class="banner-row">
        <BannerSlot chrome={chrome} slot="rail-2" />
        <BannerSlot chrome={chrome} slot="rail-3" />
      </div>
    </SiteLayout>,
  );
}
