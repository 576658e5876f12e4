import type { App } from '../app.ts';

const HOUR = 60 * 60 * 1000;

export interface Fixture {
  sections: Record<'politics' | 'society' | 'jejuCity' | 'incidents' | 'photo' | 'hidden', number>;
  authorId: number;
  photoId: number;
  /** Published articles, newest last. */
  published: number[];
}

/**
 * A small newsroom for HTTP and storage tests: a few sections (one child, one hidden,
 * one photo section) and articles spread over them, without image files.
 */
export async function seedFixture(
  app: Pick<App, 'services' | 'clock'>,
  options: { articlesPerSection?: number } = {},
): Promise<Fixture> {
  const { writer } = app.services;
  const now = app.clock.now();
  const politics = await writer.createSection({ slug: 'politics', name: '정치', position: 1 });
  const society = await writer.createSection({ slug: 'society', name: '사회', position: 2 });
  const jejuCity = await writer.createSection({
    slug: 'jeju-city',
    name: '제주시',
    position: 3,
    parentId: society,
  });
  const incidents = await writer.createSection({
    slug: 'incidents',
    name: '사건/사고/판결',
    position: 4,
  });
  const photo = await writer.createSection({
    slug: 'photo',
    name: '와이드포토',
    position: 5,
    layout: 'photo',
  });
  const hidden = await writer.createSection({
    slug: 'archive',
    name: '보관',
    position: 6,
    hidden: true,
  });
  const authorId = await writer.createAuthor({ name: '김탐나', email: 'kim@tamnailbo.example' });
  const photoId = await app.services.photos.registerPhoto({
    storageKey: 'fixture/photo.jpg',
    width: 1200,
    height: 675,
    mime: 'image/jpeg',
    caption: '제주항 전경',
    credit: '사진=탐나일보',
    alt: '제주항의 배들',
    variants: [480, 960],
  });
  const perSection = options.articlesPerSection ?? 3;
  const published: number[] = [];
  let n = 0;
  for (const [sectionId, name] of [
    [politics, '정치'],
    [society, '사회'],
    [jejuCity, '제주시'],
    [incidents, '사건'],
    [photo, '포토'],
  ] as const) {
    for (let i = 0; i < perSection; i++) {
      n++;
      published.push(
        await writer.createArticle({
          sectionId,
          title: `${name} 기사 ${i + 1}`,
          subtitle: `${name} 부제 첫 줄\n${name} 부제 둘째 줄`,
          bodyHtml: `<p>${name} 기사 ${i + 1}의 첫 문단입니다. 제주 지역 소식을 전합니다.</p><p>둘째 문단입니다.</p>`,
          status: 'published',
          isPhotoStory: sectionId === photo,
          photoIds: [photoId],
          authorIds: [authorId],
          tags: ['제주', name],
          publishedAt: now - (100 - n) * HOUR,
        }),
      );
    }
  }
  await writer.createArticle({
    sectionId: hidden,
    title: '숨긴 섹션 기사',
    status: 'published',
    publishedAt: now - HOUR,
    authorIds: [authorId],
  });
  return {
    sections: { politics, society, jejuCity, incidents, photo, hidden },
    authorId,
    photoId,
    published,
  };
}
