import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { WeatherConfig } from '../../config/index.ts';
import { claimJob, type Database } from '../../db/index.ts';
import { tag, type CacheTag } from '../../shared/cache-tags.ts';
import type { Clock } from '../../shared/clock.ts';
import { fetchText, realSleep, type Fetch, type FetchPolicy, type Sleep } from './fetch-text.ts';
import { toGrid } from './grid.ts';
import { hubRequestUrl, parseHubAnswer, type HubAnswer, type StationObservation } from './hub.ts';
import type { WeatherPlace } from './places.ts';
import {
  forecastValueAt,
  nowcastBase,
  parsePortalAnswer,
  portalRequestUrl,
  previousBase,
  readNowcast,
  readShortRangeForecast,
  shortRangeForecastBase,
  ultraShortForecastBase,
  type Nowcast,
  type PortalItem,
  type PortalOperation,
} from './portal.ts';
import { gridSky } from './sky.ts';
import { WeatherSourceError } from './source-error.ts';
import type { NewObservation, SourceName, WeatherStore } from './store.ts';

/** The weather settings from the environment, with the timeouts and retries to use. */
export type WeatherSourcesConfig = WeatherConfig & { fetch: FetchPolicy };

export interface SourceReport {
  source: SourceName;
  ok: boolean;
  /** What was stored, or the error, in the newsroom's words. */
  message: string;
}

export interface RefreshReport {
  /** False when another app server holds this refresh. */
  ran: boolean;
  sources: SourceReport[];
}

export type PlaceTest =
  | {
      ok: true;
      place: WeatherPlace;
      sky: string | null;
      temperature: number | null;
      observedAt: number;
      /** The fields the result came from, as KMA sent them. */
      details: Array<[label: string, value: string]>;
    }
  | { ok: false; place: WeatherPlace; error: string };

export interface WeatherRefresherDeps {
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
  store: WeatherStore;
  config: WeatherSourcesConfig;
  fetch?: Fetch;
  sleep?: Sleep;
  /** Called with the cache tags a refresh someone asked for (`force`) has changed. */
  onChange?: (tags: readonly CacheTag[]) => void | Promise<void>;
}

const JOB = 'weather.refresh';

export function createWeatherRefresher(deps: WeatherRefresherDeps) {
  const { db, clock, logger, store, config } = deps;
  const http = { fetch: deps.fetch ?? globalThis.fetch, sleep: deps.sleep ?? realSleep };
  const owner = `${process.pid}-${randomUUID()}`;
  const get = (url: string) => fetchText(url, config.fetch, http);

  async function hubAnswer(authKey: string): Promise<HubAnswer> {
    return parseHubAnswer(await get(hubRequestUrl(config.hubUrl, authKey)));
  }

  /** One portal call; a NO_DATA answer (the newest issue is late) steps back one issue. */
  async function portal(
    operation: PortalOperation,
    serviceKey: string,
    cell: { nx: number; ny: number },
    base: number,
  ): Promise<{ items: PortalItem[]; base: number }> {
    const call = async (at: number) =>
      parsePortalAnswer(
        await get(portalRequestUrl(config.portalUrl, operation, serviceKey, { base: at, ...cell })),
      );
    try {
      return { items: await call(base), base };
    } catch (error) {
      if (!(error instanceof WeatherSourceError) || error.kind !== 'no-data') throw error;
      const earlier = previousBase(operation, base);
      return { items: await call(earlier), base: earlier };
    }
  }

  /** A grid cell's current weather: nowcast temperature and precipitation, forecast sky. */
  async function gridWeather(
    serviceKey: string,
    cell: { nx: number; ny: number },
  ): Promise<{ nowcast: Nowcast; skyCode: number | null; sky: string | null }> {
    const now = clock.now();
    const observed = await portal('getUltraSrtNcst', serviceKey, cell, nowcastBase(now));
    const nowcast = readNowcast(observed.items);
    // The sky is not observed on the grid: take the ultra-short forecast for this hour.
    // A failed forecast still leaves a useful reading (temperature, precipitation).
    let skyCode: number | null = null;
    try {
      const forecast = await portal(
        'getUltraSrtFcst',
        serviceKey,
        cell,
        ultraShortForecastBase(now),
      );
      skyCode = forecastValueAt(forecast.items, 'SKY', nowcast.observedAt);
    } catch (error) {
      logger.debug({ err: error, cell }, 'weather portal: no sky forecast for the cell');
    }
    return { nowcast, skyCode, sky: gridSky(nowcast.precipitation, skyCode) };
  }

  const cellOf = (place: WeatherPlace) =>
    place.kind === 'grid' ? { nx: place.nx, ny: place.ny } : toGrid(place.lat, place.lon);

  const stationName = (p: WeatherPlace) =>
    p.kind === 'station' ? `${p.name}(${p.station})` : p.name;

  async function refreshHub(authKey: string, stations: WeatherPlace[]): Promise<SourceReport> {
    const answer = await hubAnswer(authKey);
    const found: NewObservation[] = [];
    const missing: string[] = [];
    for (const place of stations) {
      const o = place.kind === 'station' ? answer.observations.get(place.station) : undefined;
      // A station that sent no temperature keeps its last good reading instead.
      if (o === undefined || o.temperature === null) missing.push(stationName(place));
      else found.push(observationOf(place, o));
    }
    if (found.length === 0) {
      throw new WeatherSourceError(
        'no-data',
        `목록의 지점 자료가 응답에 없습니다: ${missing.join(', ')}`,
      );
    }
    await store.saveObservations(found);
    const newest = Math.max(...found.map((o) => o.observedAt));
    await store.recordAttempt('hub', { observedAt: newest });
    return {
      source: 'hub',
      ok: true,
      message:
        `${found.length}곳 저장` +
        (missing.length > 0 ? ` · 자료 없는 지점은 이전 값 유지: ${missing.join(', ')}` : ''),
    };
  }

  async function refreshPortal(serviceKey: string, places: WeatherPlace[]): Promise<SourceReport> {
    const cells = new Map<string, { nx: number; ny: number; places: WeatherPlace[] }>();
    for (const place of places) {
      const cell = cellOf(place);
      const key = `${cell.nx},${cell.ny}`;
      const entry = cells.get(key) ?? { ...cell, places: [] };
      entry.places.push(place);
      cells.set(key, entry);
    }
    const found: NewObservation[] = [];
    const failed: string[] = [];
    let lastError: WeatherSourceError | null = null;
    for (const cell of cells.values()) {
      try {
        const weather = await gridWeather(serviceKey, cell);
        if (weather.nowcast.temperature === null)
          throw new WeatherSourceError('no-data', '기온(T1H)이 없습니다.');
        for (const place of cell.places) {
          found.push({
            place,
            sky: weather.sky,
            temperature: weather.nowcast.temperature,
            observedAt: weather.nowcast.observedAt,
            source: 'kma-portal',
          });
        }
      } catch (error) {
        lastError = asSourceError(error);
        failed.push(...cell.places.map((p) => p.name));
        // A refused key fails every cell the same way: stop asking.
        if (lastError.kind === 'auth') break;
      }
    }
    if (found.length === 0)
      throw lastError ?? new WeatherSourceError('no-data', '자료가 없습니다.');
    await store.saveObservations(found);
    await store.recordAttempt('portal', {
      observedAt: Math.max(...found.map((o) => o.observedAt)),
    });
    return {
      source: 'portal',
      ok: true,
      message:
        `${found.length}곳 저장` +
        (failed.length > 0
          ? ` · 실패해 이전 값 유지: ${failed.join(', ')} (${lastError?.message ?? ''})`
          : ''),
    };
  }

  async function refreshForecast(serviceKey: string): Promise<SourceReport | null> {
    const { name, lat, lon } = config.region;
    const cell = toGrid(lat, lon);
    const base = shortRangeForecastBase(clock.now());
    const stored = await store.forecast(name);
    // A new 단기예보 comes every three hours; between issues there is nothing to fetch.
    if (
      stored !== null &&
      stored.baseAt >= base &&
      stored.nx === cell.nx &&
      stored.ny === cell.ny
    ) {
      return null;
    }
    const answer = await portal('getVilageFcst', serviceKey, cell, base);
    const days = readShortRangeForecast(answer.items);
    if (days.length === 0) throw new WeatherSourceError('no-data', '예보 항목이 없습니다.');
    await store.saveForecast({ region: name, ...cell, baseAt: answer.base, days });
    await store.recordAttempt('forecast', { observedAt: answer.base });
    return { source: 'forecast', ok: true, message: `${name} 단기예보 ${days.length}일치 저장` };
  }

  /** Runs one source; a failure is recorded, logged once, and leaves stored data alone. */
  async function attempt(
    source: SourceName,
    run: () => Promise<SourceReport | null>,
  ): Promise<SourceReport | null> {
    try {
      return await run();
    } catch (error) {
      const failure = asSourceError(error);
      await store.recordAttempt(source, { error: failure.message });
      logger.warn(
        { source, kind: failure.kind },
        `weather ${source} refresh failed, keeping the last good data: ${failure.message}`,
      );
      return { source, ok: false, message: failure.message };
    }
  }

  return {
    /** Whether any KMA key is configured; without one the ticker shows samples. */
    get configured(): boolean {
      return config.authKey !== null || config.serviceKey !== null;
    },

    /**
     * One refresh of every source. The background job runs it every few minutes under a
     * database claim so only one app server does; `force` (CLI, admin) skips the claim.
     */
    async refresh(options: { force?: boolean } = {}): Promise<RefreshReport> {
      if (!options.force) {
        const now = clock.now();
        // Hold the claim for most of the interval, so the next server's turn comes on time.
        const until = now + Math.floor(config.refreshMinutes * 60_000 * 0.9);
        if (!(await claimJob(db, { name: JOB, owner, now, until })))
          return { ran: false, sources: [] };
      }
      const places = await store.places();
      const { authKey, serviceKey } = config;
      const stations = places.filter((p) => p.kind === 'station');
      // Without a hub key, stations fall back to the grid nowcast at their coordinates.
      const gridPlaces = authKey === null ? places : places.filter((p) => p.kind === 'grid');
      const reports: Array<SourceReport | null> = [];
      if (authKey !== null && stations.length > 0) {
        reports.push(await attempt('hub', () => refreshHub(authKey, stations)));
      }
      if (serviceKey !== null) {
        if (gridPlaces.length > 0) {
          reports.push(await attempt('portal', () => refreshPortal(serviceKey, gridPlaces)));
        }
        reports.push(await attempt('forecast', () => refreshForecast(serviceKey)));
      }
      const sources = reports.filter((r) => r !== null);
      // Whoever asked (the admin, the CLI) expects the pages to show it now; the background
      // refresh leaves cached pages to expire.
      if (options.force && sources.some((r) => r.ok) && deps.onChange !== undefined)
        await deps.onChange([tag.weather]);
      return { ran: true, sources };
    },

    /** Asks KMA for one place now and shows what came back; stores nothing. */
    async testPlace(place: WeatherPlace): Promise<PlaceTest> {
      try {
        if (place.kind === 'station' && config.authKey !== null) {
          const answer = await hubAnswer(config.authKey);
          const o = answer.observations.get(place.station);
          if (o === undefined) {
            return {
              ok: false,
              place,
              error: `응답에 ${stationName(place)} 지점 자료가 없습니다.`,
            };
          }
          return {
            ok: true,
            place,
            sky: o.sky,
            temperature: o.temperature,
            observedAt: o.observedAt,
            details: [
              ['자료', '기상청 API 허브 지상관측(kma_sfctm2)'],
              ['TA 기온', o.temperature === null ? '결측' : `${o.temperature}℃`],
              ['CA_TOT 전운량', o.cloudCover === null ? '결측' : `${o.cloudCover}/10`],
              [
                'WC 현재일기(WMO 4677)',
                o.presentWeather === null ? '결측' : String(o.presentWeather),
              ],
              ['WW 국내식 일기코드', o.domesticWeather ?? '없음'],
            ],
          };
        }
        if (config.serviceKey === null) {
          return {
            ok: false,
            place,
            error:
              place.kind === 'grid'
                ? '좌표로 추가한 장소는 공공데이터포털 서비스 키(TAMNA_KMA_SERVICE_KEY)가 있어야 확인할 수 있습니다.'
                : '기상청 키가 설정되지 않았습니다(TAMNA_KMA_AUTH_KEY 또는 TAMNA_KMA_SERVICE_KEY).',
          };
        }
        const cell = cellOf(place);
        const weather = await gridWeather(config.serviceKey, cell);
        return {
          ok: true,
          place,
          sky: weather.sky,
          temperature: weather.nowcast.temperature,
          observedAt: weather.nowcast.observedAt,
          details: [
            ['자료', `공공데이터포털 초단기실황·초단기예보, 격자 ${cell.nx},${cell.ny}`],
            [
              'T1H 기온',
              weather.nowcast.temperature === null ? '결측' : `${weather.nowcast.temperature}℃`,
            ],
            [
              'PTY 강수형태',
              weather.nowcast.precipitation === null
                ? '결측'
                : String(weather.nowcast.precipitation),
            ],
            ['SKY 하늘상태', weather.skyCode === null ? '없음' : String(weather.skyCode)],
          ],
        };
      } catch (error) {
        return { ok: false, place, error: asSourceError(error).message };
      }
    },
  };
}

function observationOf(place: WeatherPlace, o: StationObservation): NewObservation {
  return {
    place,
    sky: o.sky,
    temperature: o.temperature,
    observedAt: o.observedAt,
    source: 'kma-hub',
  };
}

function asSourceError(error: unknown): WeatherSourceError {
  if (error instanceof WeatherSourceError) return error;
  return new WeatherSourceError('format', error instanceof Error ? error.message : String(error));
}

export type WeatherRefresher = ReturnType<typeof createWeatherRefresher>;
