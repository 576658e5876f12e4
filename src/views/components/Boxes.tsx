import { cutText } from '../../shared/text.ts';
import type { BoxView, SectionView, TeaserView } from '../model.ts';
import { articlePath, sectionPath } from '../urls.ts';
import { Photo } from './Photo.tsx';
import { TitleLink } from './Teasers.tsx';
import { AdFlag } from './Advertorial.tsx';

function BoxHeader({ title, section }: { title: string; section: SectionView | null }) {
  return (
    <header class="box-head">
      <h2 class="box-title">{section ? <a href={sectionPath(section.slug)}>{title}</a> : title}</h2>
      {section ? (
        <a class="more" href={sectionPath(section.slug)} aria-label={`${title} 더보기`}>
          더보기
        </a>
      ) : null}
    </header>
  );
}

/** A section box: the newest headlines of one section, the first with a picture. */
export function SectionBox({ box }: { box: BoxView }) {
  const [first, ...rest] = box.articles;
  return (
    <section class="box section-box" aria-label={box.section.name}>
      <BoxHeader title={box.section.name} section={box.section} />
      {first ? (
        <article class="box-lead">
          {first.photo ? (
            <a class="thumb" href={articlePath(first.id)} tabindex="-1" aria-hidden="true">
              <Photo
                photo={first.photo}
                sizes="(min-width: 1024px) 300px, (min-width: 640px) 45vw, 90vw"
              />
            </a>
          ) : null}
          <h3>
            <TitleLink article={first} />
          </h3>
        </article>
      ) : null}
      <ul class="box-list">
        {rest.map((a) => (
          <li>
            <TitleLink article={a} />
          </li>
        ))}
      </ul>
    </section>
  );
}

export const TEASER_SUMMARY_LENGTH = 60;

/** The 사건/사고/판결-style box: title plus a summary cut at a character boundary. */
export function TeaserBox({ box }: { box: BoxView }) {
  return (
    <section class="box teaser-box" aria-label={box.section.name}>
      <BoxHeader title={box.section.name} section={box.section} />
      <ul class="teaser-box-list">
        {box.articles.map((a) => (
          <li>
            <h3>
              <TitleLink article={a} />
            </h3>
            <p>{cutText(a.summary, TEASER_SUMMARY_LENGTH)}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** 와이드포토: the photo-story gallery, one wide lead and a strip of thumbnails. */
export function WidePhotoBox({
  stories,
  section,
  title = '와이드포토',
}: {
  stories: TeaserView[];
  section: SectionView | null;
  title?: string;
}) {
  if (stories.length === 0) return null;
  return (
    <section class="box wide-photo" aria-label={title}>
      <BoxHeader title={title} section={section} />
      <ul class="wide-photo-grid">
        {stories.map((a, i) => (
          <li class={i === 0 ? 'wide-photo-lead' : undefined}>
            <a href={articlePath(a.id)}>
              {a.photo ? (
                <Photo
                  photo={a.photo}
                  sizes={
                    i === 0 ? '(min-width: 1024px) 640px, 100vw' : '(min-width: 1024px) 200px, 45vw'
                  }
                />
              ) : null}
              <span class="wide-photo-title">
                <AdFlag origin={a.origin} />
                {a.title}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** 포토뉴스 (the front page's rail): one picture large, the rest as small rows. */
export function PhotoNewsBox({ articles }: { articles: TeaserView[] }) {
  const withPhotos = articles.filter((a) => a.photo !== null);
  const [first, ...rest] = withPhotos;
  if (first === undefined || first.photo === null) return null;
  return (
    <section class="box photo-news" aria-labelledby="photo-news-title">
      <header class="box-head">
        <h2 class="box-title" id="photo-news-title">
          포토뉴스
        </h2>
      </header>
      <a class="photo-news-lead" href={articlePath(first.id)}>
        <Photo photo={first.photo} sizes="(min-width: 1024px) 300px, 100vw" />
        <span class="photo-news-title">{first.title}</span>
      </a>
      <ul class="photo-news-list">
        {rest.map((a) =>
          a.photo === null ? null : (
            <li>
              <a href={articlePath(a.id)}>
                <Photo photo={a.photo} sizes="96px" />
                <span>{a.title}</span>
              </a>
            </li>
          ),
        )}
      </ul>
    </section>
  );
}
