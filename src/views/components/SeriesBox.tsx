import { seriesPath, articlePath } from '../urls.ts';

/** What an article page knows of its series (see ArticleSeries in the content domain). */
export interface ArticleSeriesView {
  series: { id: number; title: string };
  /** This article's place among the parts readers may open, from 1. */
  number: number;
  parts: { id: number; title: string }[];
}

/** "연재 n회 · 제목" above the headline, linking to the series page. */
export function SeriesKicker({ series }: { series: ArticleSeriesView }) {
  return (
    <p class="series-label">
      <a href={seriesPath(series.series.id)}>
        <strong>연재 {series.number}회</strong> {series.series.title}
      </a>
    </p>
  );
}

/** Under the article: the previous and next parts and the list of every part. */
export function SeriesBox({ series }: { series: ArticleSeriesView }) {
  const index = series.number - 1;
  const prev = series.parts[index - 1];
  const next = series.parts[index + 1];
  return (
    <section class="series-box" aria-labelledby="series-box-title">
      <header class="series-box-head">
        <p class="series-kicker">연재</p>
        <h2 id="series-box-title">
          <a href={seriesPath(series.series.id)}>{series.series.title}</a>
        </h2>
        <span class="series-box-count">
          {series.number}회 / 총 {series.parts.length}회
        </span>
      </header>
      {prev !== undefined || next !== undefined ? (
        <nav class="series-nav" aria-label="연재 이전·다음 회">
          {prev !== undefined ? (
            <a class="series-prev" href={articlePath(prev.id)} rel="prev">
              <span>‹ 이전 {series.number - 1}회</span>
              {prev.title}
            </a>
          ) : (
            <span class="series-prev series-none">첫 회입니다</span>
          )}
          {next !== undefined ? (
            <a class="series-next" href={articlePath(next.id)} rel="next">
              <span>다음 {series.number + 1}회 ›</span>
              {next.title}
            </a>
          ) : (
            <span class="series-next series-none">마지막 회입니다</span>
          )}
        </nav>
      ) : null}
      <ol class="series-list">
        {series.parts.map((p, i) => (
          <li>
            <span class="series-no">{i + 1}회</span>
            {i === index ? (
              <strong aria-current="page">{p.title}</strong>
            ) : (
              <a href={articlePath(p.id)}>{p.title}</a>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
