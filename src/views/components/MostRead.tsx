import type { MostReadView } from '../model.ts';
import { articlePath } from '../urls.ts';

const WINDOWS = [
  { key: 'day', label: '24시간' },
  { key: 'week', label: '7일' },
] as const;

/**
 * 많이 본 뉴스: the most read articles of the last 24 hours and of 7 days, numbered. The
 * two lists are switched by a pair of radio buttons styled as tabs, without script: one
 * Tab stop, arrow keys change the period, and the radios announce which is chosen.
 * Browsers without `:has()` show both lists one under the other, each with its heading.
 * Nothing is rendered before anything has been counted.
 */
export function MostRead({ lists }: { lists: MostReadView | null }) {
  if (lists === null || (lists.day.length === 0 && lists.week.length === 0)) return null;
  return (
    <section class="box most-read" aria-labelledby="most-read-title">
      <header class="box-head">
        <h2 class="box-title" id="most-read-title">
          많이 본 뉴스
        </h2>
      </header>
      <fieldset class="most-read-tabs">
        <legend class="most-read-hidden">기간</legend>
        {WINDOWS.map((w, i) => (
          <>
            <input
              class={`most-read-radio most-read-radio-${w.key}`}
              type="radio"
              name="most-read-window"
              id={`most-read-${w.key}`}
              value={w.key}
              checked={i === 0}
              aria-controls={`most-read-panel-${w.key}`}
            />
            <label class="most-read-tab" for={`most-read-${w.key}`}>
              {w.label}
            </label>
          </>
        ))}
      </fieldset>
      {WINDOWS.map((w) => {
        const articles = lists[w.key];
        return (
          <div class={`most-read-panel most-read-panel-${w.key}`} id={`most-read-panel-${w.key}`}>
            <h3 class="most-read-heading">{`${w.label} 동안 많이 본 뉴스`}</h3>
            {articles.length > 0 ? (
              <ol class="most-read-list">
                {articles.map((a) => (
                  <li>
                    <a href={articlePath(a.id)}>{a.title}</a>
                  </li>
                ))}
              </ol>
            ) : (
              <p class="most-read-empty">아직 집계된 기사가 없습니다.</p>
            )}
          </div>
        );
      })}
    </section>
  );
}
