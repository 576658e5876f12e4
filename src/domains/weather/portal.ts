import { excerpt, looksLikeHtml, WeatherSourceError } from './source-error.ts';

/**
 * The public data portal's VilageFcstInfoService_2.0 (단기예보 조회서비스): JSON answers
 * on a 5 km grid, issued at fixed KST times. Errors arrive as HTTP 200 with a resultCode
 * other than "00", and key errors as XML even when JSON was asked for.
 */
export type PortalOperation = 'getUltraSrtNcst' | 'getUltraSrtFcst' | 'getVilageFcst';

export interface PortalItem {
  category: string;
  baseDate: string;
  baseTime: string;
  /** Nowcast value (getUltraSrtNcst). */
  obsrValue?: string;
  /** Forecast time and value (getUltraSrtFcst, getVilageFcst). */
  fcstDate?: string;
  fcstTime?: string;
  fcstValue?: string;
}

const HOUR = 60 * 60 * 1000;
const KST = 9 * HOUR;

/** KST wall-clock parts of an instant. */
function kst(at: number): { y: number; mo: number; d: number; h: number; mi: number } {
  const t = new Date(at + KST);
  return {
    y: t.getUTCFullYear(),
    mo: t.getUTCMonth() + 1,
    d: t.getUTCDate(),
    h: t.getUTCHours(),
    mi: t.getUTCMinutes(),
  };
}

/** The instant of a KST date and time. */
function kstInstant(y: number, mo: number, d: number, h: number, mi: number): number {
  return Date.UTC(y, mo - 1, d, h, mi) - KST;
}

/**
 * 초단기실황 (nowcast): made on the hour, served from ten past. Before ten past, the
 * latest one is the previous hour's — at 00:05 that is 23:00 of the day before.
 */
export function nowcastBase(now: number): number {
  const t = kst(now);
  const base = kstInstant(t.y, t.mo, t.d, t.h, 0);
  return t.mi >= 10 ? base : base - HOUR;
}

/** 초단기예보: issued at half past, served from quarter to. */
export function ultraShortForecastBase(now: number): number {
  const t = kst(now);
  const base = kstInstant(t.y, t.mo, t.d, t.h, 30);
  return t.mi >= 45 ? base : base - HOUR;
}

const SHORT_RANGE_HOURS = [2, 5, 8, 11, 14, 17, 20, 23];

/** 단기예보: issued at 02, 05, …, 23 KST, served from ten past. Before 02:10, yesterday 23:00. */
export function shortRangeForecastBase(now: number): number {
  const t = kst(now);
  const minutes = t.h * 60 + t.mi;
  const issued = SHORT_RANGE_HOURS.filter((h) => minutes >= h * 60 + 10);
  const hour = issued.at(-1);
  if (hour === undefined) return kstInstant(t.y, t.mo, t.d, 23, 0) - 24 * HOUR;
  return kstInstant(t.y, t.mo, t.d, hour, 0);
}

/** One issue earlier, for NO_DATA answers (the newest issue is sometimes late). */
export function previousBase(operation: PortalOperation, base: number): number {
  return base - (operation === 'getVilageFcst' ? 3 : 1) * HOUR;
}

/** `base_date` (YYYYMMDD) and `base_time` (HHMM) of a base instant. */
export function baseParams(base: number): { base_date: string; base_time: string } {
  const t = kst(base);
  const p = (n: number) => String(n).padStart(2, '0');
  return { base_date: `${t.y}${p(t.mo)}${p(t.d)}`, base_time: `${p(t.h)}${p(t.mi)}` };
}

/** The instant of a portal date (YYYYMMDD) and time (HHMM), or null. */
export function portalInstant(date: string, time: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(date);
  const n = /^(\d{2})(\d{2})$/.exec(time);
  if (m === null || n === null) return null;
  return kstInstant(Number(m[1]), Number(m[2]), Number(m[3]), Number(n[1]), Number(n[2]));
}

/**
 * The portal hands out keys in two forms, "Encoding" (already percent-encoded) and
 * "Decoding". Accept either: decode the first so URLSearchParams encodes it exactly once.
 */
export function normalizeServiceKey(key: string): string {
  if (!/%[0-9A-Fa-f]{2}/.test(key)) return key;
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

export function portalRequestUrl(
  baseUrl: string,
  operation: PortalOperation,
  serviceKey: string,
  params: { base: number; nx: number; ny: number; rows?: number },
): string {
  const url = new URL(operation, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  const search = url.searchParams;
  search.set('serviceKey', normalizeServiceKey(serviceKey));
  search.set('pageNo', '1');
  search.set('numOfRows', String(params.rows ?? 1000));
  search.set('dataType', 'JSON');
  const { base_date, base_time } = baseParams(params.base);
  search.set('base_date', base_date);
  search.set('base_time', base_time);
  search.set('nx', String(params.nx));
  search.set('ny', String(params.ny));
  return url.toString();
}

// Result codes of the data portal's OpenAPI gateway and of the service itself.
const AUTH_CODES = new Set(['20', '21', '22', '30', '31', '32', '33']);
const RETRY_CODES = new Set(['04', '05']);
const CODE_TEXT: Record<string, string> = {
  '01': '서비스 내부 오류',
  '02': '데이터베이스 오류',
  '03': '자료 없음',
  '04': 'HTTP 오류',
  '05': '서비스 연결 시간 초과',
  '10': '요청 인자가 잘못되었습니다',
  '11': '필수 요청 인자가 없습니다',
  '12': '해당 오픈API 서비스가 없거나 폐기되었습니다',
  '20': '서비스 접근이 거부되었습니다',
  '21': '일시적으로 사용할 수 없는 서비스 키입니다',
  '22': '서비스 요청 한도를 넘었습니다',
  '30': '등록되지 않은 서비스 키입니다',
  '31': '기한이 지난 서비스 키입니다',
  '32': '등록되지 않은 IP입니다',
  '33': '서명되지 않은 호출입니다',
  '99': '알 수 없는 오류',
};

function resultError(code: string, message: string): WeatherSourceError {
  const kind =
    code === '03'
      ? 'no-data'
      : AUTH_CODES.has(code)
        ? 'auth'
        : RETRY_CODES.has(code)
          ? 'http'
          : 'format';
  const text = CODE_TEXT[code];
  const detail = message === '' ? '' : ` (${message})`;
  return new WeatherSourceError(
    kind,
    `공공데이터포털 오류 ${code}: ${text ?? '알 수 없는 코드'}${detail}`,
  );
}

function xmlTag(body: string, tag: string): string | null {
  const m = new RegExp(`<${tag}>\\s*([^<]*?)\\s*</${tag}>`).exec(body);
  return m === null ? null : (m[1] ?? '');
}

/**
 * Reads one answer into its items; throws WeatherSourceError for every kind of error
 * answer. XML is only ever an error here (we always ask for JSON), so two or three tags
 * are read with a pattern rather than a full XML parser.
 */
export function parsePortalAnswer(body: string): PortalItem[] {
  const text = body.trim();
  if (text === '') throw new WeatherSourceError('format', '빈 응답이 왔습니다.');
  if (looksLikeHtml(text)) {
    throw new WeatherSourceError('format', `자료 대신 HTML 페이지가 왔습니다: ${excerpt(text)}`);
  }
  if (text.startsWith('<')) {
    const reason = xmlTag(text, 'returnReasonCode');
    if (reason !== null) {
      const code = reason.padStart(2, '0');
      throw resultError(code, xmlTag(text, 'returnAuthMsg') ?? xmlTag(text, 'errMsg') ?? '');
    }
    const code = xmlTag(text, 'resultCode');
    if (code !== null) {
      if (code === '00') {
        throw new WeatherSourceError('format', 'JSON 대신 XML 자료가 왔습니다.');
      }
      throw resultError(code, xmlTag(text, 'resultMsg') ?? '');
    }
    throw new WeatherSourceError('format', `알 수 없는 XML 응답입니다: ${excerpt(text)}`);
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new WeatherSourceError('format', `JSON으로 읽을 수 없는 응답입니다: ${excerpt(text)}`);
  }
  const response = field(parsed, 'response');
  const header = field(response, 'header');
  const code = field(header, 'resultCode');
  if (typeof code !== 'string') {
    throw new WeatherSourceError('format', `resultCode가 없는 응답입니다: ${excerpt(text)}`);
  }
  if (code !== '00') {
    const message = field(header, 'resultMsg');
    throw resultError(code, typeof message === 'string' ? message : '');
  }
  const items = field(field(field(response, 'body'), 'items'), 'item');
  const list = Array.isArray(items) ? items : items === undefined ? [] : [items];
  const result: PortalItem[] = [];
  for (const item of list) {
    const category = field(item, 'category');
    const baseDate = field(item, 'baseDate');
    const baseTime = field(item, 'baseTime');
    if (
      typeof category !== 'string' ||
      typeof baseDate !== 'string' ||
      typeof baseTime !== 'string'
    )
      continue;
    result.push({
      category,
      baseDate,
      baseTime,
      obsrValue: stringValue(field(item, 'obsrValue')),
      fcstDate: stringValue(field(item, 'fcstDate')),
      fcstTime: stringValue(field(item, 'fcstTime')),
      fcstValue: stringValue(field(item, 'fcstValue')),
    });
  }
  if (result.length === 0) throw new WeatherSourceError('no-data', '자료 항목이 비어 있습니다.');
  return result;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function stringValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** A numeric value; the portal writes "강수없음" and "1.0mm" style text for some fields. */
export function portalNumber(value: string | undefined): number | null {
  if (value === undefined) return null;
  const m = /^\s*(-?\d+(?:\.\d+)?)/.exec(value);
  if (m === null) return null;
  const n = Number(m[1]);
  // The portal marks missing values with ±900 and beyond.
  return Math.abs(n) >= 900 ? null : n;
}

export interface Nowcast {
  observedAt: number;
  temperature: number | null;
  precipitation: number | null;
}

export function readNowcast(items: readonly PortalItem[]): Nowcast {
  const value = (category: string) =>
    portalNumber(items.find((i) => i.category === category)?.obsrValue);
  const first = items[0];
  const observedAt = first === undefined ? null : portalInstant(first.baseDate, first.baseTime);
  if (observedAt === null)
    throw new WeatherSourceError('format', '실황 발표 시각을 읽을 수 없습니다.');
  return { observedAt, temperature: value('T1H'), precipitation: value('PTY') };
}

/** The value of a forecast category for the first forecast hour at or after `from`. */
export function forecastValueAt(
  items: readonly PortalItem[],
  category: string,
  from: number,
): number | null {
  let best: { at: number; value: number | null } | null = null;
  for (const item of items) {
    if (item.category !== category || item.fcstDate === undefined || item.fcstTime === undefined)
      continue;
    const at = portalInstant(item.fcstDate, item.fcstTime);
    if (at === null || at < from) continue;
    if (best === null || at < best.at) best = { at, value: portalNumber(item.fcstValue) };
  }
  return best?.value ?? null;
}

export interface ForecastHour {
  at: number;
  temperature: number | null;
  sky: number | null;
  precipitation: number | null;
  /** Probability of precipitation, %. */
  chance: number | null;
}

export interface ForecastDay {
  /** YYYYMMDD (KST). */
  date: string;
  min: number | null;
  max: number | null;
  hours: ForecastHour[];
}

/** 단기예보 items → days with hourly rows and the day's 최저/최고 (TMN/TMX). */
export function readShortRangeForecast(items: readonly PortalItem[]): ForecastDay[] {
  const days = new Map<
    string,
    { min: number | null; max: number | null; hours: Map<number, ForecastHour> }
  >();
  for (const item of items) {
    if (item.fcstDate === undefined || item.fcstTime === undefined) continue;
    const at = portalInstant(item.fcstDate, item.fcstTime);
    if (at === null) continue;
    let day = days.get(item.fcstDate);
    if (day === undefined) {
      day = { min: null, max: null, hours: new Map() };
      days.set(item.fcstDate, day);
    }
    const value = portalNumber(item.fcstValue);
    if (item.category === 'TMN') day.min = value;
    else if (item.category === 'TMX') day.max = value;
    else {
      const key = item.category;
      if (key !== 'TMP' && key !== 'SKY' && key !== 'PTY' && key !== 'POP') continue;
      let hour = day.hours.get(at);
      if (hour === undefined) {
        hour = { at, temperature: null, sky: null, precipitation: null, chance: null };
        day.hours.set(at, hour);
      }
      if (key === 'TMP') hour.temperature = value;
      else if (key === 'SKY') hour.sky = value;
      else if (key === 'PTY') hour.precipitation = value;
      else hour.chance = value;
    }
  }
  return [...days.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, day]) => ({
      date,
      min: day.min,
      max: day.max,
      hours: [...day.hours.values()].sort((a, b) => a.at - b.at),
    }));
}
