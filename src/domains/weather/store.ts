import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { keptValue } from '../../shared/kept.ts';
import { defaultPlaces } from './places.ts';

export interface TickerPlace {
  name: string;
  sky: string;
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

/** Observations older than this are not presented as current weather. */
export const STALE_AFTER_MS = 3 * 60 * 60 * 1000;

export interface WeatherStoreDeps {
  db: Kysely<Database>;
  clock: Clock;
}

/** Weather changes every ten minutes at most; pages need the ticker on every render. */
const TICKER_KEPT_MS = 30_000;

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
      .selectFrom('weather_observations')
      .select(['place_name', 'sky', 'temperature', 'observed_at', 'source'])
      .orderBy('position')
      .execute();
    const isSample = rows.length > 0 && rows.every((r) => r.source === 'sample');
    const current = isSample
      ? rows
      : rows.filter((r) => r.source !== 'sample' && now - r.observed_at <= STALE_AFTER_MS);
    if (current.length === 0) return null;
    return {
      places: current.map((r) => ({
        name: r.place_name,
        sky: r.sky,
        temperature: r.temperature,
      })),
      observedAt: Math.min(...current.map((r) => r.observed_at)),
      isSample,
    };
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

    /**
     * Stores sample observations for the default places, for the demo and for sites with
     * no KMA key. They are marked source='sample' and the ticker labels them 예시.
     */
    async storeSample(): Promise<void> {
      const now = clock.now();
      const observedAt = now - (now % (60 * 60 * 1000));
      const sample: Array<[string, number]> = [
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
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('weather_observations').where('source', '=', 'sample').execute();
        await trx
          .insertInto('weather_observations')
          .values(
            defaultPlaces.map((place, position) => {
              const [sky, temperature] = sample[position] ?? ['맑음', 0];
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
          .execute();
      });
      kept.forget();
    },
  };
}

export type WeatherStore = ReturnType<typeof createWeatherStore>;
