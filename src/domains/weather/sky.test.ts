import { describe, expect, it } from 'vitest';
import {
  gridSky,
  SKY_LABELS,
  skyFromCloudCover,
  skyFromForecastCode,
  skyFromPrecipitationCode,
  skyFromPresentWeather,
  stationSky,
} from './sky.ts';

describe('skyFromCloudCover (CA_TOT, tenths)', () => {
  it.each([
    [0, '맑음'],
    [1, '맑음'],
    [2, '맑음'],
    [3, '구름조금'],
    [4, '구름조금'],
    [5, '구름조금'],
    [6, '구름많음'],
    [7, '구름많음'],
    [8, '구름많음'],
    [9, '흐림'],
    [10, '흐림'],
  ])('%i tenths → %s', (tenths, label) => {
    expect(skyFromCloudCover(tenths)).toBe(label);
  });

  it.each([
    ['null', null],
    ['-1', -1],
    ['-9 (KMA missing)', -9],
    ['11', 11],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
  ])('%s → null', (_name, tenths) => {
    expect(skyFromCloudCover(tenths)).toBeNull();
  });
});

describe('skyFromPresentWeather (WMO code table 4677)', () => {
  it.each([0, 1, 2, 3])('%i (cloud development only) → null', (code) => {
    expect(skyFromPresentWeather(code)).toBeNull();
  });

  it.each([
    [4, '연무'],
    [5, '연무'],
    [6, '황사'],
    [9, '황사'],
    [10, '박무'],
    [11, '안개'],
    [12, '안개'],
    [13, '뇌전'],
    [17, '뇌전'],
    [18, '돌풍'],
    [19, '용오름'],
    [30, '황사'],
    [35, '황사'],
    [36, '눈날림'],
    [39, '눈날림'],
    [41, '안개'],
    [45, '안개'],
    [49, '안개'],
    [50, '이슬비'],
    [57, '이슬비'],
    [58, '비'],
    [59, '비'],
    [60, '비'],
    [61, '비'],
    [65, '비'],
    [67, '비'],
    [68, '비/눈'],
    [69, '비/눈'],
    [70, '눈'],
    [71, '눈'],
    [79, '눈'],
    [80, '소나기'],
    [82, '소나기'],
    [83, '비/눈'],
    [84, '비/눈'],
    [85, '눈'],
    [86, '눈'],
    [87, '우박'],
    [90, '우박'],
    [91, '비'],
    [92, '비'],
    [93, '눈'],
    [94, '눈'],
    [95, '뇌우'],
    [97, '뇌우'],
    [99, '뇌우'],
  ])('%i → %s', (code, label) => {
    expect(skyFromPresentWeather(code)).toBe(label);
  });

  it.each([14, 15, 16, 20, 21, 25, 29, 40])(
    '%i (not at the station now) → null so the cloud cover decides',
    (code) => {
      expect(skyFromPresentWeather(code)).toBeNull();
    },
  );

  it.each([
    ['null', null],
    ['-1', -1],
    ['-9 (KMA missing)', -9],
    ['100', 100],
    ['NaN', Number.NaN],
    ['61.5 (not an integer)', 61.5],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('%s → null', (_name, code) => {
    expect(skyFromPresentWeather(code)).toBeNull();
  });
});

describe('stationSky', () => {
  it('lets weather at the station win over the cloud cover', () => {
    expect(stationSky(61, 2)).toBe('비');
    expect(stationSky(71, 0)).toBe('눈');
    expect(stationSky(95, 10)).toBe('뇌우');
    expect(stationSky(10, null)).toBe('박무');
  });

  it('falls back to the cloud cover when the weather code says nothing', () => {
    expect(stationSky(null, 3)).toBe('구름조금');
    expect(stationSky(0, 9)).toBe('흐림');
    expect(stationSky(2, 0)).toBe('맑음');
    expect(stationSky(25, 7)).toBe('구름많음'); // rain during the past hour, not now
    expect(stationSky(40, 5)).toBe('구름조금'); // fog at a distance
    expect(stationSky(14, 10)).toBe('흐림'); // precipitation in sight
  });

  it('is null when neither tells anything', () => {
    expect(stationSky(null, null)).toBeNull();
    expect(stationSky(0, null)).toBeNull();
    expect(stationSky(20, -9)).toBeNull();
  });
});

describe('skyFromForecastCode (SKY)', () => {
  it('reads the codes issued since 2019', () => {
    expect(skyFromForecastCode(1)).toBe('맑음');
    expect(skyFromForecastCode(3)).toBe('구름많음');
    expect(skyFromForecastCode(4)).toBe('흐림');
  });

  it.each([
    ['2 (no longer issued)', 2],
    ['0', 0],
    ['5', 5],
    ['null', null],
  ])('%s → null', (_name, code) => {
    expect(skyFromForecastCode(code)).toBeNull();
  });
});

describe('skyFromPrecipitationCode (PTY)', () => {
  it.each([
    [0, null],
    [1, '비'],
    [2, '비/눈'],
    [3, '눈'],
    [4, '소나기'],
    [5, '비'],
    [6, '비/눈'],
    [7, '눈날림'],
  ])('%i → %s', (code, label) => {
    expect(skyFromPrecipitationCode(code)).toBe(label);
  });

  it.each([
    ['8', 8],
    ['-1', -1],
    ['null', null],
  ])('%s → null', (_name, code) => {
    expect(skyFromPrecipitationCode(code)).toBeNull();
  });
});

describe('gridSky', () => {
  it('lets precipitation win over the sky code', () => {
    expect(gridSky(1, 1)).toBe('비');
    expect(gridSky(3, 4)).toBe('눈');
    expect(gridSky(4, 3)).toBe('소나기');
    expect(gridSky(7, null)).toBe('눈날림');
  });

  it('uses the sky code when there is no precipitation', () => {
    expect(gridSky(0, 1)).toBe('맑음');
    expect(gridSky(0, 3)).toBe('구름많음');
    expect(gridSky(null, 4)).toBe('흐림');
  });

  it('is null when neither gives a label', () => {
    expect(gridSky(0, 2)).toBeNull();
    expect(gridSky(null, null)).toBeNull();
  });
});

describe('SKY_LABELS', () => {
  it('has no duplicates', () => {
    expect(new Set(SKY_LABELS).size).toBe(SKY_LABELS.length);
  });

  it('contains only non-empty strings', () => {
    for (const label of SKY_LABELS) {
      expect(typeof label).toBe('string');
      expect(label.trim()).not.toBe('');
    }
  });

  it('includes every label the present-weather table returns for codes 0..99', () => {
    for (let code = 0; code <= 99; code++) {
      const label = skyFromPresentWeather(code);
      if (label !== null) expect(SKY_LABELS, `code ${code}`).toContain(label);
    }
  });

  it('includes every label the other functions can return', () => {
    const returned = new Set<string>();
    for (let tenths = 0; tenths <= 10; tenths++) {
      const label = skyFromCloudCover(tenths);
      if (label !== null) returned.add(label);
    }
    for (let code = 0; code <= 10; code++) {
      for (const label of [skyFromForecastCode(code), skyFromPrecipitationCode(code)]) {
        if (label !== null) returned.add(label);
      }
    }
    for (const label of returned) expect(SKY_LABELS).toContain(label);
    expect(returned.size).toBeGreaterThanOrEqual(7);
  });

  it('contains nothing the functions never return', () => {
    const returned = new Set<string>();
    for (let code = 0; code <= 99; code++) {
      const label = skyFromPresentWeather(code);
      if (label !== null) returned.add(label);
    }
    for (let n = 0; n <= 10; n++) {
      for (const label of [
        skyFromCloudCover(n),
        skyFromForecastCode(n),
        skyFromPrecipitationCode(n),
      ]) {
        if (label !== null) returned.add(label);
      }
    }
    expect([...returned].sort()).toEqual([...SKY_LABELS].sort());
  });
});
