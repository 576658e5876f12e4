import { bodyMessage, excerpt, looksLikeHtml, WeatherSourceError } from './source-error.ts';
import { stationSky } from './sky.ts';

/**
 * KMA API hub, hourly surface observations (kma_sfctm2.php): fixed-width text, `#`
 * header lines, data rows between `#START7777` and `#7777END`, 46 whitespace-separated
 * fields per row. All stations come in one answer (stn=0).
 */
export const HUB_PATH = '/api/typ01/url/kma_sfctm2.php';

const FIELD_COUNT = 46;
const TM = 0;
const STN = 1;
const TA = 11;
const WC = 22; // GTS present weather, WMO code table 4677
const WW = 24; // domestic weather codes; not interpreted (see sky.ts)
const CA_TOT = 25;

export interface StationObservation {
  station: number;
  /** Observation time, epoch ms (the answer is in KST). */
  observedAt: number;
  /** ℃; null when the station reported none. */
  temperature: number | null;
  /** Total cloud cover in tenths. */
  cloudCover: number | null;
  /** WMO 4677 present weather. */
  presentWeather: number | null;
  /** The domestic weather string as sent, for the admin's "test now". */
  domesticWeather: string | null;
  sky: string | null;
}

export interface HubAnswer {
  observations: Map<number, StationObservation>;
  /** Data rows that did not have the expected shape. */
  skippedRows: number;
}

/** The request for the latest hour (no `tm`), or for a given KST hour (`YYYYMMDDHHMI`). */
export function hubRequestUrl(baseUrl: string, authKey: string, tm?: string): string {
  const url = new URL(HUB_PATH.slice(1), ensureTrailingSlash(baseUrl));
  if (tm !== undefined) url.searchParams.set('tm', tm);
  url.searchParams.set('stn', '0');
  url.searchParams.set('help', '0');
  url.searchParams.set('authKey', authKey);
  return url.toString();
}

function ensureTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/**
 * Missing values: -9 / -9.0 in most columns. Temperature is different: -9.0 ℃ is a
 * real winter reading, and KMA marks a missing TA with -99.0, so only that is missing.
 */
function number(field: string | undefined, missingBelow: number): number | null {
  if (field === undefined || !/^-?\d+(\.\d+)?$/.test(field)) return null;
  const value = Number(field);
  return value <= missingBelow ? null : value;
}

function kstTime(tm: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(tm);
  if (m === null) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (h > 23 || mi > 59) return null;
  // Date.UTC rolls 31 February over into March: such a row is not a real time.
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d)
    return null;
  return Date.UTC(y, mo - 1, d, h - 9, mi);
}

/** Reads one answer; throws WeatherSourceError when it holds no observations. */
export function parseHubAnswer(body: string): HubAnswer {
  if (body.trim() === '') throw new WeatherSourceError('format', '빈 응답이 왔습니다.');
  if (looksLikeHtml(body)) {
    throw new WeatherSourceError('format', `자료 대신 HTML 페이지가 왔습니다: ${excerpt(body)}`);
  }
  const lines = body.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim().startsWith('#START7777'));
  if (start < 0) throw unreadable(body);
  const end = lines.findIndex((l, i) => i > start && l.trim().startsWith('#7777END'));
  if (end < 0) {
    throw new WeatherSourceError('format', '응답이 중간에 끊겼습니다(#7777END 없음).');
  }

  const observations = new Map<number, StationObservation>();
  let skippedRows = 0;
  for (const line of lines.slice(start + 1, end)) {
    const text = line.trim();
    if (text === '' || text.startsWith('#')) continue;
    const fields = text.split(/\s+/);
    const observedAt = kstTime(fields[TM] ?? '');
    const station = Number(fields[STN]);
    if (fields.length !== FIELD_COUNT || observedAt === null || !Number.isInteger(station)) {
      skippedRows++;
      continue;
    }
    const cloudValue = number(fields[CA_TOT], -1);
    const weatherValue = number(fields[WC], -1);
    const cloudCover = cloudValue !== null && Number.isInteger(cloudValue) ? cloudValue : null;
    const presentWeather =
      weatherValue !== null && Number.isInteger(weatherValue) ? weatherValue : null;
    const ww = fields[WW] ?? '';
    observations.set(station, {
      station,
      observedAt,
      temperature: number(fields[TA], -99),
      cloudCover,
      presentWeather,
      domesticWeather: /^\d+$/.test(ww) ? ww : null,
      sky: stationSky(presentWeather, cloudCover),
    });
  }
  if (observations.size === 0) {
    throw new WeatherSourceError(
      'no-data',
      skippedRows > 0
        ? `관측 자료 ${skippedRows}줄을 읽지 못했습니다(형식이 다릅니다).`
        : '해당 시각의 관측 자료가 없습니다.',
    );
  }
  return { observations, skippedRows };
}

/** What a body without a data block says: a key error in JSON, or plain text. */
function unreadable(body: string): WeatherSourceError {
  const message = bodyMessage(body);
  const isJson = message !== excerpt(body);
  return new WeatherSourceError(
    authLike(message) ? 'auth' : 'format',
    isJson ? message : `관측 자료 형식이 아닙니다: ${message}`,
  );
}

export function authLike(text: string): boolean {
  return /auth|인증|key|키/i.test(text);
}
