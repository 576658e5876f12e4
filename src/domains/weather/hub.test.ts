import { describe, expect, it } from 'vitest';
import { HUB_PATH, hubRequestUrl, parseHubAnswer, type StationObservation } from './hub.ts';
import { WeatherSourceError } from './source-error.ts';

// kma_sfctm2.php columns, in the order KMA sends them (46 per row).
const FIELDS = [
  'TM', 'STN', 'WD', 'WS', 'GST_WD', 'GST_WS', 'GST_TM', 'PA', 'PS', 'PT', 'PR', 'TA', 'TD',
  'HM', 'PV', 'RN', 'RN_DAY', 'RN_JUN', 'RN_INT', 'SD_HR3', 'SD_DAY', 'SD_TOT', 'WC', 'WP',
  'WW', 'CA_TOT', 'CA_MID', 'CH_MIN', 'CT', 'CT_TOP', 'CT_MID', 'CT_LOW', 'VS', 'SS', 'SI',
  'ST_GD', 'TS', 'TE_005', 'TE_01', 'TE_02', 'TE_03', 'ST_SEA', 'WH', 'BF', 'IR', 'IX',
] as const; // prettier-ignore

type Field = (typeof FIELDS)[number];

/** A plausible winter row; every column can be overridden. */
const DEFAULTS: Record<Field, string> = {
  TM: '202512091400',
  STN: '108',
  WD: '27',
  WS: '2.6',
  GST_WD: '-9',
  GST_WS: '-9.0',
  GST_TM: '-9',
  PA: '1024.5',
  PS: '1034.8',
  PT: '-9',
  PR: '-9.0',
  TA: '2.4',
  TD: '-9.6',
  HM: '41.0',
  PV: '2.9',
  RN: '-9.0',
  RN_DAY: '-9.0',
  RN_JUN: '-9.0',
  RN_INT: '-9.0',
  SD_HR3: '-9.0',
  SD_DAY: '-9.0',
  SD_TOT: '-9.0',
  WC: '-9',
  WP: '-9',
  WW: '-',
  CA_TOT: '3',
  CA_MID: '3',
  CH_MIN: '-9',
  CT: '-',
  CT_TOP: '-9',
  CT_MID: '-9',
  CT_LOW: '-9',
  VS: '2000',
  SS: '0.6',
  SI: '1.12',
  ST_GD: '-9',
  TS: '3.1',
  TE_005: '2.9',
  TE_01: '3.4',
  TE_02: '4.6',
  TE_03: '6.8',
  ST_SEA: '-9',
  WH: '-9.0',
  BF: '-9',
  IR: '3',
  IX: '1',
};

function fields(overrides: Partial<Record<Field, string | number>> = {}): string[] {
  return FIELDS.map((f) => String(overrides[f] ?? DEFAULTS[f]));
}

/** One data row of exactly 46 fields, separated like KMA's fixed-width text. */
function row(overrides: Partial<Record<Field, string | number>> = {}, separator = ' '): string {
  return fields(overrides).join(separator);
}

const HEADER = `#START7777
#--------------------------------------------------------------------------------------------------
#  기상청 지상관측 시간자료 [입력인수형태][예] ?tm=201007151200&stn=0&help=1
#--------------------------------------------------------------------------------------------------
# YYMMDDHHMI STN  WD   WS GST  GST  GST     PA     PS PT    PR    TA    TD    HM    PV     RN     RN     RN     RN     SD     SD     SD WC WP WW                   CA  CA   CH CT         CT  CT  CT    VS   SS    SI ST    TS    TE    TE    TE    TE  ST   WH BF IR IX
#        KST  ID  16  m/s  WD   WS   TM    hPa    hPa  -   hPa     C     C     %   hPa     mm    DAY    JUN    INT    HR3    DAY    TOT -- -- --                   TOT MID  MIN --        TOP MID LOW            hr    MJ -- -- 0.05   0.1   0.2   0.3  --   m  --  --  --`;

function body(rows: string[], eol = '\n'): string {
  return [...HEADER.split('\n'), ...rows, '#7777END', ''].join(eol);
}

const KST_1400 = Date.UTC(2025, 11, 9, 5, 0); // 2025-12-09 14:00 KST

function station(answer: ReturnType<typeof parseHubAnswer>, id: number): StationObservation {
  const found = answer.observations.get(id);
  if (found === undefined) throw new Error(`station ${id} missing from the answer`);
  return found;
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

describe('test fixture', () => {
  it('builds rows of exactly 46 fields with TA, WC, WW, CA_TOT at their indices', () => {
    const f = fields({ TA: 'ta', WC: 'wc', WW: 'ww', CA_TOT: 'ca' });
    expect(f).toHaveLength(46);
    expect(f[11]).toBe('ta');
    expect(f[22]).toBe('wc');
    expect(f[24]).toBe('ww');
    expect(f[25]).toBe('ca');
  });
});

describe('parseHubAnswer: a normal answer', () => {
  const text = body([
    row({ STN: 108, TA: '2.4', CA_TOT: 3 }),
    row({ STN: 184, TA: '9.8', CA_TOT: 4 }),
    row({ STN: 159, TA: '7.1', CA_TOT: 2, WC: 61, WW: '60' }),
    row({ STN: 133, TA: '0.3', CA_TOT: 10, WC: 2 }),
    row({ STN: 143, TA: '-1.2', CA_TOT: 0, WC: 71, WW: '7160' }),
  ]);
  const answer = parseHubAnswer(text);

  it('reads every station, with nothing skipped', () => {
    expect([...answer.observations.keys()].sort((a, b) => a - b)).toEqual([
      108, 133, 143, 159, 184,
    ]);
    expect(answer.skippedRows).toBe(0);
  });

  it('reads 서울 (108): time, temperature, cloud cover and the cloud-cover sky', () => {
    expect(station(answer, 108)).toEqual({
      station: 108,
      observedAt: KST_1400,
      temperature: 2.4,
      cloudCover: 3,
      presentWeather: null,
      domesticWeather: null,
      sky: '구름조금',
    });
  });

  it('reads 제주 (184)', () => {
    const jeju = station(answer, 184);
    expect(jeju.temperature).toBe(9.8);
    expect(jeju.cloudCover).toBe(4);
    expect(jeju.sky).toBe('구름조금');
    expect(jeju.observedAt).toBe(KST_1400);
  });

  it('lets present weather (WC 61) win over a clear sky (CA_TOT 2)', () => {
    const rain = station(answer, 159);
    expect(rain.presentWeather).toBe(61);
    expect(rain.cloudCover).toBe(2);
    expect(rain.sky).toBe('비');
    expect(rain.domesticWeather).toBe('60');
  });

  it('falls back to cloud cover when WC says nothing significant', () => {
    const overcast = station(answer, 133);
    expect(overcast.presentWeather).toBe(2);
    expect(overcast.sky).toBe('흐림');
  });

  it('keeps negative temperatures and the domestic weather string as sent', () => {
    const snow = station(answer, 143);
    expect(snow.temperature).toBe(-1.2);
    expect(snow.sky).toBe('눈');
    expect(snow.domesticWeather).toBe('7160');
  });

  it('converts the KST time to the right UTC instant, across a day boundary too', () => {
    const early = parseHubAnswer(body([row({ TM: '202601010300' })]));
    expect(station(early, 108).observedAt).toBe(Date.UTC(2025, 11, 31, 18, 0));
    const late = parseHubAnswer(body([row({ TM: '202512092350' })]));
    expect(station(late, 108).observedAt).toBe(Date.UTC(2025, 11, 9, 14, 50));
  });

  it('keeps the last row when a station appears twice', () => {
    const twice = parseHubAnswer(body([row({ TA: '1.0' }), row({ TA: '2.0' })]));
    expect(twice.observations.size).toBe(1);
    expect(station(twice, 108).temperature).toBe(2);
  });
});

describe('parseHubAnswer: missing values', () => {
  it('reads CA_TOT -9 as no cloud cover and no sky', () => {
    const obs = station(parseHubAnswer(body([row({ CA_TOT: -9 })])), 108);
    expect(obs.cloudCover).toBeNull();
    expect(obs.sky).toBeNull();
  });

  it('reads CA_TOT -9 with a WC weather code as that weather', () => {
    const obs = station(parseHubAnswer(body([row({ CA_TOT: -9, WC: 45 })])), 108);
    expect(obs.cloudCover).toBeNull();
    expect(obs.presentWeather).toBe(45);
    expect(obs.sky).toBe('안개');
  });

  it('reads CA_TOT -9.0 and "-" as missing too', () => {
    expect(station(parseHubAnswer(body([row({ CA_TOT: '-9.0' })])), 108).cloudCover).toBeNull();
    expect(station(parseHubAnswer(body([row({ CA_TOT: '-' })])), 108).cloudCover).toBeNull();
  });

  it('reads TA -99.0 as no temperature', () => {
    const obs = station(parseHubAnswer(body([row({ TA: '-99.0' })])), 108);
    expect(obs.temperature).toBeNull();
    expect(obs.sky).toBe('구름조금');
  });

  it('reads TA -9.0 and -9 as a real reading of −9 ℃, not as missing', () => {
    expect(station(parseHubAnswer(body([row({ TA: '-9.0' })])), 108).temperature).toBe(-9);
    expect(station(parseHubAnswer(body([row({ TA: '-9' })])), 108).temperature).toBe(-9);
    expect(station(parseHubAnswer(body([row({ TA: '-15.3' })])), 108).temperature).toBe(-15.3);
  });

  it('reads a non-numeric TA as no temperature', () => {
    expect(station(parseHubAnswer(body([row({ TA: '-' })])), 108).temperature).toBeNull();
  });

  it('reads WC -9 as no present weather and WW "-" as no domestic weather', () => {
    const obs = station(parseHubAnswer(body([row({ WC: -9, WW: '-' })])), 108);
    expect(obs.presentWeather).toBeNull();
    expect(obs.domesticWeather).toBeNull();
  });

  it('reads a station with everything missing as all nulls', () => {
    const obs = station(
      parseHubAnswer(body([row({ TA: '-99.0', WC: -9, WW: '-', CA_TOT: -9 })])),
      108,
    );
    expect(obs).toEqual({
      station: 108,
      observedAt: KST_1400,
      temperature: null,
      cloudCover: null,
      presentWeather: null,
      domesticWeather: null,
      sky: null,
    });
  });

  it('leaves out a station the answer does not mention', () => {
    const answer = parseHubAnswer(body([row({ STN: 108 }), row({ STN: 184 })]));
    expect(answer.observations.has(184)).toBe(true);
    expect(answer.observations.has(185)).toBe(false);
    expect(answer.observations.get(185)).toBeUndefined();
  });
});

describe('parseHubAnswer: layout variations', () => {
  it('reads rows padded with several spaces, leading spaces and tabs', () => {
    const text = body([
      `   ${row({ STN: 108, TA: '2.4' }, '   ')}`,
      `\t${row({ STN: 184, TA: '9.8' }, '\t')}\t`,
      row({ STN: 159, TA: '-3.5' }, ' \t  '),
    ]);
    const answer = parseHubAnswer(text);
    expect(answer.skippedRows).toBe(0);
    expect(station(answer, 108).temperature).toBe(2.4);
    expect(station(answer, 184).temperature).toBe(9.8);
    expect(station(answer, 159).temperature).toBe(-3.5);
  });

  it('reads CRLF line endings', () => {
    const text = body([row({ STN: 108 }), row({ STN: 184, CA_TOT: 9 })], '\r\n');
    expect(text).toContain('\r\n');
    const answer = parseHubAnswer(text);
    expect(answer.skippedRows).toBe(0);
    expect(station(answer, 108).sky).toBe('구름조금');
    expect(station(answer, 184).cloudCover).toBe(9);
    expect(station(answer, 184).sky).toBe('흐림');
  });

  it('ignores blank lines and # comment lines between the markers', () => {
    const text = body(['', '# a comment', row({ STN: 108 }), '   ', row({ STN: 184 })]);
    const answer = parseHubAnswer(text);
    expect(answer.observations.size).toBe(2);
    expect(answer.skippedRows).toBe(0);
  });

  it('ignores anything outside #START7777 … #7777END', () => {
    const text = `some preamble\n${body([row({ STN: 108 })])}${row({ STN: 184 })}\n`;
    const answer = parseHubAnswer(text);
    expect([...answer.observations.keys()]).toEqual([108]);
  });

  it('reads markers with surrounding whitespace', () => {
    const text = `  #START7777\n${row()}\n  #7777END  \n`;
    expect(parseHubAnswer(text).observations.size).toBe(1);
  });
});

describe('parseHubAnswer: rows of the wrong shape', () => {
  it('skips and counts rows with too few or too many fields', () => {
    const short = fields().slice(0, 45).join(' ');
    const long = [...fields({ STN: 184 }), '0'].join(' ');
    const answer = parseHubAnswer(body([row({ STN: 108 }), short, long]));
    expect([...answer.observations.keys()]).toEqual([108]);
    expect(answer.skippedRows).toBe(2);
  });

  it('skips rows with an unreadable time or station', () => {
    const answer = parseHubAnswer(
      body([
        row({ STN: 108 }),
        row({ STN: 184, TM: '2025120914' }),
        row({ STN: 185, TM: '202513091400' }),
        row({ STN: 186, TM: '202512092400' }),
        row({ STN: 'abc' }),
        row({ STN: '10.5' }),
      ]),
    );
    expect([...answer.observations.keys()]).toEqual([108]);
    expect(answer.skippedRows).toBe(5);
  });

  it('skips a row dated on a day that does not exist (31 February)', () => {
    const answer = parseHubAnswer(body([row({ STN: 108 }), row({ STN: 184, TM: '202502311400' })]));
    expect([...answer.observations.keys()]).toEqual([108]);
    expect(answer.skippedRows).toBe(1);
  });

  it('derives the sky from the same cloud cover it reports (a fractional CA_TOT is neither)', () => {
    const o = station(parseHubAnswer(body([row({ STN: 108, TA: 2.4, CA_TOT: '3.5' })])), 108);
    expect(o.cloudCover).toBeNull();
    expect(o.sky).toBeNull();
  });

  it('throws no-data, naming the count, when no row is valid', () => {
    const error = caught(() =>
      parseHubAnswer(body([fields().slice(0, 40).join(' '), 'garbage row'])),
    );
    expect(error.kind).toBe('no-data');
    expect(error.message).toContain('2');
  });

  it('throws no-data for a well-formed answer without rows', () => {
    const error = caught(() => parseHubAnswer(body([])));
    expect(error.kind).toBe('no-data');
    expect(error.retryable).toBe(false);
  });
});

describe('parseHubAnswer: error answers', () => {
  it('throws format for an empty body', () => {
    expect(caught(() => parseHubAnswer('')).kind).toBe('format');
    expect(caught(() => parseHubAnswer('  \r\n\n ')).kind).toBe('format');
  });

  it('throws format for an HTML error page, saying HTML came back', () => {
    const html = `<!DOCTYPE html>
<html lang="ko"><head><title>502 Bad Gateway</title></head>
<body><h1>서비스 점검 중입니다</h1></body></html>`;
    const error = caught(() => parseHubAnswer(html));
    expect(error.kind).toBe('format');
    expect(error.message).toContain('HTML');
    expect(error.message).not.toContain('<');
  });

  it('throws auth for a JSON key error, with its message', () => {
    const json = '{"result":{"status":403,"message":"인증키가 유효하지 않습니다."}}';
    const error = caught(() => parseHubAnswer(json));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('인증키가 유효하지 않습니다.');
  });

  it('throws format for JSON that is not about the key', () => {
    const error = caught(() => parseHubAnswer('{"result":{"status":500,"message":"server busy"}}'));
    expect(error.kind).toBe('format');
    expect(error.message).toContain('server busy');
  });

  it('throws auth for a plain-text key error', () => {
    expect(caught(() => parseHubAnswer('Invalid authKey')).kind).toBe('auth');
  });

  it('throws format for other plain text', () => {
    const error = caught(() => parseHubAnswer('Service temporarily unavailable'));
    expect(error.kind).toBe('format');
    expect(error.message).toContain('Service temporarily unavailable');
  });

  it('throws format when #7777END never comes', () => {
    const text = `#START7777\n#  기상청 지상관측 시간자료\n${row()}\n${row({ STN: 184 })}`;
    const error = caught(() => parseHubAnswer(text));
    expect(error.kind).toBe('format');
    expect(error.message).toContain('#7777END');
  });

  it('is never retryable for a body it cannot read', () => {
    for (const text of ['', '<html></html>', '{"message":"인증 실패"}', 'nope']) {
      expect(caught(() => parseHubAnswer(text)).retryable).toBe(false);
    }
  });
});

describe('hubRequestUrl', () => {
  it('asks for the latest hour of every station, keeping a path prefix', () => {
    const url = new URL(hubRequestUrl('http://127.0.0.1:9/x', 'KEY'));
    expect(url.origin).toBe('http://127.0.0.1:9');
    expect(url.pathname).toBe('/x/api/typ01/url/kma_sfctm2.php');
    expect(url.searchParams.get('stn')).toBe('0');
    expect(url.searchParams.get('help')).toBe('0');
    expect(url.searchParams.get('authKey')).toBe('KEY');
    expect(url.searchParams.has('tm')).toBe(false);
  });

  it('gives the same URL with or without a trailing slash', () => {
    expect(hubRequestUrl('http://127.0.0.1:9/x/', 'KEY')).toBe(
      hubRequestUrl('http://127.0.0.1:9/x', 'KEY'),
    );
  });

  it('uses the hub path at the root of a bare origin', () => {
    const url = new URL(hubRequestUrl('https://apihub.kma.go.kr', 'KEY'));
    expect(url.pathname).toBe(HUB_PATH);
    expect(url.host).toBe('apihub.kma.go.kr');
  });

  it('sets tm when an hour is asked for', () => {
    const url = new URL(hubRequestUrl('http://127.0.0.1:9/x', 'KEY', '202512091400'));
    expect(url.searchParams.get('tm')).toBe('202512091400');
    expect(url.searchParams.get('stn')).toBe('0');
  });

  it('encodes a key with reserved characters so it reads back unchanged', () => {
    const key = 'a+b/c=d&e';
    const text = hubRequestUrl('http://127.0.0.1:9/x', key);
    expect(new URL(text).searchParams.get('authKey')).toBe(key);
    expect(text).not.toContain('&e');
  });
});
