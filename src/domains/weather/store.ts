import type { Kysely } from 'kysely';
import type { Database, WeatherPlaceTable } from '../../db/index.ts';
import { tag, type CacheTag } from '../../shared/cache-tags.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError, invalidInput, notFound } from '../../shared/errors.ts';
import { keptValue } from '../../shared/kept.ts';
import type { ForecastDay } from './portal.ts';
import type { WeatherPlace } from './places.ts';

export interface TickerPlace {
  name: string;
  /** The sky label, or null when the source reported neither weather nor cloud cover. */
  sky: string | null;
  /** ℃, or null when the station reported no temperature. */
  temperature: number | null;
}

export interface WeatherTicker {
  places: TickerPlace[];
  /** The oldest observation time shown, epoch ms. */
  observedAt: number;
  /** Sample data, not an observation: the page must say so. */
  isSample: boolean;
}

export type SourceName = 'hub' | 'portal' | 'forecast';

export interface SourceStatus {
  source: SourceName;
  attemptedAt: number;
  succeededAt: number | null;
  error: string | null;
  observedAt: number | null;
}

export interface StoredObservation {
  placeId: string;
  sky: string | null;
  temperature: number | null;
  observedAt: number;
  source: string;
  fetchedAt: number;
}

export interface NewObservation {
  place: WeatherPlace;
  sky: string | null;
  temperature: number | null;
  observedAt: number;
  source: 'kma-hub' | 'kma-portal';
}

export interface StoredForecast {
  region: string;
  nx: number;
  ny: number;
  baseAt: number;
  fetchedAt: number;
  days: ForecastDay[];
}

/** Observations older than this are not presented as current weather. */
export const STALE_AFTER_MS = 3 * 60 * 60 * 1000;

/** A paper's ticker, not a weather portal: a limit keeps the strip and the refresh small. */
export const MAX_PLACES = 40;

export interface WeatherStoreDeps {
  db: Kysely<Database>;
  clock: Clock;
  /**
   * Called after an editor's change (places, sample readings) with the cache tags it
   * affects: the ticker is on every page, so every cached page goes.
   */
  onChange?: (tags: readonly CacheTag[]) => void | Promise<void>;
}

/** Weather changes every ten minutes at most; pages need the ticker on every render. */
const TICKER_KEPT_MS = 30_000;

// Sample readings for the demo and for papers without a key, cycled over the place list.
const SAMPLE: ReadonlyArray<readonly [string, number]> = [
  ['구름많음', -0.4],
  ['맑음', 3.1],
  ['맑음', 2.4],
  ['구름조금', 1.8],
  ['맑음', 4.6],
  ['구름조금', 6.2],
  ['흐림', 5.0],
  ['맑음', 8.3],
  ['비', 4.1],
  ['구름조금', 9.8],
  ['구름많음', 0.7],
  ['맑음', -1.9],
  ['흐림', 0.2],
  ['구름많음', 6.5],
  ['맑음', 5.4],
  ['구름조금', 8.9],
];

function toPlace(row: WeatherPlaceTable): WeatherPlace {
  if (row.kind === 'grid' && row.nx !== null && row.ny !== null) {
    return {
      id: row.id,
      name: row.name,
      kind: 'grid',
      lat: row.lat,
      lon: row.lon,
      nx: row.nx,
      ny: row.ny,
    };
  }
  return {
    id: row.id,
    name: row.name,
    kind: 'station',
    station: row.station ?? 0,
    lat: row.lat,
    lon: row.lon,
  };
}

export function createWeatherStore(deps: WeatherStoreDeps) {
  const { db, clock } = deps;
  const kept = keptValue(
    clock,
    () => readTicker(),
    (_v, at) => at + TICKER_KEPT_MS,
  );

  async function readTicker(): Promise<WeatherTicker | null> {
    const now = clock.now();
    const rows = await db
      .selectFrom('weather_places as p')
      .innerJoin('weather_observations as o', 'o.place_id', 'p.id')
      .select(['p.name', 'o.sky', 'o.temperature', 'o.observed_at', 'o.source'])
      .orderBy('p.position')
      .execute();
    const isSample = rows.length > 0 && rows.every((r) => r.source === 'sample');
    const current = isSample
      ? rows
      : rows.filter((r) => r.source !== 'sample' && now - r.observed_at <= STALE_AFTER_MS);
    if (current.length === 0) return null;
    return {
      places: current.map((r) => ({
        name: r.name,
        sky: r.sky === '' ? null : r.sky,
        temperature: r.temperature,
      })),
      observedAt: Math.min(...current.map((r) => r.observed_at)),
      isSample,
    };
  }

  async function places(): Promise<WeatherPlace[]> {
    const rows = await db.selectFrom('weather_places').selectAll().orderBy('position').execute();
    return rows.map(toPlace);
  }

  /** An edit committed: the next render reads the ticker again, and cached pages go. */
  async function changed(): Promise<void> {
    kept.forget();
    if (deps.onChange !== undefined) await deps.onChange([tag.weather]);
  }

  return {
    /**
     * What the ticker shows: only stored data, never a call to KMA, so a slow or failing
     * source cannot delay a page. Stale real observations are dropped; sample rows are
     * always shown, labelled as samples.
     */
    ticker(): Promise<WeatherTicker | null> {
      return kept.get();
    },

    /** Drops the kept ticker (a change made elsewhere, heard as tag.weather). */
    forget(): void {
      kept.forget();
    },

    places,

    async addPlace(place: WeatherPlace): Promise<void> {
      const name = place.name.trim();
      if (name === '' || name.length > 20) {
        throw invalidInput('장소 이름은 1~20자로 써 주세요.', { field: 'name' });
      }
      const existing = await places();
      if (existing.length >= MAX_PLACES) {
        throw invalidInput(`장소는 ${MAX_PLACES}곳까지 둘 수 있습니다.`);
      }
      const same = existing.find((p) => p.id === place.id);
      if (same !== undefined) {
        throw new AppError(
          'CONFLICT',
          place.kind === 'grid'
            ? `같은 예보 격자(${place.nx},${place.ny})에 이미 '${same.name}'이(가) 있습니다.`
            : `'${same.name}' 지점은 이미 목록에 있습니다.`,
        );
      }
      const last = await db
        .selectFrom('weather_places')
        .select((eb) => eb.fn.max('position').as('position'))
        .executeTakeFirst();
      const position =
        last?.position === null || last?.position === undefined ? 0 : Number(last.position) + 1;
      await db
        .insertInto('weather_places')
        .values({
          id: place.id,
          name,
          kind: place.kind,
          station: place.kind === 'station' ? place.station : null,
          lat: place.lat,
          lon: place.lon,
          nx: place.kind === 'grid' ? place.nx : null,
          ny: place.kind === 'grid' ? place.ny : null,
          position,
          created_at: clock.now(),
        })
        .execute();
      await changed();
    },

    async removePlace(id: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const result = await trx
          .deleteFrom('weather_places')
          .where('id', '=', id)
          .executeTakeFirst();
        if (result.numDeletedRows === 0n) throw notFound('목록에 없는 장소입니다.');
        await trx.deleteFrom('weather_observations').where('place_id', '=', id).execute();
      });
      await changed();
    },

    /** Moves a place one step up (-1) or down (+1) in the ticker order. */
    async movePlace(id: string, step: -1 | 1): Promise<void> {
      const list = await places();
      const from = list.findIndex((p) => p.id === id);
      if (from < 0) throw notFound('목록에 없는 장소입니다.');
      const to = from + step;
      if (to < 0 || to >= list.length) return;
      const reordered = [...list];
      const [moved] = reordered.splice(from, 1);
      if (moved === undefined) return;
      reordered.splice(to, 0, moved);
      await db.transaction().execute(async (trx) => {
        for (const [position, place] of reordered.entries()) {
          await trx
            .updateTable('weather_places')
            .set({ position })
            .where('id', '=', place.id)
            .execute();
        }
      });
      await changed();
    },

    async observations(): Promise<Map<string, StoredObservation>> {
      const rows = await db.selectFrom('weather_observations').selectAll().execute();
      return new Map(
        rows.map((r) => [
          r.place_id,
          {
            placeId: r.place_id,
            sky: r.sky === '' ? null : r.sky,
            temperature: r.temperature,
            observedAt: r.observed_at,
            source: r.source,
            fetchedAt: r.fetched_at,
          },
        ]),
      );
    },

    /**
     * Keeps each place's newest observation: an answer older than what is stored (a late
     * mirror, a stepped-back issue) never replaces it. Real data replaces every sample.
     */
    async saveObservations(list: readonly NewObservation[]): Promise<void> {
      if (list.length === 0) return;
      const now = clock.now();
      const order = new Map((await places()).map((p, i) => [p.id, i]));
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('weather_observations').where('source', '=', 'sample').execute();
        for (const o of list) {
          await trx
            .insertInto('weather_observations')
            .values({
              place_id: o.place.id,
              place_name: o.place.name,
              position: order.get(o.place.id) ?? 0,
              sky: o.sky ?? '',
              temperature: o.temperature,
              observed_at: o.observedAt,
              source: o.source,
              fetched_at: now,
            })
            .onConflict((oc) =>
              oc
                .column('place_id')
                .doUpdateSet((eb) => ({
                  place_name: eb.ref('excluded.place_name'),
                  sky: eb.ref('excluded.sky'),
                  temperature: eb.ref('excluded.temperature'),
                  observed_at: eb.ref('excluded.observed_at'),
                  source: eb.ref('excluded.source'),
                  fetched_at: eb.ref('excluded.fetched_at'),
                }))
                .where((eb) =>
                  eb('weather_observations.observed_at', '<=', eb.ref('excluded.observed_at')),
                ),
            )
            .execute();
        }
      });
      // Readings arrive every few minutes: cached pages take them when they expire, as
      // they do the forecast, rather than all being dropped each time.
      kept.forget();
    },

    async recordAttempt(
      source: SourceName,
      result: { error: string } | { observedAt: number | null },
    ): Promise<void> {
      const now = clock.now();
      const failed = 'error' in result;
      await db
        .insertInto('weather_source_status')
        .values({
          source,
          attempted_at: now,
          succeeded_at: failed ? null : now,
          error: failed ? result.error : null,
          observed_at: failed ? null : result.observedAt,
        })
        .onConflict((oc) =>
          oc.column('source').doUpdateSet(
            failed
              ? { attempted_at: now, error: result.error }
              : {
                  attempted_at: now,
                  succeeded_at: now,
                  error: null,
                  observed_at: result.observedAt,
                },
          ),
        )
        .execute();
    },

    async sourceStatus(): Promise<SourceStatus[]> {
      const rows = await db
        .selectFrom('weather_source_status')
        .selectAll()
        .orderBy('source')
        .execute();
      return rows.map((r) => ({
        source: r.source as SourceName,
        attemptedAt: r.attempted_at,
        succeededAt: r.succeeded_at,
        error: r.error,
        observedAt: r.observed_at,
      }));
    },

    async forecast(region: string): Promise<StoredForecast | null> {
      const row = await db
        .selectFrom('weather_forecasts')
        .selectAll()
        .where('region', '=', region)
        .executeTakeFirst();
      if (row === undefined) return null;
      return {
        region: row.region,
        nx: row.nx,
        ny: row.ny,
        baseAt: row.base_at,
        fetchedAt: row.fetched_at,
        days: JSON.parse(row.days) as ForecastDay[],
      };
    },

    async saveForecast(forecast: Omit<StoredForecast, 'fetchedAt'>): Promise<void> {
      const values = {
        region: forecast.region,
        nx: forecast.nx,
        ny: forecast.ny,
        base_at: forecast.baseAt,
        fetched_at: clock.now(),
        days: JSON.stringify(forecast.days),
      };
      await db
        .insertInto('weather_forecasts')
        .values(values)
        .onConflict((oc) => oc.column('region').doUpdateSet(values))
        .execute();
    },

    /**
     * Stores sample observations for the current places, for the demo and for sites with
     * no KMA key. They are marked source='sample' and the ticker labels them 예시.
     */
    async storeSample(): Promise<void> {
      const now = clock.now();
      const observedAt = now - (now % (60 * 60 * 1000));
      const list = await places();
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('weather_observations').where('source', '=', 'sample').execute();
        if (list.length === 0) return;
        await trx
          .insertInto('weather_observations')
          .values(
            list.map((place, position) => {
              const [sky, temperature] = SAMPLE[position % SAMPLE.length] ?? ['맑음', 0];
              return {
                place_id: place.id,
                place_name: place.name,
                position,
                sky,
                temperature,
                observed_at: observedAt,
                source: 'sample',
                fetched_at: now,
              };
            }),
          )
          .onConflict((oc) => oc.column('place_id').doNothing())
          .execute();
      });
      await changed();
    },
  };
}

export type WeatherStore = ReturnType<typeof createWeatherStore>;
