import { formatKstDate, kstParts } from '../../../shared/kst.ts';
import { renderDocument } from '../../../views/jsx/jsx-runtime.ts';
import { AdminLayout } from '../../../views/admin/AdminLayout.tsx';
import type { AdminChrome } from '../../../views/admin/model.ts';

export interface DayViewsView {
  /** Start of the KST day, epoch ms. */
  start: number;
  views: number;
}

export interface ReadersDashboardView {
  /** Today first of the last 30 KST days is last. */
  days: DayViewsView[];
  /** Last 7 days, most read first. */
  sections: { name: string; views: number }[];
  /** Today's most read articles. */
  top: { id: number; title: string; section: string; status: string | null; views: number }[];
}

export interface ArticleReadersView {
  id: number;
  title: string;
  days: DayViewsView[];
}

const count = (n: number): string => n.toLocaleString('ko-KR');
const sum = (days: DayViewsView[]): number => days.reduce((total, d) => total + d.views, 0);

/** `12.09` */
const shortDay = (at: number): string => formatKstDate(at).slice(5);
/** `12월 9일 (화)` */
const longDay = (at: number): string => {
  const p = kstParts(at);
  return `${p.month}월 ${p.day}일 (${p.weekday})`;
};

/** The top of the scale: 2, 4 or 10 times a power of ten, so the middle line is whole. */
function scaleTop(max: number): number {
  for (let power = 1; ; power *= 10) {
    for (const step of [2, 4, 10]) if (step * power >= max) return step * power;
  }
}

/**
 * Views per day as bars, in an SVG that scales with the page (its text scales too, so the
 * labels are few and large). Screen readers get a one-line summary; every figure is in
 * the table below it.
 */
function DailyChart({ days, id, label }: { days: DayViewsView[]; id: string; label: string }) {
  const width = 600;
  const height = 220;
  const pad = { top: 18, right: 8, bottom: 34, left: 64 };
  const max = scaleTop(Math.max(1, ...days.map((d) => d.views)));
  const plot = height - pad.top - pad.bottom;
  const step = (width - pad.left - pad.right) / Math.max(1, days.length);
  const bar = Math.max(2, step * 0.7);
  const y = (value: number) => pad.top + plot * (1 - value / max);
  const busiest = days.reduce<DayViewsView | null>(
    (best, d) => (best === null || d.views > best.views ? d : best),
    null,
  );
  const summary =
    busiest === null || busiest.views === 0
      ? `${label}: 아직 조회가 없습니다.`
      : `${label}: ${days.length}일 합계 ${count(sum(days))}회, 가장 많은 날 ${longDay(busiest.start)} ${count(busiest.views)}회, 오늘 ${count(days.at(-1)?.views ?? 0)}회.`;
  return (
    <figure class="readers-chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={`${id}-title`}
        focusable="false"
      >
        <title id={`${id}-title`}>{summary}</title>
        {[0, 0.5, 1].map((f) => (
          <>
            <line
              class={f === 0 ? 'readers-axis' : 'readers-grid'}
              x1={pad.left}
              x2={width - pad.right}
              y1={y(max * f)}
              y2={y(max * f)}
            />
            <text class="readers-tick" x={pad.left - 6} y={y(max * f) + 5} text-anchor="end">
              {count(max * f)}
            </text>
          </>
        ))}
        {days.map((d, i) => {
          const x = pad.left + i * step + (step - bar) / 2;
          const top = y(d.views);
          // Label every fifth day counted back from today, so today always has one.
          const labelled = (days.length - 1 - i) % 5 === 0;
          return (
            <>
              <rect
                class={i === days.length - 1 ? 'readers-bar readers-bar-today' : 'readers-bar'}
                x={x.toFixed(1)}
                y={top.toFixed(1)}
                width={bar.toFixed(1)}
                height={Math.max(0, height - pad.bottom - top).toFixed(1)}
              >
                <title>{`${longDay(d.start)} ${count(d.views)}회`}</title>
              </rect>
              {labelled ? (
                // Today's label ends at its bar, inside the drawing.
                <text
                  class="readers-tick"
                  x={(i === days.length - 1 ? x + bar : x + bar / 2).toFixed(1)}
                  y={height - 8}
                  text-anchor={i === days.length - 1 ? 'end' : 'middle'}
                >
                  {shortDay(d.start)}
                </text>
              ) : null}
            </>
          );
        })}
      </svg>
      <details class="readers-data">
        <summary>표로 보기</summary>
        <table class="admin-table">
          <caption class="visually-hidden">{label}</caption>
          <thead>
            <tr>
              <th scope="col">날짜</th>
              <th scope="col" class="num">
                조회
              </th>
            </tr>
          </thead>
          <tbody>
            {[...days].reverse().map((d) => (
              <tr>
                <th scope="row">{longDay(d.start)}</th>
                <td class="num">{count(d.views)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

function Totals({ days }: { days: DayViewsView[] }) {
  const rows: [string, number][] = [
    ['오늘', days.at(-1)?.views ?? 0],
    ['최근 7일', sum(days.slice(-7))],
    [`최근 ${days.length}일`, sum(days)],
  ];
  return (
    <dl class="readers-totals">
      {rows.map(([label, value]) => (
        <div>
          <dt>{label}</dt>
          <dd>{count(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

const NOTE =
  '같은 독자가 하루(한국 시간)에 같은 기사를 여러 번 열어도 한 번으로 셉니다. 검색엔진 로봇과 브라우저의 미리 불러오기는 세지 않습니다. 조회는 5초마다 저장됩니다.';

export function renderReadersDashboard(chrome: AdminChrome, view: ReadersDashboardView): string {
  const today = view.days.at(-1)?.start ?? 0;
  const sectionMax = Math.max(1, ...view.sections.map((s) => s.views));
  const sectionTotal = view.sections.reduce((t, s) => t + s.views, 0);
  return renderDocument(
    <AdminLayout chrome={chrome} title="독자 통계">
      <div class="page-head">
        <h1>독자 통계</h1>
      </div>
      <p class="readers-note">{NOTE}</p>
      <Totals days={view.days} />

      <section class="panel" aria-labelledby="readers-daily">
        <h2 id="readers-daily">일별 조회 (최근 {view.days.length}일)</h2>
        <DailyChart days={view.days} id="readers-daily-chart" label="최근 30일 일별 조회" />
      </section>

      <section class="panel" aria-labelledby="readers-sections">
        <h2 id="readers-sections">섹션별 조회 (최근 7일)</h2>
        {view.sections.length === 0 ? (
          <p class="readers-empty">최근 7일 동안 조회가 없습니다.</p>
        ) : (
          <table class="admin-table readers-sections">
            <thead>
              <tr>
                <th scope="col">섹션</th>
                <th scope="col">
                  <span class="visually-hidden">비율</span>
                </th>
                <th scope="col" class="num">
                  조회
                </th>
              </tr>
            </thead>
            <tbody>
              {view.sections.map((s) => (
                <tr>
                  <th scope="row">{s.name}</th>
                  <td class="readers-hbar-cell">
                    <svg
                      class="readers-hbar"
                      viewBox="0 0 100 10"
                      preserveAspectRatio="none"
                      aria-hidden="true"
                      focusable="false"
                    >
                      <rect width={((100 * s.views) / sectionMax).toFixed(1)} height="10" />
                    </svg>
                  </td>
                  <td class="num">
                    {count(s.views)}{' '}
                    <small>({Math.round((100 * s.views) / Math.max(1, sectionTotal))}%)</small>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section class="panel" aria-labelledby="readers-top">
        <h2 id="readers-top">오늘 많이 본 기사 ({formatKstDate(today)})</h2>
        {view.top.length === 0 ? (
          <p class="readers-empty">오늘은 아직 조회가 없습니다.</p>
        ) : (
          <div class="table-scroll">
            <table class="admin-table readers-top">
              <thead>
                <tr>
                  <th scope="col" class="num">
                    순위
                  </th>
                  <th scope="col">제목</th>
                  <th scope="col">섹션</th>
                  <th scope="col" class="num">
                    조회
                  </th>
                  <th scope="col">
                    <span class="visually-hidden">추이</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {view.top.map((a, i) => (
                  <tr>
                    <td class="num">{i + 1}</td>
                    <td>
                      <a href={`/admin/articles/${a.id}`}>{a.title}</a>
                      {a.status === null ? null : <small class="readers-status"> {a.status}</small>}
                    </td>
                    <td>{a.section}</td>
                    <td class="num">{count(a.views)}</td>
                    <td>
                      <a
                        href={`/admin/readers/articles/${a.id}`}
                        aria-label={`${a.title} 일별 조회`}
                      >
                        일별
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </AdminLayout>,
  );
}

export function renderArticleReaders(chrome: AdminChrome, view: ArticleReadersView): string {
  return renderDocument(
    <AdminLayout chrome={chrome} title={`독자 통계 - ${view.title}`}>
      <div class="page-head">
        <h1>기사 조회</h1>
        <a href="/admin/readers">독자 통계로</a>
      </div>
      <p>
        <a href={`/admin/articles/${view.id}`}>{view.title}</a>
      </p>
      <Totals days={view.days} />
      <section class="panel" aria-labelledby="readers-article-daily">
        <h2 id="readers-article-daily">일별 조회 (최근 {view.days.length}일)</h2>
        <DailyChart
          days={view.days}
          id="readers-article-chart"
          label={`「${view.title}」 최근 ${view.days.length}일 일별 조회`}
        />
      </section>
    </AdminLayout>,
  );
}
