import { renderDocument } from '../jsx/jsx-runtime.ts';
import { Photo } from '../components/Photo.tsx';
import { TeaserRow } from '../components/Teasers.tsx';
import { SiteLayout } from '../layouts/SiteLayout.tsx';
import type { ChromeView, PhotoView, TeaserView } from '../model.ts';
import { seriesPath } from '../urls.ts';

export interface SeriesPageProps {
  chrome: ChromeView;
  series: { id: number; title: string; description: string; photo: PhotoView | null };
  /** In reading order: the first is 1회. */
  parts: TeaserView[];
}

/** /series/<id>: a 연재·기획's title, description and image, and its parts in order. */
export function renderSeriesPage(props: SeriesPageProps): string {
  const { series, parts } = props;
  const first = parts[0];
  return renderDocument(
    <SiteLayout
      chrome={props.chrome}
      meta={{
        title: `[연재] ${series.title}`,
        description:
          series.description.replace(/\s+/g, ' ') ||
          `${props.chrome.publisher.name} 연재 「${series.title}」 ${parts.length}회`,
        path: seriesPath(series.id),
        type: 'website',
        image: series.photo ?? first?.photo,
      }}
    >
      <header class={series.photo !== null ? 'series-head has-photo' : 'series-head'}>
        {series.photo !== null ? (
          <div class="series-photo">
            <Photo photo={series.photo} sizes="(min-width: 1024px) 480px, 100vw" eager />
          </div>
        ) : null}
        <div class="series-text">
          <p class="series-kicker">연재·기획</p>
          <h1 class="series-title">{series.title}</h1>
          {series.description !== '' ? <p class="series-desc">{series.description}</p> : null}
          <p class="series-count">
            총 {parts.length}회
            {first !== undefined ? (
              <>
                {' · '}
                <a href={`#part-${first.id}`}>1회부터 읽기</a>
              </>
            ) : null}
          </p>
        </div>
      </header>
      <ol class="series-parts">
        {parts.map((a, i) => (
          <li id={`part-${a.id}`}>
            <span class="series-no">{i + 1}회</span>
            <TeaserRow article={a} showSection heading="h2" />
          </li>
        ))}
      </ol>
    </SiteLayout>,
  );
}
