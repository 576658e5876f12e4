/** Data the public site's browser tests share: 많이 본 뉴스 readers and a weather forecast. */
import type { ForecastDay } from '../domains/weather/index.ts';
import { kstParts } from '../shared/kst.ts';
import type { TestApp } from './app.ts';

const HOUR = 60 * 60 * 1000;

/** A short-range forecast issued an hour ago, for today and the next two days (KST). */
export function forecastAround(now: number): { baseAt: number; days: ForecastDay[] } {
  const baseAt = now - (now % HOUR) - HOUR;
  const days = new Map<string, ForecastDay>();
  for (let at = baseAt - 12 * HOUR; at < now + 60 * HOUR; at += HOUR) {
    const p = kstParts(at);
    const date = `${p.year}${String(p.month).padStart(2, '0')}${String(p.day).padStart(2, '0')}`;
    let day = days.get(date);
    if (day === undefined) {
      day = { date, min: -1.5 + days.size, max: 8 + days.size, hours: [] };
      days.set(date, day);
    }
    const wet = p.hour >= 15 && p.hour <= 19;
    day.hours.push({
      at,
      temperature: 2 + Math.round(6 * Math.sin(((p.hour - 8) / 24) * Math.PI * 2)),
      sky: p.hour % 5 === 0 ? 4 : p.hour % 3 === 0 ? 3 : 1,
      precipitation: wet ? (p.hour === 17 ? 2 : 1) : 0,
      chance: wet ? 70 : p.hour % 4 === 0 ? 30 : 10,
    });
  }
  return { baseAt, days: [...days.values()] };
}

/**
 * Readers for 많이 본 뉴스: every other article read today, the others three days ago (in
 * the 7-day list only), fewer readers for each newer one.
 */
export async function seedReadings(app: TestApp): Promise<void> {
  const start = app.clock.now();
  const articles = await app.services.content.latestPublished(24);
  for (const [i, article] of articles.entries()) {
    app.clock.set(i % 2 === 0 ? start : start - 72 * HOUR);
    for (let n = 0; n < 30 - i; n++) {
      app.services.readers.recordView({
        articleId: article.id,
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36',
        ip: `192.0.2.${n}`,
      });
    }
  }
  app.clock.set(start);
  await app.services.readers.flush();
}
