import { formatKstDate, toKstIso } from '../../shared/kst.ts';
import type { TeaserView } from '../model.ts';
import { articlePath } from '../urls.ts';
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

/** A list row with a thumbnail, title, summary and date (section pages, top stories). */
export function TeaserRow({
  article,
  showSection,
}: {
  article: TeaserView;
  showSection?: boolean;
}) {
  return (
    <article class="teaser-row">
      {article.photo ? (
        <a class="thumb" href={articlePath(article.id)} tabindex="-1" aria-hidden="true">
          <Photo photo={article.photo} sizes="(min-width: 768px) 200px, 33vw" />
        </a>
      ) : null}
      <div class="teaser-text">
        <h3 class="teaser-title">
          <TitleLink article={article} />
        </h3>
        <p class="teaser-summary">{article.summary}</p>
        <p class="teaser-meta">
          {showSection ? <span class="teaser-section">{article.section.name}</span> : null}
          <TimeTag ms={article.publishedAt} />
        </p>
      </div>
    </article>
  );
}
