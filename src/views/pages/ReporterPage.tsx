import { renderDocument } from '../jsx/jsx-runtime.ts';
import { Pager } from '../components/Pager.tsx';
import { Photo } from '../components/Photo.tsx';
import { bylineLabel, TeaserRow } from '../components/Teasers.tsx';
import { SiteLayout } from '../layouts/SiteLayout.tsx';
import type { ChromeView, PhotoView, TeaserView } from '../model.ts';
import { reporterFeedPath, reporterPath } from '../urls.ts';

/** A byline's profile as its page shows it. */
export interface ReporterView {
  id: number;
  name: string;
  /** Printed instead of 기자 (객원 기자, 칼럼니스트); empty for staff. */
  title: string;
  email: string | null;
  beat: string;
  intro: string;
  photo: PhotoView | null;
}

export interface ReporterPageProps {
  chrome: ChromeView;
  author: ReporterView;
  articles: TeaserView[];
  page: number;
  pageCount: number;
  total: number;
}

/** The first letter of a name, drawn in a circle where a byline has no photo. */
const initial = (name: string): string => [...name.trim()][0] ?? '?';

/** Profile head of a byline's page: photo, name, desk or beat, e-mail, RSS and introduction. */
export function ProfileHead({ author, total }: { author: ReporterView; total: number }) {
  const label = bylineLabel(author);
  return (
    <header class="profile">
      <div class="profile-photo">
        {author.photo !== null ? (
          <Photo photo={{ ...author.photo, alt: `${label} 사진` }} sizes="112px" eager />
        ) : (
          <span class="profile-initial" aria-hidden="true">
            {initial(author.name)}
          </span>
        )}
      </div>
      <div class="profile-text">
        <h1 class="profile-name">
          {author.name} <span class="profile-title">{author.title || '기자'}</span>
        </h1>
        {author.beat !== '' ? <p class="profile-beat">{author.beat}</p> : null}
        <ul class="profile-links">
          {author.email !== null ? (
            <li>
              <a href={`mailto:${author.email}`}>{author.email}</a>
            </li>
          ) : null}
          <li>
            <a class="feed-link" href={reporterFeedPath(author.id)} type="application/rss+xml">
              RSS
            </a>
          </li>
          <li class="profile-count">기사 {total.toLocaleString('ko-KR')}건</li>
        </ul>
      </div>
      {author.intro !== '' ? <p class="profile-intro">{author.intro}</p> : null}
    </header>
  );
}

export function renderReporterPage(props: ReporterPageProps): string {
  const { author } = props;
  const label = bylineLabel(author);
  const description =
    author.intro !== ''
      ? author.intro.replace(/\s+/g, ' ')
      : `${props.chrome.publisher.name} ${label}${author.beat ? ` (${author.beat})` : ''}의 기사`;
  return renderDocument(
    <SiteLayout
      chrome={props.chrome}
      meta={{
        title: props.page > 1 ? `${label} (${props.page}쪽)` : label,
        description,
        path: reporterPath(author.id, props.page),
        type: 'website',
        image: author.photo,
        feed: { title: `${label} 기사 RSS`, path: reporterFeedPath(author.id) },
      }}
    >
      <ProfileHead author={author} total={props.total} />
      <h2 class="list-title">{label}의 기사</h2>
      {props.articles.length === 0 ? (
        <p class="empty">아직 출고된 기사가 없습니다.</p>
      ) : (
        <div class="section-list">
          {props.articles.map((a) => (
            <TeaserRow article={a} showSection />
          ))}
        </div>
      )}
      <Pager
        page={props.page}
        pageCount={props.pageCount}
        href={(p) => reporterPath(author.id, p)}
      />
    </SiteLayout>,
  );
}
