import type { TeaserView } from '../model.ts';
import { articlePath } from '../urls.ts';
import { Photo } from './Photo.tsx';
import { TimeTag } from './Teasers.tsx';
import { AdFlag } from './Advertorial.tsx';

/** 관련기사 under an article: up to five, with a thumbnail when the article has a photo. */
export function RelatedArticles({ articles }: { articles: readonly TeaserView[] }) {
  if (articles.length === 0) return null;
  return (
    <section class="related" aria-labelledby="related-heading">
      <h2 id="related-heading" class="box-title">
        관련기사
      </h2>
      <ul class="related-list">
        {articles.map((a) => (
          <li>
            <a href={articlePath(a.id)}>
              {a.photo ? (
                <Photo
                  photo={a.photo}
                  sizes="(min-width: 768px) 120px, 25vw"
                  class="related-thumb"
                />
              ) : null}
              <span class="related-title">
                <AdFlag origin={a.origin} />
                {a.title}
              </span>
            </a>
            <TimeTag ms={a.publishedAt} />
          </li>
        ))}
      </ul>
    </section>
  );
}
