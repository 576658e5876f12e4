import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cropBox } from '../../domains/media/index.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { seedFixture, type Fixture } from '../../testing/fixtures.ts';
import { renderShareCardSvg, wrapTitle } from '../../views/cards/share-card.ts';

const SITE = 'https://news.example.kr';
const ARTIFACTS = path.resolve(import.meta.dirname, '../../../test-artifacts/screenshots');

/**
 * The properties Google's Article structured data guidelines recommend
 * (developers.google.com/search/docs/appearance/structured-data/article): none is
 * required, these are what Google reads.
 */
const GOOGLE_ARTICLE_RECOMMENDED = [
  'author',
  'author.name',
  'author.url',
  'dateModified',
  'datePublished',
  'headline',
  'image',
] as const;

type Json = Record<string, unknown>;

function jsonLd(html: string): Json[] {
  return [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)].map(
    (m) => JSON.parse(m[1] ?? 'null') as Json,
  );
}

const meta = (html: string, key: string): string | undefined =>
  new RegExp(`<meta (?:property|name)="${key.replace(/[.:]/g, '\\$&')}" content="([^"]*)">`).exec(
    html,
  )?.[1];

/** A photo with something to crop: a left half red, a right half blue, 1600×900. */
async function twoColourPhoto(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="900"><rect width="800" height="900" fill="#d00"/><rect x="800" width="800" height="900" fill="#00d"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg().toBuffer();
}

describe('share pictures and structured data', () => {
  let app: TestApp;
  let fx: Fixture;
  let photoId: number;
  let withPhoto: number;
  let bodyPhotoOnly: number;
  let noPhoto: number;

  beforeAll(async () => {
    app = await createTestApp();
    fx = await seedFixture(app, { articlesPerSection: 1 });
    const { writer, photos } = app.services;
    const photo = await photos.ingestPhoto(await twoColourPhoto(), {
      caption: '붉고 푸른 벽',
      credit: '사진=탐나일보',
      alt: '반은 붉고 반은 푸른 벽',
      uploadedBy: null,
    });
    photoId = photo.id;
    const now = app.clock.now();
    withPhoto = await writer.createArticle({
      sectionId: fx.sections.jejuCity,
      title: '사진이 있는 기사 </script><script>alert(1)</script>',
      subtitle: '부제 첫 줄',
      bodyHtml: '<p>본문</p>',
      status: 'published',
      publishedAt: now - 60_000,
      featuredPhotoId: photoId,
      authorIds: [fx.authorId],
      tags: ['제주', '사진'],
    });
    bodyPhotoOnly = await writer.createArticle({
      sectionId: fx.sections.politics,
      title: '본문에만 사진이 있는 기사',
      bodyHtml: `<figure><img src="${photo.src}" data-photo-id="${photoId}" alt=""></figure><p>본문</p>`,
      status: 'published',
      publishedAt: now - 120_000,
      photoIds: [photoId],
      authorIds: [fx.authorId],
    });
    noPhoto = await writer.createArticle({
      sectionId: fx.sections.politics,
      title: '제주 4·3 평화공원 추념식… 유족 3천여 명 “봄을 기다리며” 희생자 넋 기려 🍊',
      bodyHtml: '<p>사진 없는 기사</p>',
      status: 'published',
      publishedAt: now - 180_000,
      authorIds: [fx.authorId],
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    app.http.inject({ method: 'GET', url, headers });
  const local = (url: string) => url.replace(SITE, '');

  async function picture(url: string) {
    const res = await get(local(url));
    expect(res.statusCode, url).toBe(200);
    const info = await sharp(res.rawPayload).metadata();
    return { res, width: info.width, height: info.height, format: info.format };
  }

  it('shares the featured photo cropped to 1200×630 around its focal point', async () => {
    const html = (await get(`/news/${withPhoto}`)).body;
    const image = meta(html, 'og:image') ?? '';
    expect(image).toMatch(new RegExp(`^${SITE}/image/photo/${photoId}/og-[\\w-]{12}\\.jpg$`));
    expect(meta(html, 'og:image:width')).toBe('1200');
    expect(meta(html, 'og:image:height')).toBe('630');
    expect(meta(html, 'og:image:type')).toBe('image/jpeg');
    expect(meta(html, 'og:image:alt')).toBe('반은 붉고 반은 푸른 벽');
    expect(meta(html, 'twitter:card')).toBe('summary_large_image');
    const shared = await picture(image);
    expect([shared.width, shared.height, shared.format]).toEqual([1200, 630, 'jpeg']);
    expect(shared.res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(
      (await get(local(image), { 'if-none-match': String(shared.res.headers.etag) })).statusCode,
    ).toBe(304);
  });

  it('moves the crop with the focal point, under a new address, and drops the old file', async () => {
    const before = meta((await get(`/news/${withPhoto}`)).body, 'og:image') ?? '';
    await app.services.photos.setPhotoFocus(photoId, { x: 1, y: 0.5 });
    const after = meta((await get(`/news/${withPhoto}`)).body, 'og:image') ?? '';
    expect(after).not.toBe(before);
    expect((await picture(after)).width).toBe(1200);
    // The square crop keeps the right edge in view: its middle is blue, not the seam.
    const [, , square] = (jsonLd((await get(`/news/${withPhoto}`)).body)[0]?.image ??
      []) as string[];
    const crop = await picture(square ?? '');
    const { data } = await sharp(crop.res.rawPayload)
      .extract({ left: 600, top: 600, width: 1, height: 1 })
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(data[2]).toBeGreaterThan(180);
    expect(data[0]).toBeLessThan(60);
    // The old address redirects to the new one (a share made before the change).
    const old = await get(local(before));
    expect(old.statusCode).toBe(302);
    expect(old.headers.location).toBe(local(after));
    const folder = path.join(app.config.dataDir, 'cache', 'share-images', 'photo', String(photoId));
    expect(readdirSync(folder).filter((f) => f.startsWith('og-'))).toEqual([
      path.basename(local(after)),
    ]);
    await app.services.photos.setPhotoFocus(photoId, { x: 0.5, y: 0.5 });
  });

  it('shares the first photo in the body when there is no featured one', async () => {
    const html = (await get(`/news/${bodyPhotoOnly}`)).body;
    expect(meta(html, 'og:image')).toMatch(new RegExp(`/image/photo/${photoId}/og-`));
  });

  it('shares a generated card with the paper’s name and the title when there is no photo', async () => {
    const html = (await get(`/news/${noPhoto}`)).body;
    const image = meta(html, 'og:image') ?? '';
    expect(image).toMatch(new RegExp(`^${SITE}/image/card/${noPhoto}/og-[\\w-]{12}\\.png$`));
    expect(meta(html, 'og:image:alt')).toBe(
      '제주 4·3 평화공원 추념식… 유족 3천여 명 “봄을 기다리며” 희생자 넋 기려 🍊',
    );
    const card = await picture(image);
    expect([card.width, card.height, card.format]).toEqual([1200, 630, 'png']);
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(path.join(ARTIFACTS, 'share-card.png'), card.res.rawPayload);
    // The other pages share the paper's own card.
    const front = await get('/');
    const siteCard = await picture(meta(front.body, 'og:image') ?? '');
    expect([siteCard.width, siteCard.height]).toEqual([1200, 630]);
    writeFileSync(path.join(ARTIFACTS, 'share-card-site.png'), siteCard.res.rawPayload);
  });

  it('draws a new card when the title changes and drops the old one', async () => {
    const before = meta((await get(`/news/${noPhoto}`)).body, 'og:image') ?? '';
    await picture(before);
    app.clock.advance(60_000);
    await app.services.writer.updateArticleText(noPhoto, { title: '고친 제목' });
    const after = meta((await get(`/news/${noPhoto}`)).body, 'og:image') ?? '';
    expect(after).not.toBe(before);
    await picture(after);
    const folder = path.join(app.config.dataDir, 'cache', 'share-images', 'card', String(noPhoto));
    expect(readdirSync(folder).filter((f) => f.startsWith('og-'))).toEqual([
      path.basename(local(after)),
    ]);
    const old = await get(local(before));
    expect(old.statusCode).toBe(302);
    expect(old.headers.location).toBe(local(after));
  });

  it('never shows a picture of an article readers cannot see yet', async () => {
    const hidden = await app.services.photos.ingestPhoto(await twoColourPhoto(), {
      caption: '엠바고 사진',
      credit: '',
      alt: '',
      uploadedBy: null,
    });
    const draft = await app.services.writer.createArticle({
      sectionId: fx.sections.politics,
      title: '엠바고 걸린 기사',
      featuredPhotoId: hidden.id,
    });
    // Guessing the number: no version matches, and the photo is not out.
    const guess = await get(`/image/photo/${hidden.id}/og-AAAAAAAAAAAA.jpg`);
    expect(guess.statusCode).toBe(404);
    const card = await get(`/image/card/${draft}/og-AAAAAAAAAAAA.png`);
    expect(card.statusCode).toBe(404);
    for (const url of [
      '/image/photo/abc/og-AAAAAAAAAAAA.jpg',
      `/image/photo/${photoId}/big-AAAAAAAAAAAA.jpg`,
      `/image/photo/${photoId}/og-AAAAAAAAAAAA.png`,
      '/image/card/x/og-AAAAAAAAAAAA.png',
    ])
      expect((await get(url)).statusCode, url).toBe(404);
    // A published photo's old address still leads to its picture.
    expect((await get(`/image/photo/${fx.photoId}/og-AAAAAAAAAAAA.jpg`)).statusCode).toBe(302);
  });

  it('describes the article as NewsArticle with every field Google recommends', async () => {
    const html = (await get(`/news/${withPhoto}`)).body;
    // No title can close the script element.
    expect(html).not.toContain('</script><script>alert(1)');
    const [article, breadcrumb] = jsonLd(html);
    if (article === undefined) throw new Error('no JSON-LD');
    for (const field of GOOGLE_ARTICLE_RECOMMENDED) {
      const [key, sub] = field.split('.') as [string, string | undefined];
      const value = article[key];
      expect(value, field).toBeDefined();
      if (sub !== undefined)
        for (const person of value as Json[]) expect(person[sub], field).toBeTruthy();
    }
    expect(article).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: '사진이 있는 기사 </script><script>alert(1)</script>',
      mainEntityOfPage: { '@type': 'WebPage', '@id': `${SITE}/news/${withPhoto}` },
      articleSection: '제주시',
      isAccessibleForFree: true,
      author: [
        {
          '@type': 'Person',
          name: '김탐나',
          url: `${SITE}/reporter/${fx.authorId}`,
          jobTitle: '기자',
        },
      ],
      publisher: {
        '@type': 'NewsMediaOrganization',
        name: '탐나일보',
        logo: { '@type': 'ImageObject', url: `${SITE}/image/logo.png`, width: 512, height: 512 },
      },
    });
    expect(article.datePublished).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00$/);
    expect(article.dateModified).toMatch(/\+09:00$/);
    expect(Date.parse(String(article.dateModified))).toBeGreaterThanOrEqual(
      Date.parse(String(article.datePublished)),
    );
    // 16:9, 4:3 and 1:1, each 1200 px wide.
    const images = article.image as string[];
    const sizes = [];
    for (const url of images) {
      const p = await picture(url);
      sizes.push([p.width, p.height]);
    }
    expect(sizes).toEqual([
      [1200, 675],
      [1200, 900],
      [1200, 1200],
    ]);
    const logo = await picture(`${SITE}/image/logo.png`);
    expect([logo.width, logo.height, logo.format]).toEqual([512, 512, 'png']);
    expect(breadcrumb).toMatchObject({
      '@type': 'BreadcrumbList',
      itemListElement: [
        { position: 1, name: '홈', item: `${SITE}/` },
        { position: 2, name: '사회', item: `${SITE}/section/society` },
        { position: 3, name: '제주시', item: `${SITE}/section/jeju-city` },
        { position: 4, item: `${SITE}/news/${withPhoto}` },
      ],
    });
  });

  it('gives an article without a photo its card in the three shapes', async () => {
    const [article] = jsonLd((await get(`/news/${noPhoto}`)).body);
    const images = article?.image as string[];
    expect(images).toHaveLength(3);
    const card = await picture(images[2] ?? '');
    expect([card.width, card.height]).toEqual([1200, 1200]);
  });

  it('carries a correction as a CorrectionComment', async () => {
    const desk = await app.database.db
      .insertInto('users')
      .values({
        email: 'desk@tamnailbo.example',
        name: '오데스크',
        role: 'desk',
        password_hash: 'x',
        must_change_password: 0,
        totp_enabled: 0,
        disabled: 0,
        created_at: app.clock.now(),
        updated_at: app.clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await app.services.desk.addNotice(
      { id: desk.id, role: 'desk', name: '오데스크' },
      withPhoto,
      'correction',
      '사진 설명을 바로잡습니다.',
    );
    const [article] = jsonLd((await get(`/news/${withPhoto}`)).body);
    expect(article?.correction).toEqual([
      {
        '@type': 'CorrectionComment',
        text: '[정정보도] 사진 설명을 바로잡습니다.',
        datePublished: expect.stringMatching(/\+09:00$/),
      },
    ]);
  });

  it('describes the paper and its search on the front page', async () => {
    const data = jsonLd((await get('/')).body);
    expect(data).toEqual([
      expect.objectContaining({
        '@type': 'NewsMediaOrganization',
        name: '탐나일보',
        url: `${SITE}/`,
        logo: expect.objectContaining({ url: `${SITE}/image/logo.png` }),
        telephone: '064-000-0000',
      }),
      expect.objectContaining({
        '@type': 'WebSite',
        url: `${SITE}/`,
        potentialAction: {
          '@type': 'SearchAction',
          target: { '@type': 'EntryPoint', urlTemplate: `${SITE}/search?q={search_term_string}` },
          'query-input': 'required name=search_term_string',
        },
      }),
    ]);
  });
});

describe('share cards', () => {
  it('wraps a Korean title at spaces, inside a word when it must, and cuts the last line', () => {
    expect(wrapTitle('제주 해녀 문화 보전 사업', 6, 3)).toEqual(['제주 해녀', '문화 보전', '사업']);
    expect(wrapTitle('가나다라마바사아자차카타', 5, 3)).toEqual([
      '가나다라마',
      '바사아자차',
      '카타',
    ]);
    expect(wrapTitle('하나 둘 셋 넷 다섯 여섯 일곱 여덟', 5, 2)).toEqual([
      '하나 둘 셋',
      '넷 다섯…',
    ]);
  });

  it('leaves text out, rather than draw boxes, without a Korean font', () => {
    const svg = renderShareCardSvg({
      width: 1200,
      height: 630,
      paperName: '탐나일보',
      title: '제목',
      host: 'news.example.kr',
      text: false,
    });
    expect(svg).not.toContain('<text');
  });

  it('tells whether fontconfig has a Korean font (none without fonts-noto-cjk)', async () => {
    const run = promisify(execFile);
    const probe = `import('./src/domains/media/index.ts').then((m) => m.hangulRenders()).then((ok) => process.stdout.write(String(ok)))`;
    const root = path.resolve(import.meta.dirname, '../../..');
    const here = await run(process.execPath, ['--import', 'tsx', '-e', probe], { cwd: root });
    expect(here.stdout).toBe('true');
    // Only DejaVu (no Hangul) visible to fontconfig, as on a server without fonts-noto-cjk.
    const dejavu = '/usr/share/fonts/truetype/dejavu';
    if (!existsSync(dejavu))
      throw new Error(`${dejavu} is missing: apt-get install fonts-dejavu-core`);
    const dir = path.join(root, 'test-artifacts', 'fontconfig');
    mkdirSync(dir, { recursive: true });
    const conf = path.join(dir, 'fonts.conf');
    writeFileSync(
      conf,
      `<?xml version="1.0"?><fontconfig><dir>${dejavu}</dir><cachedir>${dir}/cache</cachedir></fontconfig>`,
    );
    const bare = await run(process.execPath, ['--import', 'tsx', '-e', probe], {
      cwd: root,
      env: { ...process.env, FONTCONFIG_FILE: conf },
    });
    expect(bare.stdout).toBe('false');
  });

  it('crops the largest box of the shape around the focal point', () => {
    expect(cropBox(1600, 900, 0.5, 0.5, 1200, 1200)).toEqual({
      left: 350,
      top: 0,
      width: 900,
      height: 900,
    });
    expect(cropBox(1600, 900, 1, 0.5, 1200, 1200)).toMatchObject({ left: 700 });
    expect(cropBox(1600, 900, 0, 0, 1200, 630)).toEqual({
      left: 0,
      top: 0,
      width: 1600,
      height: 840,
    });
    expect(cropBox(600, 2000, 0.5, 0.9, 1200, 675)).toEqual({
      left: 0,
      top: 1631,
      width: 600,
      height: 338,
    });
  });
});
