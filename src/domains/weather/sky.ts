/**
 * The sky label the ticker shows, from what KMA reports. The one place that decides it.
 *
 * Surface stations (kma_sfctm2): the column help (help=1) names WC "GTS 현재일기 (Code
 * 4677)", the WMO present-weather code, and WW "국내식 일기코드", a string of two-digit
 * domestic codes whose table KMA gives out only on request (기상자원과). So the weather
 * override reads WC against WMO code table 4677, which is public; WW is not interpreted.
 * See docs/decisions/0006-weather-sources.md.
 */

/** Default labels by total cloud cover (CA_TOT, tenths): 0–2, 3–5, 6–8, 9–10. */
export function skyFromCloudCover(tenths: number | null): string | null {
  if (tenths === null || !Number.isFinite(tenths) || tenths < 0 || tenths > 10) return null;
  if (tenths <= 2) return '맑음';
  if (tenths <= 5) return '구름조금';
  if (tenths <= 8) return '구름많음';
  return '흐림';
}

/**
 * WMO code table 4677 (present weather, manned station) → label, for the codes that
 * describe weather happening at the station now. Codes that say "nothing significant",
 * "in sight but not here" or "during the past hour but not now" map to null, so the sky
 * falls back to the cloud cover.
 */
// prettier-ignore
const PRESENT_WEATHER: ReadonlyArray<readonly [from: number, to: number, label: string | null]> = [
  [0, 3, null],         // cloud development only
  [4, 5, '연무'],        // smoke, haze
  [6, 9, '황사'],        // dust or sand in the air, whirls, dust storm in sight
  [10, 10, '박무'],      // mist
  [11, 12, '안개'],      // shallow fog
  [13, 13, '뇌전'],      // lightning, no thunder heard
  [14, 16, null],       // precipitation in sight, not at the station
  [17, 17, '뇌전'],      // thunderstorm without precipitation
  [18, 18, '돌풍'],      // squalls
  [19, 19, '용오름'],    // funnel cloud
  [20, 29, null],       // during the preceding hour, not now
  [30, 35, '황사'],      // dust storm, sandstorm
  [36, 39, '눈날림'],    // drifting or blowing snow
  [40, 40, null],       // fog at a distance
  [41, 49, '안개'],      // fog
  [50, 57, '이슬비'],    // drizzle, freezing drizzle
  [58, 59, '비'],        // drizzle and rain
  [60, 67, '비'],        // rain, freezing rain
  [68, 69, '비/눈'],     // rain and snow
  [70, 79, '눈'],        // snow, snow grains, ice pellets
  [80, 82, '소나기'],    // rain showers
  [83, 84, '비/눈'],     // showers of rain and snow
  [85, 86, '눈'],        // snow showers
  [87, 90, '우박'],      // snow pellets, hail
  [91, 92, '비'],        // rain now, thunderstorm in the past hour
  [93, 94, '눈'],        // snow or hail now, thunderstorm in the past hour
  [95, 99, '뇌우'],      // thunderstorm now
];

export function skyFromPresentWeather(code: number | null): string | null {
  if (code === null || !Number.isInteger(code)) return null;
  for (const [from, to, label] of PRESENT_WEATHER) if (code >= from && code <= to) return label;
  return null;
}

/** A station's sky: weather at the station wins over the cloud cover. */
export function stationSky(
  presentWeather: number | null,
  cloudCover: number | null,
): string | null {
  return skyFromPresentWeather(presentWeather) ?? skyFromCloudCover(cloudCover);
}

/** Forecast SKY codes since 2019: 1 맑음, 3 구름많음, 4 흐림 (2 is no longer issued). */
export function skyFromForecastCode(code: number | null): string | null {
  switch (code) {
    case 1:
      return '맑음';
    case 3:
      return '구름많음';
    case 4:
      return '흐림';
    default:
      return null;
  }
}

/**
 * Precipitation type (PTY): 0 none, 1 비, 2 비/눈, 3 눈, 4 소나기 (short-range forecast);
 * 5 빗방울, 6 빗방울눈날림, 7 눈날림 (ultra-short-range).
 */
export function skyFromPrecipitationCode(code: number | null): string | null {
  switch (code) {
    case 1:
    case 5:
      return '비';
    case 2:
    case 6:
      return '비/눈';
    case 3:
      return '눈';
    case 7:
      return '눈날림';
    case 4:
      return '소나기';
    default:
      return null;
  }
}

/** A grid point's sky: precipitation wins over the sky code. */
export function gridSky(precipitation: number | null, skyCode: number | null): string | null {
  return skyFromPrecipitationCode(precipitation) ?? skyFromForecastCode(skyCode);
}

/** Every label these functions can return, for icons and tests. */
export const SKY_LABELS: readonly string[] = [
  ...new Set([
    '맑음',
    '구름조금',
    '구름많음',
    '흐림',
    ...PRESENT_WEATHER.flatMap(([, , label]) => (label === null ? [] : [label])),
    '소나기',
    '눈날림',
  ]),
];
