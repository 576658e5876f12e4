import { renderDocument } from '../../../views/jsx/jsx-runtime.ts';
import { AdminLayout, Csrf, ErrorFlash } from '../../../views/admin/AdminLayout.tsx';
import type { AdminChrome } from '../../../views/admin/model.ts';

export interface WeatherPlaceRowView {
  id: string;
  name: string;
  /** Where the reading comes from, e.g. `ASOS 184` or `격자 53,38 (33.5141, 126.5297)`. */
  where: string;
  /** The stored reading, e.g. `구름조금 9.8℃ · 12월 9일 14시`, or null. */
  reading: string | null;
  /** The reading is older than three hours, or sample data. */
  note: string | null;
}

export interface WeatherSourceView {
  label: string;
  configured: boolean;
  attempted: string | null;
  succeeded: string | null;
  observed: string | null;
  error: string | null;
}

export interface WeatherTestView {
  placeName: string;
  ok: boolean;
  summary: string;
  details: Array<[string, string]>;
}

export interface WeatherAdminView {
  refreshMinutes: number;
  sources: WeatherSourceView[];
  places: WeatherPlaceRowView[];
  /** ASOS stations not yet on the list. */
  stations: Array<{ station: number; name: string }>;
  maxPlaces: number;
  test?: WeatherTestView;
  report?: Array<{ label: string; ok: boolean; message: string }>;
  error?: string;
  values?: Record<string, string>;
}

function PlaceAction(props: {
  csrf: string;
  action: string;
  id: string;
  label: string;
  extra?: Record<string, string>;
  title: string;
}) {
  return (
    <form method="post" action={`/admin/weather/places/${props.action}`} class="inline">
      <Csrf token={props.csrf} />
      <input type="hidden" name="place" value={props.id} />
      {Object.entries(props.extra ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class="button small" title={props.title}>
        {props.label}
      </button>
    </form>
  );
}

export function renderWeatherAdmin(chrome: AdminChrome, view: WeatherAdminView): string {
  const v = view.values ?? {};
  const csrf = chrome.csrfToken;
  const anyKey = view.sources.some((s) => s.configured);
  return renderDocument(
    <AdminLayout chrome={chrome} title="날씨">
      <div class="page-head">
        <h1>날씨</h1>
        <form method="post" action="/admin/weather/refresh">
          <Csrf token={csrf} />
          <button type="submit" class="button primary" disabled={!anyKey}>
            지금 새로 받기
          </button>
        </form>
      </div>
      <ErrorFlash message={view.error} />
      {view.report ? (
        <section class="panel" aria-live="polite">
          <h2>새로 받은 결과</h2>
          {view.report.length === 0 ? (
            <p>다른 서버가 방금 새로 받았거나, 받을 자료원이 없습니다.</p>
          ) : (
            <ul class="weather-report">
              {view.report.map((r) => (
                <li class={r.ok ? 'ok' : 'failed'}>
                  <strong>{r.label}</strong> {r.ok ? '성공' : '실패'} — {r.message}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      {view.test ? (
        <section class="panel" aria-live="polite">
          <h2>{view.test.placeName} 확인 결과</h2>
          <p class={view.test.ok ? 'test-ok' : 'test-failed'}>{view.test.summary}</p>
          {view.test.details.length > 0 ? (
            <dl class="weather-details">
              {view.test.details.map(([label, value]) => (
                <>
                  <dt>{label}</dt>
                  <dd>{value}</dd>
                </>
              ))}
            </dl>
          ) : null}
        </section>
      ) : null}

      <section class="panel">
        <h2>자료원</h2>
        {anyKey ? null : (
          <p class="hint">
            기상청 키가 없어 날씨 띠에는 <strong>예시</strong> 자료가 표시됩니다. 서버 환경 변수{' '}
            <code>TAMNA_KMA_AUTH_KEY</code>(기상청 API 허브) 또는 <code>TAMNA_KMA_SERVICE_KEY</code>
            (공공데이터포털 단기예보)를 설정하세요.
          </p>
        )}
        <table class="admin-table">
          <thead>
            <tr>
              <th scope="col">자료원</th>
              <th scope="col">키</th>
              <th scope="col">마지막 시도</th>
              <th scope="col">마지막 성공</th>
              <th scope="col">상태</th>
            </tr>
          </thead>
          <tbody>
            {view.sources.map((s) => (
              <tr>
                <th scope="row">{s.label}</th>
                <td>{s.configured ? '설정됨' : '없음'}</td>
                <td>{s.attempted ?? '-'}</td>
                <td>
                  {s.succeeded ?? '-'}
                  {s.observed ? <small> (자료 {s.observed})</small> : null}
                </td>
                <td>
                  {s.error ? (
                    <span class="test-failed">{s.error}</span>
                  ) : s.attempted ? (
                    '정상'
                  ) : (
                    '-'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p class="hint">
          {view.refreshMinutes}분마다 새로 받습니다. 실패하면 마지막으로 받은 값을 그대로 보여
          줍니다.
        </p>
      </section>

      <section class="panel">
        <h2>
          날씨 띠 장소 ({view.places.length}/{view.maxPlaces})
        </h2>
        {view.places.length === 0 ? <p>장소가 없습니다. 아래에서 추가하세요.</p> : null}
        <ol class="weather-places">
          {view.places.map((p, i) => (
            <li>
              <div class="weather-place-main">
                <strong>{p.name}</strong> <small>{p.where}</small>
                <span class="weather-reading">
                  {p.reading ?? '아직 받은 값 없음'}
                  {p.note ? <em> · {p.note}</em> : null}
                </span>
              </div>
              <div class="weather-place-actions">
                {i > 0 ? (
                  <PlaceAction
                    csrf={csrf}
                    action="move"
                    id={p.id}
                    extra={{ dir: 'up' }}
                    label="↑"
                    title={`${p.name} 위로`}
                  />
                ) : null}
                {i < view.places.length - 1 ? (
                  <PlaceAction
                    csrf={csrf}
                    action="move"
                    id={p.id}
                    extra={{ dir: 'down' }}
                    label="↓"
                    title={`${p.name} 아래로`}
                  />
                ) : null}
                <PlaceAction
                  csrf={csrf}
                  action="test"
                  id={p.id}
                  label="지금 확인"
                  title={`${p.name} 날씨를 지금 기상청에 물어보기`}
                />
                <PlaceAction
                  csrf={csrf}
                  action="remove"
                  id={p.id}
                  label="빼기"
                  title={`${p.name} 빼기`}
                />
              </div>
            </li>
          ))}
        </ol>
      </section>

      <div class="weather-add">
        <section class="panel">
          <h2>관측 지점 추가</h2>
          <p class="hint">
            기상청 종관기상관측(ASOS) 지점입니다. 전운량으로 맑음·구름조금·구름많음·흐림을 나눕니다.
          </p>
          <form method="post" action="/admin/weather/places" class="stack">
            <Csrf token={csrf} />
            <input type="hidden" name="kind" value="station" />
            <label>
              지점
              <select name="station" required>
                {view.stations.map((s) => (
                  <option value={String(s.station)} selected={v.station === String(s.station)}>
                    {s.name} ({s.station})
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" class="button">
              추가
            </button>
          </form>
        </section>
        <section class="panel">
          <h2>좌표로 추가</h2>
          <p class="hint">
            관측소가 없는 동네(예: 서귀포 읍·면)는 좌표로 더합니다. 공공데이터포털 초단기실황(5km
            격자)을 씁니다.
          </p>
          <form method="post" action="/admin/weather/places" class="stack">
            <Csrf token={csrf} />
            <input type="hidden" name="kind" value="grid" />
            <label>
              이름
              <input name="name" value={v.name ?? ''} maxlength={20} required />
            </label>
            <label>
              위도
              <input
                name="lat"
                value={v.lat ?? ''}
                inputmode="decimal"
                placeholder="33.2541"
                required
              />
            </label>
            <label>
              경도
              <input
                name="lon"
                value={v.lon ?? ''}
                inputmode="decimal"
                placeholder="126.5601"
                required
              />
            </label>
            <button type="submit" class="button">
              추가
            </button>
          </form>
        </section>
      </div>
    </AdminLayout>,
  );
}
