import type { Newsroom } from '../../app.ts';
import {
  demoArticles,
  demoAuthors,
  demoSections,
  demoSeries,
  type DemoArticle,
} from './content.ts';
import {
  ILLUSTRATION_HEIGHT,
  ILLUSTRATION_WIDTH,
  RENDITION_WIDTHS,
  bannerSvg,
  renderIllustration,
} from './illustrations.ts';

const HOUR = 60 * 60 * 1000;

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Runs tasks with a bounded number in flight (image encoding is CPU-bound). */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Readings for 많이 본 뉴스 on a fresh demo: every article read in the hours after it came
 * out, fewer as it ages, some stories far more than others (a fixed pattern, not random,
 * so the demo looks the same each time).
 */
function demoReadings(
  articles: readonly { id: number; publishedAt: number }[],
  now: number,
): { articleId: number; at: number; views: number }[] {
  const readings: { articleId: number; at: number; views: number }[] = [];
  for (const [n, a] of articles.entries()) {
    const pull = 1 + ((n * 37) % 11);
    for (let h = 0; h < 7 * 24; h += 3) {
      const at = a.publishedAt + h * HOUR;
      if (at > now || now - at > 7 * 24 * HOUR) continue;
      const views = Math.round((pull * 40) / (1 + h / 6));
      if (views > 0) readings.push({ articleId: a.id, at, views });
    }
  }
  return readings;
}

export interface SeedSummary {
  sections: number;
  articles: number;
  photos: number;
}

/**
 * Fills an empty database with the demo newspaper: original fictional articles written
 * for the project, generated illustrations, sample weather (labelled 예시) and house
 * banners (labelled 광고 예시).
 */
export async function seedDemo(
  app: Pick<Newsroom, 'services' | 'clock'>,
  options: { articles?: readonly DemoArticle[] } = {},
): Promise<SeedSummary> {
  const { writer, media, photos, weather } = app.services;
  const now = app.clock.now();
  const articles = options.articles ?? demoArticles;

  const sectionIds = new Map<string, number>();
  for (const [position, s] of demoSections.entries()) {
    const parentId = s.parentSlug === undefined ? null : (sectionIds.get(s.parentSlug) ?? null);
    sectionIds.set(
      s.slug,
      await writer.createSection({
        slug: s.slug,
        name: s.name,
        layout: s.layout,
        parentId,
        position,
        hidden: s.hidden ?? false,
      }),
    );
  }
  const authorIds = new Map<string, number>();
  for (const a of demoAuthors) {
    const id =
      a.email === null
        ? await writer.createOutsideAuthor({ name: a.name, title: a.title ?? '' })
        : await writer.createAuthor({ name: a.name, email: a.email });
    await writer.updateAuthorProfile(id, { beat: a.beat, intro: a.intro });
    authorIds.set(a.key, id);
  }

  // Encode every picture first (in parallel), then write rows in publish order.
  const photoJobs = articles.flatMap((article, ai) =>
    article.photos.map((photo, pi) => ({ article: ai, photo, seed: ai * 10 + pi + 1 })),
  );
  const photoIds = await mapLimit(photoJobs, 4, async (job) => {
    const key = `demo/${String(job.seed).padStart(4, '0')}.jpg`;
    const rendered = await renderIllustration(job.photo.motif, job.photo.hue, job.seed);
    await media.put(key, rendered.jpeg);
    for (const [width, bytes] of rendered.webp)
      await media.put(key.replace(/\.jpg$/, `-${width}.webp`), bytes);
    return photos.registerPhoto({
      storageKey: key,
      width: ILLUSTRATION_WIDTH,
      height: ILLUSTRATION_HEIGHT,
      mime: 'image/jpeg',
      caption: job.photo.caption,
      credit: job.photo.credit,
      alt: job.photo.alt,
      variants: RENDITION_WIDTHS,
    });
  });
  const photosOf = new Map<number, number[]>();
  photoJobs.forEach((job, i) =>
    photosOf.set(job.article, [...(photosOf.get(job.article) ?? []), photoIds[i] as number]),
  );

  // Oldest first, so article numbers rise with publish time as on a real site.
  const order = articles.map((a, i) => ({ a, i })).sort((x, y) => y.a.hoursAgo - x.a.hoursAgo);
  const stored: { id: number; title: string; publishedAt: number; photoId: number | null }[] = [];
  for (const { a, i } of order) {
    const sectionId = sectionIds.get(a.section);
    if (sectionId === undefined)
      throw new Error(`demo article "${a.title}" names unknown section ${a.section}`);
    const publishedAt = Math.round(now - a.hoursAgo * HOUR);
    const ids = photosOf.get(i) ?? [];
    // The second photo sits in the body after the second paragraph, as an editor places it.
    // Bodies name site paths, as the editor writes them; pages point them at a CDN if any.
    const paragraphs = a.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`);
    if (ids.length > 1 && a.photos[1]) {
      const photo = a.photos[1];
      const key = `demo/${String(i * 10 + 2).padStart(4, '0')}`;
      const figure = `<figure class="photo"><img src="${media.sitePath(`${key}.jpg`)}" srcset="${RENDITION_WIDTHS.map((w) => `${media.sitePath(`${key}-${w}.webp`)} ${w}w`).join(', ')}" sizes="(min-width: 1024px) 680px, 100vw" width="${ILLUSTRATION_WIDTH}" height="${ILLUSTRATION_HEIGHT}" alt="${escapeHtml(photo.alt)}" loading="lazy"><figcaption>${escapeHtml(photo.caption)} <span class="credit">${escapeHtml(photo.credit)}</span></figcaption></figure>`;
      paragraphs.splice(Math.min(2, paragraphs.length), 0, figure);
    }
    const articleId = await writer.createArticle({
      sectionId,
      title: a.title,
      subtitle: a.subtitle.join('\n'),
      bodyHtml: paragraphs.join('\n'),
      status: 'published',
      isBreaking: a.breaking ?? false,
      // A demo shows its 속보 running: six hours from seeding, as the desk's default.
      breakingUntil: a.breaking === true ? now + 6 * HOUR : null,
      isPhotoStory: a.photoStory ?? false,
      photoIds: ids,
      authorIds: a.authors
        .map((k) => authorIds.get(k))
        .filter((id): id is number => id !== undefined),
      tags: a.tags,
      publishedAt,
      updatedAt:
        a.updatedHoursAfter === undefined
          ? publishedAt
          : Math.round(publishedAt + a.updatedHoursAfter * HOUR),
    });
    stored.push({ id: articleId, title: a.title, publishedAt, photoId: ids[0] ?? null });
  }

  const byTitle = new Map(stored.map((s) => [s.title, s]));
  // The demo's own series; a caller's own articles (tests) have none.
  const series = options.articles === undefined ? demoSeries : [];
  for (const one of series) {
    const parts = one.parts.map((title) => {
      const part = byTitle.get(title);
      if (part === undefined)
        throw new Error(`demo series "${one.title}" names unknown "${title}"`);
      return part;
    });
    const seriesId = await app.services.series.create(
      { title: one.title, description: one.description, photoId: parts[0]?.photoId ?? null },
      null,
    );
    await app.services.series.setParts(
      seriesId,
      parts.map((p) => p.id),
    );
  }
  await app.services.readers.addReadings(demoReadings(stored, now));

  await weather.storeSample();
  await seedHouseBanners(app, now);
  return { sections: demoSections.length, articles: articles.length, photos: photoIds.length };
}

async function seedHouseBanners(
  app: Pick<Newsroom, 'services' | 'clock'>,
  now: number,
): Promise<void> {
  const { media, banners } = app.services;
  const year = 365 * 24 * HOUR;
  const houseAds = [
    {
      slot: 'header-top',
      text: '탐나일보 디지털 구독',
      sub: '지역 뉴스를 매일 아침 메일로 받아보세요',
      w: 970,
      h: 90,
      hue: 205,
      href: '/section/society',
    },
    {
      slot: 'masthead-side',
      text: '독자 제보',
      sub: '064-000-0000 · 24시간 접수',
      w: 300,
      h: 90,
      hue: 350,
      href: '/section/incidents',
    },
    {
      slot: 'rail-1',
      text: '제주의 사계절',
      sub: '와이드포토로 만나는 섬의 풍경',
      w: 300,
      h: 250,
      hue: 160,
      href: '/section/photo',
    },
    {
      slot: 'rail-2',
      text: '오피니언 기고 모집',
      sub: '독자의 목소리를 기다립니다',
      w: 300,
      h: 250,
      hue: 30,
      href: '/section/opinion',
    },
    {
      slot: 'article-inline',
      text: '지역 교육 소식 한눈에',
      sub: '교육 섹션 바로 가기',
      w: 640,
      h: 120,
      hue: 260,
      href: '/section/education',
    },
    {
      slot: 'above-footer',
      text: '탐나일보와 함께하는 지역 문화',
      sub: '문화 섹션에서 공연·전시 소식을 확인하세요',
      w: 970,
      h: 90,
      hue: 120,
      href: '/section/culture',
    },
    // The footer strip's phone-sized campaign: phones never get the 970×90 one.
    {
      slot: 'above-footer',
      text: '탐나일보 지역 문화',
      sub: '공연·전시 소식 보기',
      w: 320,
      h: 100,
      hue: 120,
      href: '/section/culture',
      device: 'mobile',
    },
    {
      slot: 'mobile-sticky',
      text: '탐나일보 속보 알림',
      sub: '제주 소식을 가장 먼저',
      w: 320,
      h: 50,
      hue: 215,
      href: '/section/society',
    },
  ] as const;
  for (const ad of houseAds) {
    const key = `demo/banner-${ad.slot}-${ad.w}x${ad.h}.svg`;
    await media.put(key, Buffer.from(bannerSvg(ad.text, ad.sub, ad.w, ad.h, ad.hue)));
    await banners.create({
      slot: ad.slot,
      title: `${ad.text} — ${ad.sub}`,
      imageKey: key,
      width: ad.w,
      height: ad.h,
      linkUrl: ad.href,
      advertiser: '탐나일보 (자사 광고)',
      startsAt: now - 24 * HOUR,
      endsAt: now + year,
      isSample: true,
      ...('device' in ad ? { device: ad.device } : {}),
    });
  }
}
