import { describe, expect, it } from 'vitest';
import {
  baseParams,
  forecastValueAt,
  normalizeServiceKey,
  nowcastBase,
  parsePortalAnswer,
  portalInstant,
  portalNumber,
  portalRequestUrl,
  previousBase,
  readNowcast,
  readShortRangeForecast,
  shortRangeForecastBase,
  ultraShortForecastBase,
  type PortalItem,
} from './portal.ts';
import { WeatherSourceError } from './source-error.ts';

const HOUR = 60 * 60 * 1000;

/** The instant of a KST (UTC+9) wall-clock time. */
function kst(y: number, mo: number, d: number, h: number, mi: number): number {
  return Date.UTC(y, mo - 1, d, h - 9, mi);
}

function caught(fn: () => unknown): WeatherSourceError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WeatherSourceError);
    return error as WeatherSourceError;
  }
  throw new Error('expected a WeatherSourceError, nothing was thrown');
}

describe('nowcastBase (초단기실황)', () => {
  it('uses the previous hour before ten past', () => {
    expect(nowcastBase(kst(2025, 12, 9, 14, 9))).toBe(kst(2025, 12, 9, 13, 0));
    expect(nowcastBase(kst(2025, 12, 9, 14, 0))).toBe(kst(2025, 12, 9, 13, 0));
  });

  it('uses this hour from ten past', () => {
    expect(nowcastBase(kst(2025, 12, 9, 14, 10))).toBe(kst(2025, 12, 9, 14, 0));
    expect(nowcastBase(kst(2025, 12, 9, 14, 59))).toBe(kst(2025, 12, 9, 14, 0));
  });

  it('ignores seconds', () => {
    expect(nowcastBase(kst(2025, 12, 9, 14, 9) + 59_999)).toBe(kst(2025, 12, 9, 13, 0));
  });

  it('goes back to 23:00 of the previous year just after midnight on 1 January', () => {
    expect(nowcastBase(kst(2026, 1, 1, 0, 5))).toBe(kst(2025, 12, 31, 23, 0));
    expect(baseParams(nowcastBase(kst(2026, 1, 1, 0, 5)))).toEqual({
      base_date: '20251231',
      base_time: '2300',
    });
  });

  it('works in KST even when the UTC date differs', () => {
    // 08:30 KST is 23:30 UTC of the day before.
    expect(nowcastBase(kst(2025, 12, 10, 8, 30))).toBe(kst(2025, 12, 10, 8, 0));
  });
});

describe('ultraShortForecastBase (초단기예보)', () => {
  it('uses the previous half past before quarter to', () => {
    expect(ultraShortForecastBase(kst(2025, 12, 9, 14, 44))).toBe(kst(2025, 12, 9, 13, 30));
    expect(ultraShortForecastBase(kst(2025, 12, 9, 14, 0))).toBe(kst(2025, 12, 9, 13, 30));
  });

  it('uses this half past from quarter to', () => {
    expect(ultraShortForecastBase(kst(2025, 12, 9, 14, 45))).toBe(kst(2025, 12, 9, 14, 30));
    expect(ultraShortForecastBase(kst(2025, 12, 9, 14, 59))).toBe(kst(2025, 12, 9, 14, 30));
  });

  it('goes back to 23:30 of the day before just after midnight', () => {
    expect(ultraShortForecastBase(kst(2025, 12, 9, 0, 20))).toBe(kst(2025, 12, 8, 23, 30));
    expect(ultraShortForecastBase(kst(2025, 3, 1, 0, 20))).toBe(kst(2025, 2, 28, 23, 30));
  });
});

describe('shortRangeForecastBase (단기예보)', () => {
  type Moment = [y: number, mo: number, d: number, h: number, mi: number];
  const cases: Array<[name: string, now: Moment, base: Moment]> = [
    ['02:09', [2025, 12, 9, 2, 9], [2025, 12, 8, 23, 0]],
    ['02:10', [2025, 12, 9, 2, 10], [2025, 12, 9, 2, 0]],
    ['05:09', [2025, 12, 9, 5, 9], [2025, 12, 9, 2, 0]],
    ['05:10', [2025, 12, 9, 5, 10], [2025, 12, 9, 5, 0]],
    ['13:59', [2025, 12, 9, 13, 59], [2025, 12, 9, 11, 0]],
    ['14:09', [2025, 12, 9, 14, 9], [2025, 12, 9, 11, 0]],
    ['14:10', [2025, 12, 9, 14, 10], [2025, 12, 9, 14, 0]],
    ['20:30', [2025, 12, 9, 20, 30], [2025, 12, 9, 20, 0]],
    ['23:09', [2025, 12, 9, 23, 9], [2025, 12, 9, 20, 0]],
    ['23:15', [2025, 12, 9, 23, 15], [2025, 12, 9, 23, 0]],
    ['23:59', [2025, 12, 9, 23, 59], [2025, 12, 9, 23, 0]],
    ['00:00', [2025, 12, 9, 0, 0], [2025, 12, 8, 23, 0]],
    ['01:30', [2025, 12, 9, 1, 30], [2025, 12, 8, 23, 0]],
  ];
  it.each(cases)('at %s', (_name, now, base) => {
    expect(shortRangeForecastBase(kst(...now))).toBe(kst(...base));
  });

  it('goes back across a month boundary at midnight', () => {
    expect(shortRangeForecastBase(kst(2025, 3, 1, 0, 0))).toBe(kst(2025, 2, 28, 23, 0));
    expect(shortRangeForecastBase(kst(2024, 3, 1, 0, 0))).toBe(kst(2024, 2, 29, 23, 0));
  });

  it('goes back across a year boundary at midnight', () => {
    const base = shortRangeForecastBase(kst(2026, 1, 1, 0, 0));
    expect(base).toBe(kst(2025, 12, 31, 23, 0));
    expect(baseParams(base)).toEqual({ base_date: '20251231', base_time: '2300' });
  });

  it('always lands on an issue hour', () => {
    for (let minute = 0; minute < 24 * 60; minute += 7) {
      const base = shortRangeForecastBase(kst(2025, 12, 9, 0, minute));
      const { base_time } = baseParams(base);
      expect(['0200', '0500', '0800', '1100', '1400', '1700', '2000', '2300']).toContain(base_time);
      const now = kst(2025, 12, 9, 0, minute);
      expect(base).toBeLessThanOrEqual(now - 10 * 60 * 1000);
      expect(now - base).toBeLessThan(3 * HOUR + 10 * 60 * 1000);
    }
  });
});

describe('previousBase', () => {
  const base = kst(2025, 12, 9, 14, 0);

  it('goes back one hour for the ultra-short operations', () => {
    expect(previousBase('getUltraSrtNcst', base)).toBe(base - HOUR);
    expect(previousBase('getUltraSrtFcst', kst(2025, 12, 9, 14, 30))).toBe(
      kst(2025, 12, 9, 13, 30),
    );
  });

  it('goes back three hours for the short-range forecast', () => {
    expect(previousBase('getVilageFcst', base)).toBe(kst(2025, 12, 9, 11, 0));
    expect(previousBase('getVilageFcst', kst(2025, 12, 9, 2, 0))).toBe(kst(2025, 12, 8, 23, 0));
  });
});

describe('baseParams', () => {
  it('formats the KST date and time with zero padding', () => {
    expect(baseParams(kst(2025, 12, 9, 14, 0))).toEqual({
      base_date: '20251209',
      base_time: '1400',
    });
    expect(baseParams(kst(2026, 1, 2, 5, 30))).toEqual({
      base_date: '20260102',
      base_time: '0530',
    });
    expect(baseParams(kst(2026, 1, 2, 0, 0))).toEqual({
      base_date: '20260102',
      base_time: '0000',
    });
  });

  it('uses the KST date, not the UTC one', () => {
    // 2025-12-09 02:00 KST is 2025-12-08 17:00 UTC.
    expect(baseParams(Date.UTC(2025, 11, 8, 17, 0))).toEqual({
      base_date: '20251209',
      base_time: '0200',
    });
  });
});

describe('portalInstant', () => {
  it('reads a KST date and time', () => {
    expect(portalInstant('20251209', '1400')).toBe(kst(2025, 12, 9, 14, 0));
    expect(portalInstant('20260101', '0000')).toBe(Date.UTC(2025, 11, 31, 15, 0));
  });

  it('is the inverse of baseParams', () => {
    const at = kst(2025, 7, 4, 8, 30);
    const { base_date, base_time } = baseParams(at);
    expect(portalInstant(base_date, base_time)).toBe(at);
  });

  it('is null for malformed text', () => {
    expect(portalInstant('2025129', '1400')).toBeNull();
    expect(portalInstant('20251209', '140')).toBeNull();
    expect(portalInstant('2025-12-09', '14:00')).toBeNull();
    expect(portalInstant('', '')).toBeNull();
  });
});

describe('normalizeServiceKey', () => {
  it('decodes an "Encoding" key once', () => {
    expect(normalizeServiceKey('abc%2Bdef%2Fgh%3D%3D')).toBe('abc+def/gh==');
    expect(normalizeServiceKey('abc%2bdef%3d%3d')).toBe('abc+def==');
  });

  it('leaves a "Decoding" key unchanged', () => {
    expect(normalizeServiceKey('abc+def/gh==')).toBe('abc+def/gh==');
    expect(normalizeServiceKey('PLAINKEY123')).toBe('PLAINKEY123');
  });

  it('decodes only once', () => {
    // %252B is an encoded "%2B": one decode leaves "%2B".
    expect(normalizeServiceKey('abc%252B')).toBe('abc%2B');
  });

  it('leaves a key with a broken escape unchanged', () => {
    expect(normalizeServiceKey('abc%2Bdef%')).toBe('abc%2Bdef%');
    expect(normalizeServiceKey('%E0%A4%A')).toBe('%E0%A4%A');
  });
});

describe('portalRequestUrl', () => {
  const base = kst(2025, 12, 9, 14, 0);
  const PORTAL = 'http://apis.data.go.kr/1360000/VilageFcstInfoService_2.0';

  it('builds the query with every parameter', () => {
    const url = new URL(
      portalRequestUrl(PORTAL, 'getUltraSrtNcst', 'KEY', { base, nx: 60, ny: 127 }),
    );
    expect(url.pathname).toBe('/1360000/VilageFcstInfoService_2.0/getUltraSrtNcst');
    expect(url.searchParams.get('serviceKey')).toBe('KEY');
    expect(url.searchParams.get('dataType')).toBe('JSON');
    expect(url.searchParams.get('pageNo')).toBe('1');
    expect(url.searchParams.get('numOfRows')).toBe('1000');
    expect(url.searchParams.get('nx')).toBe('60');
    expect(url.searchParams.get('ny')).toBe('127');
    expect(url.searchParams.get('base_date')).toBe('20251209');
    expect(url.searchParams.get('base_time')).toBe('1400');
  });

  it('keeps the prefix path with or without a trailing slash', () => {
    const a = portalRequestUrl(`${PORTAL}/`, 'getVilageFcst', 'KEY', { base, nx: 1, ny: 2 });
    const b = portalRequestUrl(PORTAL, 'getVilageFcst', 'KEY', { base, nx: 1, ny: 2 });
    expect(a).toBe(b);
    expect(new URL(a).pathname).toBe('/1360000/VilageFcstInfoService_2.0/getVilageFcst');
  });

  it('honours a row count', () => {
    const url = new URL(
      portalRequestUrl(PORTAL, 'getUltraSrtFcst', 'KEY', { base, nx: 60, ny: 127, rows: 60 }),
    );
    expect(url.searchParams.get('numOfRows')).toBe('60');
  });

  it('encodes an "Encoding" key exactly once', () => {
    const text = portalRequestUrl(PORTAL, 'getUltraSrtNcst', 'abc%2Bdef%3D%3D', {
      base,
      nx: 60,
      ny: 127,
    });
    expect(text).toContain('serviceKey=abc%2Bdef%3D%3D');
    expect(text).not.toContain('%25');
    expect(new URL(text).searchParams.get('serviceKey')).toBe('abc+def==');
  });

  it('encodes a "Decoding" key exactly once, to the same URL', () => {
    const decoded = portalRequestUrl(PORTAL, 'getUltraSrtNcst', 'abc+def==', {
      base,
      nx: 60,
      ny: 127,
    });
    const encoded = portalRequestUrl(PORTAL, 'getUltraSrtNcst', 'abc%2Bdef%3D%3D', {
      base,
      nx: 60,
      ny: 127,
    });
    expect(decoded).toBe(encoded);
    expect(decoded).toContain('serviceKey=abc%2Bdef%3D%3D');
  });

  it('writes the base in KST', () => {
    const url = new URL(
      portalRequestUrl(PORTAL, 'getVilageFcst', 'KEY', {
        base: kst(2026, 1, 1, 2, 0),
        nx: 60,
        ny: 127,
      }),
    );
    expect(url.searchParams.get('base_date')).toBe('20260101');
    expect(url.searchParams.get('base_time')).toBe('0200');
  });
});

const NOWCAST_ITEMS = [
  { category: 'PTY', obsrValue: '1' },
  { category: 'REH', obsrValue: '41' },
  { category: 'RN1', obsrValue: '0.5' },
  { category: 'T1H', obsrValue: '2.4' },
  { category: 'UUU', obsrValue: '-1.2' },
  { category: 'VEC', obsrValue: '270' },
  { category: 'VVV', obsrValue: '0.3' },
  { category: 'WSD', obsrValue: '1.3' },
].map((i) => ({ baseDate: '20251209', baseTime: '1400', nx: 60, ny: 127, ...i }));

const NOWCAST_JSON = JSON.stringify({
  response: {
    header: { resultCode: '00', resultMsg: 'NORMAL_SERVICE' },
    body: {
      dataType: 'JSON',
      items: { item: NOWCAST_ITEMS },
      pageNo: 1,
      numOfRows: 1000,
      totalCount: 8,
    },
  },
});

function errorJson(code: string, message: string): string {
  return `{"response":{"header":{"resultCode":"${code}","resultMsg":"${message}"}}}`;
}

describe('parsePortalAnswer: success', () => {
  it('reads a getUltraSrtNcst answer into its items', () => {
    const items = parsePortalAnswer(NOWCAST_JSON);
    expect(items).toHaveLength(8);
    expect(items.find((i) => i.category === 'T1H')).toEqual({
      category: 'T1H',
      baseDate: '20251209',
      baseTime: '1400',
      obsrValue: '2.4',
      fcstDate: undefined,
      fcstTime: undefined,
      fcstValue: undefined,
    });
    expect(items.map((i) => i.category)).toEqual([
      'PTY',
      'REH',
      'RN1',
      'T1H',
      'UUU',
      'VEC',
      'VVV',
      'WSD',
    ]);
  });

  it('reads the nowcast: temperature, precipitation code, observation time', () => {
    expect(readNowcast(parsePortalAnswer(NOWCAST_JSON))).toEqual({
      observedAt: kst(2025, 12, 9, 14, 0),
      temperature: 2.4,
      precipitation: 1,
    });
  });

  it('reads a recorded-style body with surrounding whitespace', () => {
    expect(parsePortalAnswer(`\n  ${NOWCAST_JSON}\r\n`)).toHaveLength(8);
  });

  it('reads a single item given as an object rather than an array', () => {
    const body = JSON.stringify({
      response: {
        header: { resultCode: '00', resultMsg: 'NORMAL_SERVICE' },
        body: {
          dataType: 'JSON',
          items: {
            item: {
              baseDate: '20251209',
              baseTime: '1400',
              category: 'T1H',
              nx: 60,
              ny: 127,
              obsrValue: '-3.1',
            },
          },
          totalCount: 1,
        },
      },
    });
    const items = parsePortalAnswer(body);
    expect(items).toHaveLength(1);
    expect(readNowcast(items).temperature).toBe(-3.1);
  });

  it('turns numeric values into strings', () => {
    const body = JSON.stringify({
      response: {
        header: { resultCode: '00', resultMsg: 'NORMAL_SERVICE' },
        body: {
          items: {
            item: [
              { baseDate: '20251209', baseTime: '1400', category: 'T1H', obsrValue: 2.4 },
              {
                baseDate: '20251209',
                baseTime: '1400',
                category: 'TMP',
                fcstDate: '20251209',
                fcstTime: '1500',
                fcstValue: 3,
              },
            ],
          },
        },
      },
    });
    const [nowcast, forecast] = parsePortalAnswer(body);
    expect(nowcast?.obsrValue).toBe('2.4');
    expect(forecast?.fcstValue).toBe('3');
    expect(forecast?.fcstDate).toBe('20251209');
    expect(forecast?.fcstTime).toBe('1500');
  });

  it('drops items without category, baseDate or baseTime', () => {
    const body = JSON.stringify({
      response: {
        header: { resultCode: '00' },
        body: {
          items: {
            item: [
              { baseDate: '20251209', baseTime: '1400', obsrValue: '1' },
              { category: 'T1H', baseTime: '1400', obsrValue: '1' },
              { category: 'T1H', baseDate: '20251209', obsrValue: '1' },
              { category: 5, baseDate: '20251209', baseTime: '1400' },
              null,
              'T1H',
              { category: 'T1H', baseDate: '20251209', baseTime: '1400', obsrValue: '7' },
            ],
          },
        },
      },
    });
    const items = parsePortalAnswer(body);
    expect(items).toHaveLength(1);
    expect(items[0]?.obsrValue).toBe('7');
  });
});

describe('parsePortalAnswer: error answers', () => {
  it('throws no-data for JSON NO_DATA (03)', () => {
    const error = caught(() => parsePortalAnswer(errorJson('03', 'NO_DATA')));
    expect(error.kind).toBe('no-data');
    expect(error.message).toContain('03');
    expect(error.message).toContain('NO_DATA');
  });

  it('throws format for JSON INVALID_REQUEST_PARAMETER_ERROR (10)', () => {
    const error = caught(() =>
      parsePortalAnswer(errorJson('10', 'INVALID_REQUEST_PARAMETER_ERROR')),
    );
    expect(error.kind).toBe('format');
    expect(error.message).toContain('INVALID_REQUEST_PARAMETER_ERROR');
  });

  it('throws auth for JSON SERVICE_KEY_IS_NOT_REGISTERED_ERROR (30)', () => {
    const error = caught(() =>
      parsePortalAnswer(errorJson('30', 'SERVICE_KEY_IS_NOT_REGISTERED_ERROR')),
    );
    expect(error.kind).toBe('auth');
    expect(error.retryable).toBe(false);
  });

  it.each(['20', '21', '22', '31', '32', '33'])('throws auth for JSON code %s', (code) => {
    expect(caught(() => parsePortalAnswer(errorJson(code, 'X'))).kind).toBe('auth');
  });

  it.each(['04', '05'])('throws a retryable http error for JSON code %s', (code) => {
    const error = caught(() => parsePortalAnswer(errorJson(code, 'X')));
    expect(error.kind).toBe('http');
    expect(error.retryable).toBe(true);
  });

  it('throws format for an unknown code, saying it is unknown', () => {
    const error = caught(() => parsePortalAnswer(errorJson('77', '')));
    expect(error.kind).toBe('format');
    expect(error.message).toContain('77');
    expect(error.message).toContain('알 수 없는 코드');
  });

  it("throws auth for the gateway's XML key error, naming the reason", () => {
    const xml =
      '<OpenAPI_ServiceResponse><cmmMsgHeader><errMsg>SERVICE ERROR</errMsg><returnAuthMsg>SERVICE_KEY_IS_NOT_REGISTERED_ERROR</returnAuthMsg><returnReasonCode>30</returnReasonCode></cmmMsgHeader></OpenAPI_ServiceResponse>';
    const error = caught(() => parsePortalAnswer(xml));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('SERVICE_KEY_IS_NOT_REGISTERED_ERROR');
    expect(error.message).toContain('30');
  });

  it('reads a pretty-printed XML gateway error with an XML declaration', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<OpenAPI_ServiceResponse>
  <cmmMsgHeader>
    <errMsg>SERVICE ERROR</errMsg>
    <returnAuthMsg>LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR</returnAuthMsg>
    <returnReasonCode>22</returnReasonCode>
  </cmmMsgHeader>
</OpenAPI_ServiceResponse>`;
    const error = caught(() => parsePortalAnswer(xml));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR');
  });

  it('throws no-data for an XML NO_DATA answer', () => {
    const xml =
      '<response><header><resultCode>03</resultCode><resultMsg>NO_DATA</resultMsg></header></response>';
    const error = caught(() => parsePortalAnswer(xml));
    expect(error.kind).toBe('no-data');
    expect(error.message).toContain('NO_DATA');
  });

  it('throws auth for an XML answer with resultCode 22', () => {
    const xml =
      '<response><header><resultCode>22</resultCode><resultMsg>LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR</resultMsg></header></response>';
    const error = caught(() => parsePortalAnswer(xml));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR');
  });

  it('throws format for an XML success (we asked for JSON)', () => {
    const xml =
      '<response><header><resultCode>00</resultCode><resultMsg>NORMAL_SERVICE</resultMsg></header><body></body></response>';
    const error = caught(() => parsePortalAnswer(xml));
    expect(error.kind).toBe('format');
    expect(error.message).toContain('XML');
  });

  it('throws format for unknown XML', () => {
    expect(caught(() => parsePortalAnswer('<foo>bar</foo>')).kind).toBe('format');
  });

  it('throws format for an empty body', () => {
    expect(caught(() => parsePortalAnswer('')).kind).toBe('format');
    expect(caught(() => parsePortalAnswer(' \n ')).kind).toBe('format');
  });

  it('throws format for an HTML page, saying HTML came back', () => {
    const html =
      '<!DOCTYPE html><html><head><title>Error</title></head><body>Bad Gateway</body></html>';
    const error = caught(() => parsePortalAnswer(html));
    expect(error.kind).toBe('format');
    expect(error.message).toContain('HTML');
    expect(error.message).toContain('Bad Gateway');
  });

  it('throws format for text that is not JSON', () => {
    const error = caught(() => parsePortalAnswer('Unexpected errors'));
    expect(error.kind).toBe('format');
    expect(error.message).toContain('Unexpected errors');
  });

  it('throws format for JSON without a resultCode', () => {
    expect(caught(() => parsePortalAnswer('{"response":{}}')).kind).toBe('format');
    expect(caught(() => parsePortalAnswer('[]')).kind).toBe('format');
    expect(caught(() => parsePortalAnswer('null')).kind).toBe('format');
  });

  it('throws no-data for a success with an empty item list', () => {
    const body = (items: unknown) =>
      JSON.stringify({
        response: {
          header: { resultCode: '00', resultMsg: 'NORMAL_SERVICE' },
          body: { dataType: 'JSON', items, totalCount: 0 },
        },
      });
    expect(caught(() => parsePortalAnswer(body({ item: [] }))).kind).toBe('no-data');
    expect(caught(() => parsePortalAnswer(body(''))).kind).toBe('no-data');
    expect(caught(() => parsePortalAnswer(body(undefined))).kind).toBe('no-data');
  });
});

describe('portalNumber', () => {
  it.each([
    ['2.4', 2.4],
    ['-3.2', -3.2],
    ['0', 0],
    ['1.0mm', 1],
    ['30.0~50.0mm', 30],
    [' 5', 5],
    ['100', 100],
  ])('%s → %d', (text, value) => {
    expect(portalNumber(text)).toBe(value);
  });

  it.each([
    ['강수없음', '강수없음'],
    ['적설없음', '적설없음'],
    ['-999 (missing)', '-999'],
    ['-900 (missing)', '-900'],
    ['900 (missing)', '900'],
    ['empty', ''],
    ['undefined', undefined],
  ])('%s → null', (_name, text) => {
    expect(portalNumber(text)).toBeNull();
  });
});

describe('readNowcast', () => {
  it('gives nulls for missing categories', () => {
    const items: PortalItem[] = [
      { category: 'REH', baseDate: '20251209', baseTime: '1400', obsrValue: '41' },
    ];
    expect(readNowcast(items)).toEqual({
      observedAt: kst(2025, 12, 9, 14, 0),
      temperature: null,
      precipitation: null,
    });
  });

  it('throws format when the base time cannot be read', () => {
    expect(caught(() => readNowcast([])).kind).toBe('format');
    const items: PortalItem[] = [
      { category: 'T1H', baseDate: '2025-12-09', baseTime: '1400', obsrValue: '1' },
    ];
    expect(caught(() => readNowcast(items)).kind).toBe('format');
  });
});

function fcst(category: string, date: string, time: string, value: string): PortalItem {
  return {
    category,
    baseDate: '20251209',
    baseTime: '1400',
    fcstDate: date,
    fcstTime: time,
    fcstValue: value,
  };
}

describe('forecastValueAt', () => {
  const items: PortalItem[] = [
    fcst('T1H', '20251209', '1700', '4'),
    fcst('T1H', '20251209', '1500', '2'),
    fcst('T1H', '20251209', '1600', '3'),
    fcst('SKY', '20251209', '1500', '4'),
    fcst('SKY', '20251209', '1600', '1'),
    fcst('RN1', '20251209', '1500', '강수없음'),
    { category: 'T1H', baseDate: '20251209', baseTime: '1400' },
  ];

  it('picks the first forecast hour at or after the instant, whatever the order', () => {
    expect(forecastValueAt(items, 'T1H', kst(2025, 12, 9, 14, 40))).toBe(2);
    expect(forecastValueAt(items, 'T1H', kst(2025, 12, 9, 15, 0))).toBe(2);
    expect(forecastValueAt(items, 'T1H', kst(2025, 12, 9, 15, 1))).toBe(3);
    expect(forecastValueAt(items, 'T1H', kst(2025, 12, 9, 16, 30))).toBe(4);
    expect(forecastValueAt(items, 'SKY', kst(2025, 12, 9, 15, 30))).toBe(1);
  });

  it('is null after the last forecast hour', () => {
    expect(forecastValueAt(items, 'T1H', kst(2025, 12, 9, 17, 1))).toBeNull();
  });

  it('is null for a category that is not there', () => {
    expect(forecastValueAt(items, 'PTY', kst(2025, 12, 9, 14, 0))).toBeNull();
  });

  it('gives the value at the chosen hour even when it is not a number', () => {
    expect(forecastValueAt(items, 'RN1', kst(2025, 12, 9, 14, 0))).toBeNull();
  });
});

describe('readShortRangeForecast', () => {
  // Deliberately out of order: day two first, hours shuffled.
  const items: PortalItem[] = [
    fcst('TMX', '20251210', '1500', '8.0'),
    fcst('TMP', '20251210', '0900', '1'),
    fcst('SKY', '20251210', '0900', '1'),
    fcst('PTY', '20251210', '0900', '0'),
    fcst('POP', '20251210', '0900', '10'),
    fcst('TMP', '20251209', '1800', '3'),
    fcst('SKY', '20251209', '1800', '4'),
    fcst('PTY', '20251209', '1800', '1'),
    fcst('POP', '20251209', '1800', '60'),
    fcst('TMP', '20251209', '1500', '5'),
    fcst('SKY', '20251209', '1500', '3'),
    fcst('PTY', '20251209', '1500', '0'),
    fcst('POP', '20251209', '1500', '30'),
    fcst('TMN', '20251209', '0600', '-2.0'),
    fcst('TMP', '20251210', '0600', '-1'),
    fcst('REH', '20251210', '0600', '80'),
    fcst('WSD', '20251209', '1500', '2.1'),
    fcst('PCP', '20251209', '1800', '1.0mm'),
    { category: 'TMP', baseDate: '20251209', baseTime: '1400' },
  ];
  const days = readShortRangeForecast(items);

  it('gives the days sorted by date', () => {
    expect(days.map((d) => d.date)).toEqual(['20251209', '20251210']);
  });

  it('sets the day minimum and maximum from TMN and TMX', () => {
    expect(days[0]?.min).toBe(-2);
    expect(days[0]?.max).toBeNull();
    expect(days[1]?.min).toBeNull();
    expect(days[1]?.max).toBe(8);
  });

  it('gives each day its hours in order, with TMP, SKY, PTY and POP', () => {
    expect(days[0]?.hours).toEqual([
      {
        at: kst(2025, 12, 9, 15, 0),
        temperature: 5,
        sky: 3,
        precipitation: 0,
        chance: 30,
      },
      {
        at: kst(2025, 12, 9, 18, 0),
        temperature: 3,
        sky: 4,
        precipitation: 1,
        chance: 60,
      },
    ]);
    expect(days[1]?.hours).toEqual([
      {
        at: kst(2025, 12, 10, 6, 0),
        temperature: -1,
        sky: null,
        precipitation: null,
        chance: null,
      },
      {
        at: kst(2025, 12, 10, 9, 0),
        temperature: 1,
        sky: 1,
        precipitation: 0,
        chance: 10,
      },
    ]);
  });

  it('does not make hours out of TMN/TMX or other categories', () => {
    const hours = days.flatMap((d) => d.hours.map((h) => h.at));
    expect(hours).not.toContain(kst(2025, 12, 9, 6, 0));
    expect(hours).not.toContain(kst(2025, 12, 10, 15, 0));
  });

  it('gives nothing for no items', () => {
    expect(readShortRangeForecast([])).toEqual([]);
  });
});
