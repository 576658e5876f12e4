import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type DatabaseHandle } from '../../db/index.ts';
import { tag } from '../../shared/cache-tags.ts';
import { ManualClock } from '../../shared/clock.ts';
import { freshDatabase, testDialects } from '../../testing/databases.ts';
import { hubBody, hubRow, startFakeKma, type FakeKma } from '../../testing/fake-kma.ts';
import { asosStation, defaultPlaces, gridPlace, stationPlace } from './places.ts';
import { createWeatherRefresher, type WeatherSourcesConfig } from './refresher.ts';
import { createWeatherStore } from './store.ts';

/** 2025-12-09 14:00 KST. */
const NOW = Date.UTC(2025, 11, 9, 5, 0);
const MINUTE = 60_000;
const HUB_KEY = 'hub-key-123';
// A data-portal key as the portal hands it out in its "Encoding" form.
const SERVICE_KEY = 'abc+def/ghi==';
const ENCODED_SERVICE_KEY = 'abc%2Bdef%2Fghi%3D%3D';

/** Rows for every default station at the given KST time, 서울 and 제주 as on the reference page. */
function allStations(tm: string, except: number[] = []): string {
  const rows = defaultPlaces.flatMap((p, i) => {
    if (p.kind !== 'station' || except.includes(p.station)) return [];
    if (p.station === 108) return [hubRow({ TM: tm, STN: 108, TA: 2.4, CA_TOT: 1 })];
    if (p.station === 184) return [hubRow({ TM: tm, STN: 184, TA: 9.8, CA_TOT: 4 })];
    if (p.station === 98) return [hubRow({ TM: tm, STN: 98, TA: -0.4, CA_TOT: 7 })];
    // 부산: rain at the station beats its scattered clouds.
    if (p.station === 159) return [hubRow({ TM: tm, STN: 159, TA: 8.1, CA_TOT: 4, WC: 61 })];
    return [hubRow({ TM: tm, STN: p.station, TA: (i - 4).toFixed(1), CA_TOT: i % 11 })];
  });
  return hubBody(rows);
}

for (const dialect of testDialects) {
  describe(`weather refresh on ${dialect}`, () => {
    let fake: FakeKma;
    let handle: DatabaseHandle;
    let clock: ManualClock;
    let logLines: Array<{ level: number; msg: string; source?: string }>;

    beforeAll(async () => {
      fake = await startFakeKma({ authKey: HUB_KEY, serviceKey: SERVICE_KEY });
    });
    afterAll(async () => {
      await fake.close();
    });
    beforeEach(async () => {
      handle = await freshDatabase(dialect);
      await migrateToLatest(handle);
      clock = new ManualClock(NOW);
      logLines = [];
      fake.requests.length = 0;
      fake.hub.mode = 'ok';
      fake.hub.body = allStations('202512091400');
      fake.portal.mode = 'ok';
      fake.portal.missingBases.clear();
    });
    afterEach(async () => {
      await handle.close();
    });

    function setup(overrides: Partial<WeatherSourcesConfig> = {}) {
      const logger = pino(
        { level: 'info' },
        { write: (line: string) => logLines.push(JSON.parse(line) as (typeof logLines)[number]) },
      );
      const store = createWeatherStore({ db: handle.db, clock });
      announced.length = 0;
      const config: WeatherSourcesConfig = {
        hubUrl: fake.hubUrl,
        portalUrl: fake.portalUrl,
        authKey: HUB_KEY,
        serviceKey: ENCODED_SERVICE_KEY,
        refreshMinutes: 10,
        region: { name: '제주', lat: 33.51411, lon: 126.52969 },
        fetch: { timeoutMs: 300, retries: 1, backoffMs: 1 },
        ...overrides,
      };
      const refresher = createWeatherRefresher({
        db: handle.db,
        clock,
        logger,
        store,
        config,
        sleep: async () => {},
        onChange: (tags) => void announced.push(tags),
      });
      return { store, refresher };
    }
    const announced: (readonly string[])[] = [];

    it('announces tag.weather after a refresh someone asked for, not after the background one', async () => {
      const { refresher } = setup({ serviceKey: null });
      await refresher.refresh();
      expect(announced).toEqual([]);
      await refresher.refresh({ force: true });
      expect(announced).toEqual([[tag.weather]]);
    });

    const warnings = (source: string) =>
      logLines.filter((l) => l.level === 40 && l.source === source);

    it('fills the ticker from the hub in one request, with sky labels and one decimal', async () => {
      const { store, refresher } = setup({ serviceKey: null });
      const report = await refresher.refresh();
      expect(report).toEqual({
        ran: true,
        sources: [{ source: 'hub', ok: true, message: '16곳 저장' }],
      });
      expect(fake.requests.filter((r) => r.includes('kma_sfctm2'))).toHaveLength(1);
      const ticker = await store.ticker();
      expect(ticker?.isSample).toBe(false);
      expect(ticker?.observedAt).toBe(NOW);
      expect(ticker?.places.slice(0, 3)).toEqual([
        { name: '동두천', sky: '구름많음', temperature: -0.4 },
        { name: '강릉', sky: expect.any(String), temperature: expect.any(Number) },
        { name: '서울', sky: '맑음', temperature: 2.4 },
      ]);
      expect(ticker?.places.find((p) => p.name === '부산')).toEqual({
        name: '부산',
        sky: '비',
        temperature: 8.1,
      });
      expect(ticker?.places.find((p) => p.name === '제주')?.sky).toBe('구름조금');
      const [status] = await store.sourceStatus();
      expect(status).toMatchObject({
        source: 'hub',
        succeededAt: NOW,
        error: null,
        observedAt: NOW,
      });
      expect(logLines.filter((l) => l.level >= 40)).toEqual([]);
    });

    it('keeps the last good reading of a station missing from the next answer', async () => {
      const { store, refresher } = setup({ serviceKey: null });
      await refresher.refresh({ force: true });
      clock.advance(60 * MINUTE);
      fake.hub.body = allStations('202512091500', [201]);
      const report = await refresher.refresh({ force: true });
      expect(report.sources[0]?.message).toBe(
        '15곳 저장 · 자료 없는 지점은 이전 값 유지: 강화(201)',
      );
      const stored = await store.observations();
      expect(stored.get('asos:201')?.observedAt).toBe(NOW);
      expect(stored.get('asos:108')?.observedAt).toBe(NOW + 60 * MINUTE);
      // The oldest reading shown dates the ticker.
      expect((await store.ticker())?.observedAt).toBe(NOW);
    });

    it('never replaces a newer reading with an older answer', async () => {
      const { store, refresher } = setup({ serviceKey: null });
      fake.hub.body = allStations('202512091500');
      await refresher.refresh({ force: true });
      fake.hub.body = allStations('202512091400');
      await refresher.refresh({ force: true });
      expect((await store.observations()).get('asos:108')?.observedAt).toBe(NOW + 60 * MINUTE);
    });

    for (const [mode, expected, requests] of [
      ['slow', '0.3초 안에 응답이 없습니다.', 2],
      ['error500', 'HTTP 500: 500 Internal Server Error', 2],
      ['malformed', '관측 자료 형식이 아닙니다: garbage without a data block', 1],
      ['html', '자료 대신 HTML 페이지가 왔습니다', 1],
      ['wrong-key', '인증키가 거부되었습니다 — HTTP 403: 유효한 인증키가 아닙니다.', 1],
    ] as const) {
      it(`keeps the last good data and logs one line when the hub answers ${mode}`, async () => {
        const { store, refresher } = setup({ serviceKey: null });
        await refresher.refresh({ force: true });
        const before = await store.ticker();
        fake.hub.mode = mode;
        fake.requests.length = 0;
        clock.advance(10 * MINUTE);
        const report = await refresher.refresh({ force: true });
        expect(report.sources).toEqual([
          { source: 'hub', ok: false, message: expect.stringContaining(expected) },
        ]);
        // Retries only where another try may pass: timeouts and server errors.
        expect(fake.requests).toHaveLength(requests);
        expect(await store.ticker()).toEqual(before);
        expect(warnings('hub')).toHaveLength(1);
        expect(warnings('hub')[0]?.msg).toContain(expected);
        expect(warnings('hub')[0]?.msg).not.toContain(HUB_KEY);
        const [status] = await store.sourceStatus();
        expect(status).toMatchObject({
          source: 'hub',
          attemptedAt: NOW + 10 * MINUTE,
          succeededAt: NOW,
          error: expect.stringContaining(expected),
        });
      });
    }

    it('reads a place by coordinates from the portal nowcast, with the forecast sky', async () => {
      const { store, refresher } = setup();
      await store.addPlace(gridPlace('서귀포', 33.24616, 126.5653));
      const report = await refresher.refresh({ force: true });
      expect(report.sources.map((s) => [s.source, s.ok])).toEqual([
        ['hub', true],
        ['portal', true],
        ['forecast', true],
      ]);
      const ticker = await store.ticker();
      // 13:00 nowcast (at 14:00 the 14:00 one is not out until ten past).
      expect(ticker?.places.at(-1)).toEqual({ name: '서귀포', sky: '구름많음', temperature: 9.8 });
      const nowcast = fake.requests.find((r) => r.includes('getUltraSrtNcst')) ?? '';
      const params = new URL(nowcast, 'http://x').searchParams;
      expect(params.get('serviceKey')).toBe(SERVICE_KEY);
      expect(nowcast).toContain(`serviceKey=${ENCODED_SERVICE_KEY}&`);
      expect(params.get('base_date')).toBe('20251209');
      expect(params.get('base_time')).toBe('1300');
      expect([params.get('nx'), params.get('ny')]).toEqual(['53', '32']);
    });

    it('steps back one issue when the newest answers NO_DATA', async () => {
      const { store, refresher } = setup({ authKey: null });
      fake.portal.missingBases.add('1300');
      const report = await refresher.refresh({ force: true });
      expect(report.sources.find((s) => s.source === 'portal')?.ok).toBe(true);
      const nowcasts = fake.requests.filter((r) => r.includes('getUltraSrtNcst'));
      expect(nowcasts.some((r) => r.includes('base_time=1300'))).toBe(true);
      expect(nowcasts.some((r) => r.includes('base_time=1200'))).toBe(true);
      // Without a hub key, the stations come from the grid at their coordinates.
      const stored = await store.observations();
      expect(stored.get('asos:108')).toMatchObject({
        source: 'kma-portal',
        observedAt: NOW - 2 * 60 * MINUTE,
      });
    });

    it('reports a refused portal key once, from the XML error the gateway sends', async () => {
      const { refresher } = setup({ authKey: null, serviceKey: 'not-registered' });
      const report = await refresher.refresh({ force: true });
      expect(report.sources).toEqual([
        {
          source: 'portal',
          ok: false,
          message: expect.stringContaining('SERVICE_KEY_IS_NOT_REGISTERED_ERROR'),
        },
        {
          source: 'forecast',
          ok: false,
          message: expect.stringContaining('등록되지 않은 서비스 키'),
        },
      ]);
      // A refused key is not asked again for every place.
      expect(fake.requests.filter((r) => r.includes('getUltraSrtNcst'))).toHaveLength(1);
      expect(warnings('portal')).toHaveLength(1);
    });

    it('stores the region forecast once per issue', async () => {
      const { store, refresher } = setup({ authKey: null });
      await refresher.refresh({ force: true });
      await refresher.refresh({ force: true });
      expect(fake.requests.filter((r) => r.includes('getVilageFcst'))).toHaveLength(1);
      const forecast = await store.forecast('제주');
      expect(forecast).toMatchObject({
        region: '제주',
        nx: 53,
        ny: 38,
        baseAt: NOW - 3 * 60 * MINUTE,
      });
      expect(forecast?.days.length).toBeGreaterThanOrEqual(2);
      clock.advance(3 * 60 * MINUTE);
      await refresher.refresh({ force: true });
      expect(fake.requests.filter((r) => r.includes('getVilageFcst'))).toHaveLength(2);
    });

    it('lets only one app server run a scheduled refresh per interval', async () => {
      const first = setup({ serviceKey: null });
      const second = setup({ serviceKey: null });
      expect((await first.refresher.refresh()).ran).toBe(true);
      expect((await second.refresher.refresh()).ran).toBe(false);
      clock.advance(9 * MINUTE);
      expect((await second.refresher.refresh()).ran).toBe(true);
      expect((await first.refresher.refresh()).ran).toBe(false);
    });

    it('stops presenting readings older than three hours as current', async () => {
      const { store, refresher } = setup({ serviceKey: null });
      await refresher.refresh({ force: true });
      clock.advance(3 * 60 * MINUTE);
      expect(await store.ticker()).not.toBeNull();
      clock.advance(MINUTE);
      expect(await store.ticker()).toBeNull();
    });

    it('replaces sample readings with the first real ones', async () => {
      const { store, refresher } = setup({ serviceKey: null });
      await store.storeSample();
      expect((await store.ticker())?.isSample).toBe(true);
      fake.hub.mode = 'error500';
      await refresher.refresh({ force: true });
      expect((await store.ticker())?.isSample).toBe(true);
      fake.hub.mode = 'ok';
      await refresher.refresh({ force: true });
      const ticker = await store.ticker();
      expect(ticker?.isSample).toBe(false);
      expect(ticker?.places).toHaveLength(16);
    });

    it('tests one place without storing it, showing the fields it came from', async () => {
      const { store, refresher } = setup();
      const seoul = stationPlace(asosStation(108) ?? { station: 0, name: '', lat: 0, lon: 0 });
      const result = await refresher.testPlace(seoul);
      expect(result).toMatchObject({ ok: true, sky: '맑음', temperature: 2.4, observedAt: NOW });
      expect(result.ok && result.details).toContainEqual(['CA_TOT 전운량', '1/10']);
      expect((await store.observations()).size).toBe(0);
      fake.hub.mode = 'wrong-key';
      expect(await refresher.testPlace(seoul)).toMatchObject({
        ok: false,
        error: expect.stringContaining('인증키가 거부되었습니다'),
      });
      const grid = await refresher.testPlace(gridPlace('한림', 33.41, 126.27));
      expect(grid).toMatchObject({ ok: true, sky: '구름많음', temperature: 9.8 });
    });

    it('edits the place list: add by station or coordinates, refuse duplicates, reorder, remove', async () => {
      const { store } = setup();
      await expect(store.addPlace(stationPlace(asosStation(184)!))).rejects.toThrow(
        "'제주' 지점은 이미 목록에 있습니다.",
      );
      await store.addPlace(stationPlace(asosStation(189)!));
      await store.addPlace(gridPlace('한림', 33.41, 126.27));
      await expect(store.addPlace(gridPlace('한림읍', 33.41, 126.27))).rejects.toThrow(
        "같은 예보 격자(48,36)에 이미 '한림'이(가) 있습니다.",
      );
      await store.movePlace('asos:189', -1);
      await store.removePlace('asos:98');
      const names = (await store.places()).map((p) => p.name);
      expect(names.slice(0, 2)).toEqual(['강릉', '서울']);
      expect(names.slice(-3)).toEqual(['서귀포', '거제', '한림']);
      await expect(store.removePlace('asos:98')).rejects.toThrow('목록에 없는 장소입니다.');
    });
  });
}
