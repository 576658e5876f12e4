import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  gridPlace,
  type ForecastDay,
  type ForecastHour,
  type StoredForecast,
} from '../../domains/weather/index.ts';
import { createTestApp, REFERENCE_NOW, type TestApp } from '../../testing/app.ts';
import { testDialects } from '../../testing/databases.ts';
import { HEAD_SCRIPT } from '../../views/head-script.ts';
import { forecastForPage } from './weather.ts';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

/** An instant in KST on December 2025. */
const kst = (day: number, hour: number, minute = 0) => Date.UTC(2025, 11, day, hour - 9, minute);

const hour = (at: number, values: Partial<ForecastHour> = {}): ForecastHour => ({
  at,
  temperature: 6,
  sky: 1,
  precipitation: 0,
  chance: 0,
  ...values,
});

/** The 11:00 issue of 9 December, as the portal source stores it. */
function sampleForecast(baseAt = kst(9, 11)): Omit<StoredForecast, 'fetchedAt'> {
  const today: ForecastDay = {
    date: '20251209',
    min: null,
    max: 9.4,
    hours: Array.from({ length: 12 }, (_, i) => {
      const h = 12 + i;
      if (h === 18)
        return hour(kst(9, h), { sky: 4, precipitation: 1, chance: 70, temperature: 7 });
      return hour(kst(9, h), { sky: 3, chance: 20, temperature: h === 12 ? 12.5 : 8 });
    }),
  };
  const tomorrow: ForecastDay = {
    date: '20251210',
    min: 1.5,
    max: 7,
    hours: Array.from({ length: 24 }, (_, h) =>
      hour(kst(10, h), h === 9 ? { precipitation: 3, sky: 4, chance: 60, temperature: -0.5 } : {}),
    ),
  };
  const later: ForecastDay = {
    date: '20251211',
    min: -3,
    max: 3,
    hours: [hour(kst(11, 0), { temperature: 33.3 })],
  };
  return { region: '제주', nx: 53, ny: 38, baseAt, days: [tomorrow, later, today] };
}

/** The page's text with tags removed and spaces collapsed, for reading like a person. */
const text = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ');

/** One day's block of the forecast. */
function daySection(html: string, index: number): string {
  const start = html.indexOf(`<section class="weather-day" aria-labelledby="weather-day-${index}"`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = html.indexOf('</section>', start);
  return html.slice(start, end);
}

describe.each(testDialects)('the /weather page on %s', (dialect) => {
  let app: TestApp;

  beforeEach(async () => {
    app = await createTestApp({ dialect });
  });
  afterEach(async () => {
    await app.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    app.http.inject({ method: 'GET', url, headers });

  it('shows every place of the sample ticker, labelled as a sample', async () => {
    await app.services.weather.storeSample();
    const res = await get('/weather');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = res.body;
    expect(html).toContain('<title>날씨 - 탐나일보</title>');
    expect(html).toContain('<link rel="canonical" href="https://news.example.kr/weather">');
    expect(html).toMatch(/<meta name="description" content="탐나일보 날씨: 제주 [^"]+">/);
    expect(html).toContain('<h1>날씨</h1>');
    expect(html).toContain('<h2 id="weather-now">전국 날씨</h2>');
    expect(html).toContain('<strong class="weather-sample">예시</strong>');
    expect(html).toContain('실제 관측값이 아닌 예시 자료입니다.');
    expect(text(html)).toContain('12월 9일 14시 기준 · 기상청 제공');
    expect(html).toContain('<a href="https://www.weather.go.kr/" rel="noopener noreferrer">');
    const places = html.match(/<li class="weather-place">/g) ?? [];
    expect(places).toHaveLength(16);
    expect(html).toMatch(
      /<li class="weather-place"><span class="weather-place-name">서울<\/span><span class="weather-sky"><svg class="wx-icon"[^>]*><use href="#wx-\d+"\/><\/svg><span>맑음<\/span><\/span><span class="weather-place-temp">2\.4℃<\/span><\/li>/,
    );
    expect(html).toContain('<span class="weather-place-temp">-0.4℃</span>');
    // No forecast stored: no forecast section, and no empty one.
    expect(html).not.toContain('단기예보</h2>');
    // The site's script by address, and the one inline script the CSP allows by its hash.
    expect(html.match(/<script[^>]*>/g)).toEqual([
      '<script>',
      expect.stringMatching(/^<script src="\/assets\/site\.[0-9a-f]+\.js" defer>$/),
    ]);
    expect(html).toContain(`<script>${HEAD_SCRIPT}</script>`);
  });

  it('says calmly that there are no observations, without an empty list', async () => {
    const html = (await get('/weather')).body;
    expect(html).toContain('<h2 id="weather-now">전국 날씨</h2>');
    expect(html).toContain('현재 관측 자료를 받지 못했습니다.');
    expect(html).not.toContain('weather-places');
    expect(html).not.toContain('기상청 제공');
    expect(html).not.toContain('예시');
  });

  it("shows the region's forecast for the rest of today and for tomorrow", async () => {
    await app.services.weather.storeSample();
    await app.services.weather.saveForecast(sampleForecast());
    const html = (await get('/weather')).body;
    expect(html).toContain('<h2 id="weather-forecast">제주 단기예보</h2>');
    expect(text(html)).toContain('기상청 단기예보 · 12월 9일 11시 발표');

    const today = daySection(html, 0);
    expect(today).toContain('<h3 id="weather-day-0">12월 9일(화) 오늘</h3>');
    expect(text(today)).toContain('최저 - 최고 9.4℃');
    // Only hours after 14:00: 15시 to 23시.
    const todayHours = [...today.matchAll(/<th scope="col"><time datetime="([^"]+)">(\d+)시/g)];
    expect(todayHours.map((m) => m[2])).toEqual([
      '15',
      '16',
      '17',
      '18',
      '19',
      '20',
      '21',
      '22',
      '23',
    ]);
    expect(todayHours[0]?.[1]).toBe('2025-12-09T15:00:00+09:00');
    expect(today).not.toContain('12.5℃');
    // SKY 3 is 구름많음; at 18시 the rain (PTY 1) wins over the overcast sky (SKY 4).
    expect(today).toContain('<span>구름많음</span>');
    expect(today).toContain('<span>비</span>');
    expect(today).not.toContain('<span>흐림</span>');
    expect(text(today)).toContain('강수확률 20% 20% 20% 70% 20%');
    expect(today).toContain('<td class="weather-wet">70%</td>');
    expect(text(today)).toContain('기온 8.0℃ 8.0℃ 8.0℃ 7.0℃ 8.0℃');

    const tomorrow = daySection(html, 1);
    expect(tomorrow).toContain('<h3 id="weather-day-1">12월 10일(수) 내일</h3>');
    expect(text(tomorrow)).toContain('최저 1.5℃ 최고 7.0℃');
    expect(tomorrow.match(/<th scope="col">/g)).toHaveLength(24);
    expect(text(tomorrow)).toContain('시각 0시 1시 2시');
    expect(tomorrow).toContain('<span>맑음</span>');
    expect(tomorrow).toContain('<span>눈</span>');
    expect(tomorrow).toContain('<td>-0.5℃</td>');

    // Neither the day after tomorrow nor a third day block.
    expect(html).not.toContain('2025-12-11T');
    expect(html).not.toContain('33.3℃');
    expect(html).not.toContain('weather-day-2');
    // Every icon used has its symbol once, between the ticker's sprite and the page's.
    for (const [, id] of html.matchAll(/<use href="#(wx-\d+)"/g)) {
      expect(html.split(`<symbol id="${id}"`)).toHaveLength(2);
    }
  });

  it('leaves out a forecast issued more than twelve hours ago', async () => {
    await app.services.weather.storeSample();
    await app.services.weather.saveForecast(sampleForecast(REFERENCE_NOW - 13 * HOUR));
    const html = (await get('/weather')).body;
    expect(html).not.toContain('weather-forecast');
    expect(html).not.toContain('단기예보</h2>');
    expect(html).not.toContain('weather-day');
    expect(html).toContain('<h2 id="weather-now">전국 날씨</h2>');
  });

  it('drops the forecast from the cached page the moment it turns stale', async () => {
    await app.services.weather.storeSample();
    await app.services.weather.saveForecast(sampleForecast(REFERENCE_NOW - 12 * HOUR + 2 * MINUTE));
    expect((await get('/weather')).body).toContain('제주 단기예보');
    app.clock.advance(2 * MINUTE + 1);
    expect((await get('/weather')).body).not.toContain('제주 단기예보');
  });

  it('drops a passed hour from the cached page when that hour comes', async () => {
    app.clock.set(kst(9, 14, 55));
    await app.services.weather.saveForecast(sampleForecast());
    expect((await get('/weather')).body).toContain('datetime="2025-12-09T15:00:00+09:00"');
    app.clock.set(kst(9, 15));
    const html = (await get('/weather')).body;
    expect(html).not.toContain('datetime="2025-12-09T15:00:00+09:00"');
    expect(html).toContain('datetime="2025-12-09T16:00:00+09:00"');
  });

  it('serves the page from the cache, tagged weather, for ten minutes at most', async () => {
    // A site whose pages may otherwise be kept for an hour.
    await app.close();
    app = await createTestApp({ dialect, env: { TAMNA_PAGE_CACHE_MAX_AGE: '3600' } });
    await app.services.weather.storeSample();
    const first = await get('/weather');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const hits = app.cache.stats.hits;
    const second = await get('/weather');
    expect(second.headers.etag).toBe(etag);
    expect(app.cache.stats.hits).toBe(hits + 1);
    expect((await get('/weather', { 'if-none-match': etag })).statusCode).toBe(304);

    // A forecast saved without an invalidation waits for the expiry...
    await app.services.weather.saveForecast(sampleForecast());
    app.clock.advance(9 * MINUTE);
    expect((await get('/weather')).body).not.toContain('제주 단기예보');
    app.clock.advance(MINUTE);
    expect((await get('/weather')).body).toContain('제주 단기예보');

    // ...and the weather tag drops it at once.
    await app.services.weather.saveForecast(sampleForecast(kst(9, 14)));
    expect(text((await get('/weather')).body)).toContain('12월 9일 11시 발표');
    app.cache.invalidate(['weather']);
    expect(text((await get('/weather')).body)).toContain('12월 9일 14시 발표');
  });

  it('escapes place names', async () => {
    await app.services.weather.addPlace(gridPlace('<b>x</b>', 33.4, 126.5));
    await app.services.weather.storeSample();
    const html = (await get('/weather')).body;
    expect(html).toContain('<span class="weather-place-name">&lt;b&gt;x&lt;/b&gt;</span>');
    expect(html).not.toContain('<b>x</b>');
  });

  it.each(['/weather?x=<script>', '/weather?x=%FF', '/weather?page=0&page=1', '/weather/'])(
    'answers %s with the same page',
    async (url) => {
      await app.services.weather.storeSample();
      const plain = await get('/weather');
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe(plain.headers.etag);
      expect(res.body.replace(`<script>${HEAD_SCRIPT}</script>`, '')).not.toContain('<script>');
    },
  );
});

describe('forecastForPage', () => {
  const stored = (baseAt = kst(9, 11)): StoredForecast => ({
    ...sampleForecast(baseAt),
    fetchedAt: baseAt + 10 * MINUTE,
  });

  it('is empty without a forecast, and for one issued more than twelve hours ago', () => {
    expect(forecastForPage(null, REFERENCE_NOW)).toEqual({ view: null, changesAt: null });
    const base = kst(9, 11);
    expect(forecastForPage(stored(base), base + 12 * HOUR).view).not.toBeNull();
    expect(forecastForPage(stored(base), base + 12 * HOUR + 1).view).toBeNull();
  });

  it('changes when the first hour shown for today passes', () => {
    const { view, changesAt } = forecastForPage(stored(), REFERENCE_NOW);
    expect(view?.days.map((d) => d.relative)).toEqual(['오늘', '내일']);
    expect(changesAt).toBe(kst(9, 15));
  });

  it("keeps today's 최저/최고 after its last hour, and leaves out a day with nothing to show", () => {
    const late = forecastForPage(stored(kst(9, 20)), kst(9, 23, 30)).view;
    expect(late?.days[0]).toMatchObject({ relative: '오늘', max: 9.4, hours: [] });
    const bare = stored();
    bare.days = bare.days.map((d) =>
      d.date === '20251209' ? { ...d, max: null, hours: d.hours.slice(0, 2) } : d,
    );
    expect(forecastForPage(bare, REFERENCE_NOW).view?.days.map((d) => d.relative)).toEqual([
      '내일',
    ]);
  });

  it('is empty when the forecast covers neither today nor tomorrow', () => {
    const old = stored();
    old.days = old.days.filter((d) => d.date === '20251211');
    expect(forecastForPage(old, REFERENCE_NOW).view).toBeNull();
  });

  it('uses the precipitation label over the sky label', () => {
    const view = forecastForPage(stored(), REFERENCE_NOW).view;
    const rain = view?.days[0]?.hours.find((h) => h.at === kst(9, 18));
    expect(rain).toEqual({ at: kst(9, 18), sky: '비', temperature: 7, chance: 70 });
  });
});
