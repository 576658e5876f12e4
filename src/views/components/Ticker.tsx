import { formatKstHour } from '../../shared/kst.ts';
import type { TickerView } from '../model.ts';
import { WeatherIcon, WeatherIconSprite } from './WeatherIcon.tsx';

const formatTemp = (t: number | null): string => (t === null ? '-' : `${t.toFixed(1)}℃`);

function Places({ ticker }: { ticker: TickerView }) {
  return (
    <>
      {ticker.places.map((p) => (
        <li>
          {p.sky === null ? null : (
            <>
              <WeatherIcon sky={p.sky} />
              <span class="wx-sky">{p.sky}</span>{' '}
            </>
          )}
          <span class="wx-place">{p.name}</span>{' '}
          <span class="wx-temp">{formatTemp(p.temperature)}</span>
        </li>
      ))}
    </>
  );
}

/**
 * The weather ticker: one line of whole places. The places wrap onto lines of their own
 * width, the viewport shows one line, and the site script (client/site/ticker.ts) turns
 * to the next line every few seconds, so a word is never cut at an edge. Without script
 * the first line shows; screen readers get the whole list.
 */
export function Ticker({ ticker }: { ticker: TickerView | null }) {
  if (ticker === null) return null;
  return (
    <section class="ticker" aria-label="전국 날씨 요약">
      <WeatherIconSprite skies={ticker.places.flatMap((p) => (p.sky === null ? [] : [p.sky]))} />
      <div class="ticker-viewport">
        <ul class="ticker-list" data-ticker>
          <Places ticker={ticker} />
        </ul>
      </div>
      <p class="ticker-source">
        {ticker.isSample ? (
          <strong class="ticker-sample" title="실제 관측값이 아닌 예시 자료입니다">
            예시
          </strong>
        ) : null}
        <span class="ticker-time">{formatKstHour(ticker.observedAt)} 기준</span>{' '}
        <a href="https://www.weather.go.kr/" rel="noopener noreferrer">
          기상청 제공
        </a>
        <a class="ticker-more" href="/weather">
          날씨 더보기
        </a>
      </p>
    </section>
  );
}
