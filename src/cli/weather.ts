import pino from 'pino';
import { createNewsroom } from '../app.ts';
import type { Config } from '../config/index.ts';
import { toGrid } from '../domains/weather/index.ts';
import { formatKstHour } from '../shared/kst.ts';
import type { CliIo } from './run.ts';

export type WeatherCommand =
  { action: 'refresh' } | { action: 'grid'; lat: number; lon: number } | { usage: string };

const USAGE = 'weather needs "refresh" or "grid <lat> <lon>", e.g. tamna weather grid 33.51 126.53';

export function parseWeatherCommand(positionals: string[]): WeatherCommand {
  const [action, ...rest] = positionals;
  if (action === 'refresh' && rest.length === 0) return { action: 'refresh' };
  if (action === 'grid') {
    if (rest.length !== 2) return { usage: USAGE };
    const [lat, lon] = rest.map((v) => (/^-?\d+(\.\d+)?$/.test(v ?? '') ? Number(v) : NaN));
    if (lat === undefined || Number.isNaN(lat) || lat < -90 || lat > 90)
      return { usage: `latitude "${rest[0]}" must be a number of degrees between -90 and 90` };
    if (lon === undefined || Number.isNaN(lon) || lon < -180 || lon > 180)
      return { usage: `longitude "${rest[1]}" must be a number of degrees between -180 and 180` };
    return { action: 'grid', lat, lon };
  }
  return { usage: USAGE };
}

/**
 * `tamna weather refresh`: one refresh of every configured KMA source now, whatever the
 * background job's schedule; prints what was stored or why each source failed.
 * `tamna weather grid LAT LON`: the forecast grid cell, `nx ny`.
 */
export async function weatherCommand(
  config: Config,
  command: Exclude<WeatherCommand, { usage: string }>,
  io: CliIo,
): Promise<number> {
  if (command.action === 'grid') {
    const { nx, ny } = toGrid(command.lat, command.lon);
    io.out(`${nx} ${ny}`);
    return 0;
  }
  const app = await createNewsroom(config, { logger: pino({ level: 'silent' }) });
  try {
    const sources = app.services.weatherSources;
    if (!sources.configured) {
      io.err(
        'No KMA key is set: set TAMNA_KMA_AUTH_KEY (API hub) or TAMNA_KMA_SERVICE_KEY (data portal). The ticker shows sample data marked 예시 until then.',
      );
      return 1;
    }
    const report = await sources.refresh({ force: true });
    for (const s of report.sources)
      (s.ok ? io.out : io.err)(`${s.source}: ${s.ok ? 'ok' : 'failed'} — ${s.message}`);
    const ticker = await app.services.weather.ticker();
    if (ticker !== null && !ticker.isSample) {
      io.out(
        `Ticker: ${ticker.places.length} places, observed ${formatKstHour(ticker.observedAt)} KST.`,
      );
    }
    return report.sources.every((s) => s.ok) ? 0 : 1;
  } finally {
    await app.close();
  }
}
