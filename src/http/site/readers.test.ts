import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../app.ts';
import { loadConfig } from '../../config/index.ts';
import { migrateToLatest } from '../../db/index.ts';
import { ManualClock } from '../../shared/clock.ts';
import { createTestApp, REFERENCE_NOW, type TestApp } from '../../testing/app.ts';
import { freshDatabase, testDialects } from '../../testing/databases.ts';
import { seedFixture, type Fixture } from '../../testing/fixtures.ts';
import { DESKTOP_BROWSER as CHROME, GOOGLEBOT } from '../../testing/user-agents.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type Http = Pick<TestApp['http'], 'inject'>;

/** Reader `n` (their own address) opens article `id`, as the site script reports it. */
const beacon = (http: Http, id: number | string, n: number, headers: Record<string, string> = {}) =>
  http.inject({
    method: 'POST',
    url: `/beacon/view?a=${id}`,
    remoteAddress: `198.51.100.${n}`,
    headers: { 'user-agent': CHROME, ...headers },
  });

async function stored(app: TestApp): Promise<Map<number, number>> {
  const rows = await app.database.db
    .selectFrom('article_views')
    .select(['article_id', 'views'])
    .execute();
  const out = new Map<number, number>();
  for (const r of rows)
    out.set(Number(r.article_id), (out.get(Number(r.article_id)) ?? 0) + Number(r.views));
  return out;
}

describe.each(testDialects)('reader counts on the public site (%s)', (dialect) => {
  let app: TestApp;
  let fx: Fixture;

  beforeEach(async () => {
    app = await createTestApp({ dialect });
    fx = await seedFixture(app);
  });
  afterEach(async () => {
    await app.close();
  });

  /** `readers` distinct readers open article `id`, then the counts are written. */
  async function read(id: number, readers: number, from = 0): Promise<void> {
    for (let n = 0; n < readers; n++) {
      expect((await beacon(app.http, id, from + n)).statusCode).toBe(204);
    }
    await app.services.readers.flush();
  }

  const get = (url: string) =>
    app.http.inject({ method: 'GET', url, headers: { 'user-agent': CHROME } });

  it('answers the beacon with 204 and counts real readers once a day', async () => {
    const id = fx.published[0] as number;
    const res = await beacon(app.http, id, 1);
    expect(res.statusCode).toBe(204);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toBe('');
    // The same reader again, a crawler, a prefetch: all answered alike, none counted.
    expect((await beacon(app.http, id, 1)).statusCode).toBe(204);
    expect((await beacon(app.http, id, 2, { 'user-agent': GOOGLEBOT })).statusCode).toBe(204);
    expect((await beacon(app.http, id, 3, { 'sec-purpose': 'prefetch' })).statusCode).toBe(204);
    expect((await beacon(app.http, id, 4, { 'x-moz': 'prefetch' })).statusCode).toBe(204);
    // sendBeacon with a string sends text/plain; old browsers use GET.
    const text = await app.http.inject({
      method: 'POST',
      url: `/beacon/view?a=${id}`,
      remoteAddress: '198.51.100.5',
      headers: { 'user-agent': CHROME, 'content-type': 'text/plain;charset=UTF-8' },
      payload: 'ping',
    });
    expect(text.statusCode).toBe(204);
    const viaGet = await app.http.inject({
      method: 'GET',
      url: `/beacon/view?a=${id}`,
      remoteAddress: '198.51.100.6',
      headers: { 'user-agent': CHROME },
    });
    expect(viaGet.statusCode).toBe(204);
    const head = await app.http.inject({
      method: 'HEAD',
      url: `/beacon/view?a=${id}`,
      remoteAddress: '198.51.100.7',
      headers: { 'user-agent': CHROME },
    });
    expect(head.statusCode).not.toBe(204);
    await app.services.readers.flush();
    expect(await stored(app)).toEqual(new Map([[id, 3]]));
    // The next KST day the first reader counts again.
    app.clock.advance(DAY);
    await beacon(app.http, id, 1);
    await app.services.readers.flush();
    expect(await stored(app)).toEqual(new Map([[id, 4]]));
  });

  it('refuses a missing or malformed article number with a short Korean 400', async () => {
    for (const query of ['', '?a=', '?a=abc', '?a=0', '?a=-1', '?a=1.5', '?a=1&a=2', '?a=<b>']) {
      const res = await app.http.inject({
        method: 'POST',
        url: `/beacon/view${query}`,
        headers: { 'user-agent': CHROME },
      });
      expect(res.statusCode, query).toBe(400);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.body).toBe('a에 기사 번호를 주세요. 예: /beacon/view?a=123');
    }
    const big = await app.http.inject({
      method: 'POST',
      url: `/beacon/view?a=${fx.published[0]}`,
      headers: { 'user-agent': CHROME, 'content-type': 'text/plain' },
      payload: 'x'.repeat(4096),
    });
    expect(big.statusCode).toBe(413);
    expect(app.services.readers.pending).toBe(0);
  });

  it('answers 204 for a number that is no article, and stores nothing for it', async () => {
    expect((await beacon(app.http, 987654321, 1)).statusCode).toBe(204);
    await app.services.readers.flush();
    expect(await stored(app)).toEqual(new Map());
  });

  it('leaves 많이 본 뉴스 out until something has been read', async () => {
    expect((await get('/')).body).not.toContain('많이 본 뉴스');
    expect((await get(`/news/${fx.published[0]}`)).body).not.toContain('most-read');
  });

  it('shows 많이 본 뉴스 on the front page and article pages: numbered, linked, two periods', async () => {
    const [a, b, c] = fx.published as [number, number, number];
    // c was read most, 25 hours ago: in the 7-day list only.
    app.clock.set(REFERENCE_NOW - DAY - HOUR);
    await read(c, 5, 100);
    app.clock.set(REFERENCE_NOW);
    await read(a, 2);
    await read(b, 3, 10);
    const hidden = await app.services.writer.createArticle({
      sectionId: fx.sections.hidden,
      title: '숨긴 섹션의 많이 읽힌 기사',
      status: 'published',
      publishedAt: REFERENCE_NOW - DAY,
    });
    await read(hidden, 9, 30);

    for (const url of ['/', `/news/${a}`]) {
      const html = (await get(url)).body;
      const box = /<section class="box most-read"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
      expect(box, url).toContain('<h2 class="box-title" id="most-read-title">많이 본 뉴스</h2>');
      expect(box).toContain('<label class="most-read-tab" for="most-read-day">24시간</label>');
      expect(box).toContain('<label class="most-read-tab" for="most-read-week">7일</label>');
      expect(box).toMatch(/<input class="most-read-radio most-read-radio-day" [^>]*\bchecked\b/);
      expect(box).not.toMatch(
        /<input class="most-read-radio most-read-radio-week" [^>]*\bchecked\b/,
      );
      const lists = [...box.matchAll(/<ol class="most-read-list">([\s\S]*?)<\/ol>/g)].map((m) =>
        [...(m[1] ?? '').matchAll(/<a href="\/news\/(\d+)">/g)].map((l) => Number(l[1])),
      );
      expect(lists).toEqual([
        [b, a],
        [c, b, a],
      ]);
      expect(box).not.toContain('숨긴 섹션');
    }
  });

  it('lists at most ten, and drops an article the moment it is unpublished', async () => {
    const ids = fx.published.slice(0, 12);
    for (const [i, id] of ids.entries()) await read(id, 12 - i, i * 20);
    const box = (html: string) =>
      [...(/<ol class="most-read-list">([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? '').matchAll(/<li>/g)]
        .length;
    expect(box((await get('/')).body)).toBe(10);
    const top = ids[0] as number;
    expect((await get(`/news/${ids[5]}`)).body).toContain(`<li><a href="/news/${top}">`);
    // Unpublishing drops the pages that show it (their tags include it) and the re-render
    // checks every listed article again, though the kept lists still name it.
    await app.services.writer.setStatus(top, 'trashed');
    expect((await get('/')).body).not.toContain(`<li><a href="/news/${top}">`);
    expect((await get(`/news/${ids[5]}`)).body).not.toContain(`<li><a href="/news/${top}">`);
  });
});

describe('많이 본 뉴스 in cached pages', () => {
  let app: TestApp;
  let fx: Fixture;

  beforeEach(async () => {
    // Pages may be kept an hour; the box must still be at most five minutes old.
    app = await createTestApp({ env: { TAMNA_PAGE_CACHE_MAX_AGE: '3600' } });
    fx = await seedFixture(app);
  });
  afterEach(async () => {
    await app.close();
  });

  it('renders pages with the box again when the lists are due, within five minutes', async () => {
    const [a, b] = fx.published as [number, number];
    const first = (html: string) =>
      /<ol class="most-read-list"><li><a href="\/news\/(\d+)"/.exec(html)?.[1];
    for (let n = 0; n < 2; n++) await beacon(app.http, a, n);
    await app.services.readers.flush();
    const page = () => app.http.inject({ url: `/news/${fx.published[3]}` });
    expect(first((await page()).body)).toBe(String(a));
    expect(first((await app.http.inject({ url: '/' })).body)).toBe(String(a));

    for (let n = 0; n < 5; n++) await beacon(app.http, b, 10 + n);
    await app.services.readers.flush();
    app.clock.advance(5 * MINUTE - 1);
    expect(first((await page()).body)).toBe(String(a)); // cached, lists not due yet
    app.clock.advance(1);
    expect(first((await page()).body)).toBe(String(b));
    expect(first((await app.http.inject({ url: '/' })).body)).toBe(String(b));
  });
});

describe('reader counts on shutdown', () => {
  it('writes counts still in memory when the app closes (the SIGTERM path)', async () => {
    const database = await freshDatabase('sqlite');
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tamna-readers-close-'));
    try {
      await migrateToLatest(database);
      const app = await createApp(loadConfig({ TAMNA_DATA_DIR: dataDir }), {
        clock: new ManualClock(REFERENCE_NOW),
        database,
        logger: pino({ level: 'silent' }),
        backgroundJobs: false,
      });
      const section = await app.services.writer.createSection({ slug: 'society', name: '사회' });
      const id = await app.services.writer.createArticle({
        sectionId: section,
        title: '닫히기 직전에 읽힌 기사',
        status: 'published',
        publishedAt: REFERENCE_NOW - HOUR,
      });
      for (let n = 0; n < 3; n++) await beacon(app.http, id, n);
      expect(app.services.readers.pending).toBe(1);
      await app.close();
      const rows = await database.db.selectFrom('article_views').selectAll().execute();
      expect(rows.map((r) => ({ ...r, article_id: Number(r.article_id) }))).toEqual([
        { article_id: id, hour: REFERENCE_NOW, views: 3 },
      ]);
    } finally {
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
