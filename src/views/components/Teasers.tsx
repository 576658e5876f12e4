import { formatKstDate, formatKstDateTime, toKstIso } from '../../shared/kst.ts';
import type { BylineView, TeaserView } from '../model.ts';
import { articlePath, reporterPath } from '../urls.ts';
import { Photo } from './Photo.tsx';
import { AdFlag } from './Advertorial.tsx';

export function TimeTag({ ms, text }: { ms: number; text?: string }) {
  return <time datetime={toKstIso(ms)}>{text ?? formatKstDate(ms)}</time>;
}

/** A headline link: title only, with a breaking mark when flagged. */
export function TitleLink({ article }: { article: TeaserView }) {
  return (
    <a href={articlePath(article.id)}>
      {article.isBreaking ? <span class="flag-breaking">속보</span> : null}
      <AdFlag origin={article.origin} />
      {article.title}
    </a>
  );
}

/** `양승훈 기자`, or the title an outside writer signs with (`김한라 칼럼니스트`). */
export const bylineLabel = (b: Pick<BylineView, 'name' | 'title'>): string =>
  `${b.name} ${b.title || '기자'}`;

/** Bylines linking to their 기자 페이지, comma-separated. */
export function BylineLinks({ bylines }: { bylines: readonly BylineView[] }) {
  return (
    <>
      {bylines.map((b, i) => (
        <>
          {i > 0 ? ', ' : null}
          <a href={reporterPath(b.id)}>{bylineLabel(b)}</a>
        </>
      ))}
    </>
  );
}

/**
 * A list row with a thumbnail, title, summary, and when it was published (date and
 * time) and by whom when the list knows (section, tag, reporter and series pages).
 * `heading` is the title's level: h2 where the list sits right under the page's h1, so
 * screen readers' heading lists skip no level.
 */
export function TeaserRow({
  article,
  showSection,
  heading = 'h3',
}: {
  article: TeaserView;
  showSection?: boolean;
  heading?: 'h2' | 'h3';
}) {
  const Title = heading;
  return (
    <article class="teaser-row">
      {article.photo ? (
        <a class="thumb" href={articlePath(article.id)} tabindex="-1" aria-hidden="true">
          <Photo photo={article.photo} sizes="(min-width: 768px) 200px, 33vw" />
        </a>
      ) : null}
      <div class="teaser-text">
        <Title class="teaser-title">
          <TitleLink article={article} />
        </Title>
        <p class="teaser-summary">{article.summary}</p>
        <p class="teaser-meta">
          {showSection ? <span class="teaser-section">{article.section.name}</span> : null}
          {article.bylines !== undefined && article.bylines.length > 0 ? (
            <span class="teaser-byline">
              <BylineLinks bylines={article.bylines} />
            </span>
          ) : null}
          <TimeTag ms={article.publishedAt} text={formatKstDateTime(article.publishedAt)} />
        </p>
      </div>
    </article>
  );
}
