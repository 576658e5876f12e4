import { raw, renderDocument } from '../jsx/jsx-runtime.ts';
import { formatKstDateTime } from '../../shared/kst.ts';
import { splitAfterParagraph } from '../../shared/text.ts';
import { ArticleTools } from '../components/ArticleTools.tsx';
import { BannerSlot } from '../components/Banner.tsx';
import { SectionBox, TeaserBox, WidePhotoBox } from '../components/Boxes.tsx';
import { MostRead } from '../components/MostRead.tsx';
import { Photo } from '../components/Photo.tsx';
import { RelatedArticles } from '../components/RelatedArticles.tsx';
import { SeriesBox, SeriesKicker, type ArticleSeriesView } from '../components/SeriesBox.tsx';
import { bylineLabel, TimeTag } from '../components/Teasers.tsx';
import { SiteLayout } from '../layouts/SiteLayout.tsx';
import type {
  ArticleView,
  BoxView,
  ChromeView,
  MostReadView,
  PhotoView,
  SectionView,
  TeaserView,
} from '../model.ts';
import {
  articlePath,
  reporterPath,
  sectionAtomPath,
  sectionFeedPath,
  sectionPath,
  tagPath,
} from '../urls.ts';
import { NOTICE_KINDS } from '../../shared/notice-kinds.ts';
import { AdvertorialNotice } from '../components/Advertorial.tsx';
import { breadcrumbData, newsArticleData } from '../structured-data.ts';

export interface ArticlePageProps {
  chrome: ChromeView;
  article: ArticleView;
  photoStories: TeaserView[];
  photoSection: SectionView | null;
  /** The 사건/사고/판결-style teaser box; null when the site has no such section. */
  teaserBox: BoxView | null;
  sameSection: BoxView | null;
  /** 많이 본 뉴스; null or empty lists leave the box out. */
  mostRead: MostReadView | null;
  /** 관련기사: articles related by tags and title words, most related first. */
  related?: TeaserView[];
  /** 미리보기 through a private link: marked as such, not indexed, not counted. */
  preview?: { status: string; expiresAt: number } | undefined;
  /** 연재 n회: the series the article is a part of, if readers can see one. */
  series?: ArticleSeriesView | null;
}

const absoluteUrl = (siteUrl: string, src: string) =>
  /^https?:\/\//.test(src) ? src : siteUrl + src;

function Figure({ photo, eager }: { photo: PhotoView; eager: boolean }) {
  return (
    <figure class="photo">
      <Photo photo={photo} sizes="(min-width: 1024px) 680px, 100vw" eager={eager} />
      {photo.caption || photo.credit ? (
        <figcaption>
          {photo.caption}
          {photo.credit ? <span class="credit"> {photo.credit}</span> : null}
        </figcaption>
      ) : null}
    </figure>
  );
}

/**
 * The body is already-cleaned HTML. Photos attached to the article but not placed in the
 * body by the editor are shown above the first paragraph, in their order.
 */
function Body({ article, chrome }: { article: ArticleView; chrome: ChromeView }) {
  const placed = (p: PhotoView) => article.bodyHtml.includes(p.src);
  const loose = article.photos.filter((p) => !placed(p));
  // The in-article banner goes after the paragraph the slot names; a body too short for
  // that gets none rather than one stuck at its end.
  const split = splitAfterParagraph(article.bodyHtml, chrome.inlineBannerParagraph);
  return (
    <div class="article-body">
      {loose.slice(0, 1).map((p) => (
        <Figure photo={p} eager />
      ))}
      {split === null ? (
        raw(article.bodyHtml)
      ) : (
        <>
          {raw(split[0])}
          <BannerSlot chrome={chrome} slot="article-inline" />
          {raw(split[1])}
        </>
      )}
      {loose.slice(1).map((p) => (
        <Figure photo={p} eager={false} />
      ))}
    </div>
  );
}

export function renderArticlePage(props: ArticlePageProps): string {
  const { article } = props;
  const updated = article.updatedAt > article.publishedAt + 60_000;
  const home = article.sectionPath[0];
  // Banners targeted at a section run on its articles too.
  const chrome: ChromeView = { ...props.chrome, currentSection: home?.slug };
  const url = chrome.siteUrl + articlePath(article.id);
  const description = article.subtitleLines.join(' ') || article.summary;
  return renderDocument(
    <SiteLayout
      chrome={chrome}
      meta={{
        title: article.title,
        description,
        path: articlePath(article.id),
        type: 'article',
        // The featured photo, else the first in the body, else the article's card.
        image: article.photo ?? article.photos[0],
        card: { articleId: article.id, title: article.title },
        publishedAt: article.publishedAt,
        updatedAt: Math.max(article.updatedAt, article.publishedAt),
        section: article.section.name,
        feed:
          article.section.id === undefined
            ? undefined
            : {
                title: `${chrome.publisher.name} ${article.section.name}`,
                path: sectionFeedPath(article.section.id),
                atomPath: sectionAtomPath(article.section.id),
              },
        // A preview is not a reading: no article id for the reader count, not indexed.
        ...(props.preview === undefined
          ? {
              articleId: article.id,
              structuredData: [
                newsArticleData(chrome, article, description),
                breadcrumbData(chrome, article),
              ],
            }
          : { robots: 'noindex, nofollow, noarchive' }),
      }}
    >
      {props.preview !== undefined ? (
        <p class="preview-bar" role="status">
          <strong>미리보기</strong> · {props.preview.status} 이 링크는{' '}
          {formatKstDateTime(props.preview.expiresAt)}까지 열립니다.
        </p>
      ) : null}
      <div class="article-layout">
        <article class="article">
          <header class="article-head">
            <nav class="breadcrumb" aria-label="섹션 경로">
              <ol>
                <li>
                  <a href="/">홈</a>
                </li>
                {article.sectionPath.map((s) => (
                  <li>
                    <a href={sectionPath(s.slug)}>{s.name}</a>
                  </li>
                ))}
              </ol>
            </nav>
            {props.series ? <SeriesKicker series={props.series} /> : null}
            <AdvertorialNotice origin={article.origin} />
            <h1 class="article-title">
              {article.isBreaking ? <span class="flag-breaking">속보</span> : null}
              {article.title}
            </h1>
            {article.subtitleLines.length > 0 ? (
              <div class="article-lede">
                {article.subtitleLines.map((line) => (
                  <p>{line}</p>
                ))}
              </div>
            ) : null}
            <div class="article-info">
              <p class="byline">
                {article.bylines.map((b, i) => (
                  <>
                    {i > 0 ? ', ' : null}
                    <a class="reporter" href={reporterPath(b.id)}>
                      {bylineLabel(b)}
                    </a>
                  </>
                ))}
              </p>
              <ul class="article-times">
                <li>
                  입력{' '}
                  <TimeTag ms={article.publishedAt} text={formatKstDateTime(article.publishedAt)} />
                </li>
                {updated ? (
                  <li>
                    수정{' '}
                    <TimeTag ms={article.updatedAt} text={formatKstDateTime(article.updatedAt)} />
                  </li>
                ) : null}
              </ul>
            </div>
            {/* A private preview link is not for sharing. */}
            {props.preview === undefined ? (
              <ArticleTools
                url={url}
                title={article.title}
                description={description}
                image={article.photo ? absoluteUrl(chrome.siteUrl, article.photo.src) : null}
                siteUrl={chrome.siteUrl}
                kakaoJsKey={chrome.kakaoJsKey ?? null}
              />
            ) : null}
          </header>
          {article.notices.length > 0 ? (
            <section class="article-notices" aria-label="정정·반론·추후보도">
              {article.notices.map((n) => (
                <div class={`notice notice-${n.kind}`}>
                  <h2>
                    {NOTICE_KINDS[n.kind]}{' '}
                    <TimeTag ms={n.createdAt} text={formatKstDateTime(n.createdAt)} />
                    {n.updatedAt !== null ? (
                      <small>
                        {' '}
                        (수정 <TimeTag ms={n.updatedAt} text={formatKstDateTime(n.updatedAt)} />)
                      </small>
                    ) : null}
                  </h2>
                  <p>{n.body}</p>
                </div>
              ))}
            </section>
          ) : null}
          <Body article={article} chrome={chrome} />
          <footer class="article-foot">
            <p class="print-only print-url">{url}</p>
            <ul class="reporter-cards">
              {article.bylines.map((b) => (
                <li>
                  <a href={reporterPath(b.id)}>
                    <strong>{bylineLabel(b)}</strong>
                  </a>{' '}
                  {b.email === null ? null : <a href={`mailto:${b.email}`}>{b.email}</a>}
                </li>
              ))}
            </ul>
            {article.tags.length > 0 ? (
              <ul class="tags" aria-label="태그">
                {article.tags.map((t) => (
                  <li>
                    <a href={tagPath(t)}>#{t}</a>
                  </li>
                ))}
              </ul>
            ) : null}
          </footer>
          {props.series ? <SeriesBox series={props.series} /> : null}
          <RelatedArticles articles={props.related ?? []} />
        </article>
        <aside class="article-rail" aria-label="관련 기사">
          <BannerSlot chrome={chrome} slot="rail-1" />
          {props.sameSection && props.sameSection.articles.length > 0 ? (
            <SectionBox box={props.sameSection} />
          ) : null}
          <MostRead lists={props.mostRead} />
          {props.teaserBox && props.teaserBox.articles.length > 0 ? (
            <TeaserBox box={props.teaserBox} />
          ) : null}
          <BannerSlot chrome={chrome} slot="rail-2" />
          <BannerSlot chrome={chrome} slot="rail-3" />
        </aside>
      </div>
      <WidePhotoBox stories={props.photoStories} section={props.photoSection} />
    </SiteLayout>,
  );
}
