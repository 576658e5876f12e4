import { gridSky, type StoredForecast } from '../../domains/weather/index.ts';
import { kstParts } from '../../shared/kst.ts';
import type { ForecastDayView, ForecastView } from '../../views/model.ts';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/**
 * KMA issues the short-range forecast every three hours; one issued longer ago than this
 * means the refresh has been failing, and the page leaves it out rather than show it.
 */
export const FORECAST_STALE_AFTER_MS = 12 * HOUR_MS;

/** Weather is refreshed every ten minutes: a cached /weather page never outlives that. */
export const WEATHER_PAGE_MAX_AGE_MS = 10 * 60 * 1000;

/** `20251209`: the KST calendar date, as the forecast's days are keyed. */
function kstDateKey(ms: number): string {
  const p = kstParts(ms);
  return `${p.year}${String(p.month).padStart(2, '0')}${String(p.day).padStart(2, '0')}`;
}

export interface ForecastForPage {
  /** What the page shows, or null when there is nothing current to show. */
  view: ForecastView | null;
  /**
   * The next instant the view would differ with the same data (the first hour shown for
   * today passes, the forecast turns stale), or null. The midnight change is the page
   * cache's own rule.
   */
  changesAt: number | null;
}

/**
 * Today's remaining hours and tomorrow's, with codes turned into the labels the ticker
 * uses (precipitation wins over the sky). A forecast older than twelve hours is dropped.
 */
export function forecastForPage(forecast: StoredForecast | null, now: number): ForecastForPage {
  if (forecast === null) return { view: null, changesAt: null };
  const staleAt = forecast.baseAt + FORECAST_STALE_AFTER_MS + 1;
  if (now >= staleAt) return { view: null, changesAt: null };
  let changesAt = staleAt;

  const wanted = [
    { key: kstDateKey(now), at: now, relative: '오늘' as const },
    { key: kstDateKey(now + DAY_MS), at: now + DAY_MS, relative: '내일' as const },
  ];
  const days: ForecastDayView[] = [];
  for (const want of wanted) {
    const day = forecast.days.find((d) => d.date === want.key);
    if (day === undefined) continue;
    const hours = day.hours
      .filter((h) => h.at > now)
      .sort((a, b) => a.at - b.at)
      .map((h) => ({
        at: h.at,
        sky: gridSky(h.precipitation, h.sky),
        temperature: h.temperature,
        chance: h.chance,
      }));
    if (hours.length === 0 && day.min === null && day.max === null) continue;
    const first = hours[0];
    if (want.relative === '오늘' && first !== undefined) changesAt = Math.min(changesAt, first.at);
    days.push({ at: want.at, relative: want.relative, min: day.min, max: day.max, hours });
  }
  if (days.length === 0) return { view: null, changesAt: staleAt };
  return { view: { region: forecast.region, issuedAt: forecast.baseAt, days }, changesAt };
}
