import { formatKstHour, kstParts, toKstIso } from '../../shared/kst.ts';
import { renderDocument } from '../jsx/jsx-runtime.ts';
import { WeatherIcon, WeatherIconSprite } from '../components/WeatherIcon.tsx';
import { SiteLayout } from '../layouts/SiteLayout.tsx';
import type { ChromeView, ForecastDayView, ForecastView, TickerView } from '../model.ts';
import { weatherPath } from '../urls.ts';

const KMA_URL = 'https://www.weather.go.kr/';

export interface WeatherPageProps {
  chrome: ChromeView;
  /** The paper's forecast region, e.g. 제주. */
  region: string;
  /** Null when there is no current forecast for the region: the section is left out. */
  forecast: ForecastView | null;
}

/** `2.4℃`, `-0.4℃`; never `-0.0℃`. */
function formatTemp(t: number | null): string {
  if (t === null) return '-';
  const rounded = Math.round(t * 10) / 10;
  return `${(rounded === 0 ? 0 : rounded).toFixed(1)}℃`;
}

/** `12월 9일 14시` (with minutes only when they are not zero). */
function formatHour(ms: number): string {
  const minute = kstParts(ms).minute;
  return `${formatKstHour(ms)}${minute === 0 ? '' : ` ${minute}분`}`;
}

function Sky({ sky }: { sky: string | null }) {
  if (sky === null) return null;
  return (
    <span class="weather-sky">
      <WeatherIcon sky={sky} />
      <span>{sky}</span>
    </span>
  );
}

function CurrentWeather({ ticker }: { ticker: TickerView | null }) {
  const places = ticker?.places ?? [];
  return (
    <section class="weather-block" aria-labelledby="weather-now">
      <div class="weather-block-head">
        <h2 id="weather-now">전국 날씨</h2>
        {ticker?.isSample ? <strong class="weather-sample">예시</strong> : null}
      </div>
      {ticker === null || places.length === 0 ? (
        <p class="weather-unavailable">
          현재 관측 자료를 받지 못했습니다. 기상청 자료가 들어오는 대로 이곳에 표시합니다.
        </p>
      ) : (
        <>
          <p class="weather-caption">
            <time datetime={toKstIso(ticker.observedAt)}>{formatHour(ticker.observedAt)}</time> 기준
            ·{' '}
            <a href={KMA_URL} rel="noopener noreferrer">
              기상청 제공
            </a>
          </p>
          {ticker.isSample ? (
            <p class="weather-sample-note">
              아래 날씨와 기온은 실제 관측값이 아닌 예시 자료입니다.
            </p>
          ) : null}
          <ul class="weather-places">
            {places.map((p) => (
              <li class="weather-place">
                <span class="weather-place-name">{p.name}</span>
                <Sky sky={p.sky} />
                <span class="weather-place-temp">{formatTemp(p.temperature)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function ForecastDay({ day, index }: { day: ForecastDayView; index: number }) {
  const p = kstParts(day.at);
  const id = `weather-day-${index}`;
  return (
    <section class="weather-day" aria-labelledby={id}>
      <div class="weather-day-head">
        <h3 id={id}>
          {p.month}월 {p.day}일({p.weekday}) {day.relative}
        </h3>
        <p class="weather-minmax">
          <span class="weather-min">
            최저 <strong>{formatTemp(day.min)}</strong>
          </span>
          <span class="weather-max">
            최고 <strong>{formatTemp(day.max)}</strong>
          </span>
        </p>
      </div>
      {day.hours.length === 0 ? (
        <p class="weather-note">
          {day.relative === '오늘'
            ? '오늘 남은 시간의 예보가 없습니다.'
            : '이날의 시간별 예보가 아직 없습니다.'}
        </p>
      ) : (
        <div
          class="weather-hours"
          role="region"
          aria-label={`${p.month}월 ${p.day}일 시간별 예보`}
          tabindex="0"
        >
          <table class="weather-hours-table">
            <thead>
              <tr>
                <th scope="row">시각</th>
                {day.hours.map((h) => (
                  <th scope="col">
                    <time datetime={toKstIso(h.at)}>{kstParts(h.at).hour}시</time>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr class="weather-hours-sky">
                <th scope="row">날씨</th>
                {day.hours.map((h) => (
                  <td>{h.sky === null ? '-' : <Sky sky={h.sky} />}</td>
                ))}
              </tr>
              <tr class="weather-hours-temp">
                <th scope="row">기온</th>
                {day.hours.map((h) => (
                  <td>{formatTemp(h.temperature)}</td>
                ))}
              </tr>
              <tr class="weather-hours-chance">
                <th scope="row">강수확률</th>
                {day.hours.map((h) => (
                  <td class={h.chance !== null && h.chance >= 60 ? 'weather-wet' : undefined}>
                    {h.chance === null ? '-' : `${h.chance}%`}
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Forecast({ forecast }: { forecast: ForecastView }) {
  return (
    <section class="weather-block" aria-labelledby="weather-forecast">
      <div class="weather-block-head">
        <h2 id="weather-forecast">{forecast.region} 단기예보</h2>
      </div>
      <p class="weather-caption">
        기상청 단기예보 ·{' '}
        <time datetime={toKstIso(forecast.issuedAt)}>{formatKstHour(forecast.issuedAt)}</time> 발표
      </p>
      {forecast.days.map((day, index) => (
        <ForecastDay day={day} index={index} />
      ))}
    </section>
  );
}

export function renderWeatherPage({ chrome, region, forecast }: WeatherPageProps): string {
  const tickerSkies = (chrome.ticker?.places ?? []).flatMap((p) => (p.sky === null ? [] : [p.sky]));
  const forecastSkies = (forecast?.days ?? []).flatMap((d) =>
    d.hours.flatMap((h) => (h.sky === null ? [] : [h.sky])),
  );
  return renderDocument(
    <SiteLayout
      chrome={chrome}
      meta={{
        title: '날씨',
        description: `${chrome.publisher.name} 날씨: ${region} 시간별 단기예보와 전국 주요 지점의 현재 날씨를 기상청 자료로 전합니다.`,
        path: weatherPath,
        type: 'website',
      }}
    >
      {/* The ticker's sprite already holds the icons of the current weather. */}
      <WeatherIconSprite skies={forecastSkies} omit={chrome.ticker === null ? [] : tickerSkies} />
      <header class="section-head">
        <h1>날씨</h1>
      </header>
      <div class="weather-page">
        <CurrentWeather ticker={chrome.ticker} />
        {forecast === null ? null : <Forecast forecast={forecast} />}
      </div>
    </SiteLayout>,
  );
}
