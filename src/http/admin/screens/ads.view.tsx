import { renderDocument } from '../../../views/jsx/jsx-runtime.ts';
import { AdminLayout, Csrf, ErrorFlash } from '../../../views/admin/AdminLayout.tsx';
import type { AdminChrome } from '../../../views/admin/model.ts';

export interface CampaignRowView {
  id: number;
  title: string;
  advertiser: string;
  slotName: string;
  kind: 'image' | 'html';
  period: string;
  status: '진행 중' | '예정' | '종료' | '일시정지';
  targeting: string;
  weight: number;
  impressions: number;
  clicks: number;
  isSample: boolean;
  paused: boolean;
  /** The desk may not touch an HTML tag. */
  editable: boolean;
}

export interface SlotRowView {
  id: string;
  name: string;
  width: number;
  height: number;
  paragraph: number | null;
  enabled: boolean;
}

export interface CampaignFormView {
  id: number | null;
  values: Record<string, string>;
  sections: Array<{ slug: string; name: string; checked: boolean }>;
  slots: Array<{ id: string; name: string; size: string }>;
  imageSrc: string | null;
  /** Admins may enter HTML tags. */
  allowHtml: boolean;
  error?: string;
  maxUploadMb: number;
}

export interface ReportView {
  id: number;
  title: string;
  advertiser: string;
  from: string;
  to: string;
  rows: Array<{ day: string; impressions: number; clicks: number; ctr: number }>;
  totals: { impressions: number; clicks: number; ctr: number };
  csvHref: string;
  error?: string;
}

const number = (n: number) => n.toLocaleString('ko-KR');
const percent = (ratio: number) => `${(ratio * 100).toFixed(2)}%`;

export function renderCampaigns(
  chrome: AdminChrome,
  view: {
    campaigns: CampaignRowView[];
    slots: SlotRowView[];
    canEditSlots: boolean;
    error?: string;
  },
): string {
  const csrf = chrome.csrfToken;
  return renderDocument(
    <AdminLayout chrome={chrome} title="광고">
      <div class="page-head">
        <h1>광고</h1>
        <a class="button primary" href="/admin/ads/new">
          새 광고
        </a>
      </div>
      <ErrorFlash message={view.error} />
      <section class="panel">
        <h2>광고 목록</h2>
        {view.campaigns.length === 0 ? <p>아직 광고가 없습니다.</p> : null}
        <div class="table-scroll">
          <table class="admin-table ads-table">
            <thead>
              <tr>
                <th scope="col">광고</th>
                <th scope="col">위치</th>
                <th scope="col">기간</th>
                <th scope="col">상태</th>
                <th scope="col" class="num">
                  노출
                </th>
                <th scope="col" class="num">
                  클릭
                </th>
                <th scope="col" class="num">
                  클릭률
                </th>
                <th scope="col"></th>
              </tr>
            </thead>
            <tbody>
              {view.campaigns.map((c) => (
                <tr>
                  <td>
                    <strong>{c.title}</strong>
                    {c.isSample ? <small class="badge">예시</small> : null}
                    {c.kind === 'html' ? <small class="badge">HTML</small> : null}
                    <br />
                    <small>
                      {c.advertiser || '광고주 미입력'} · 가중치 {c.weight} · {c.targeting}
                    </small>
                  </td>
                  <td>{c.slotName}</td>
                  <td>
                    <small>{c.period}</small>
                  </td>
                  <td>
                    <span class={`ad-status ad-status-${c.status === '진행 중' ? 'live' : 'idle'}`}>
                      {c.status}
                    </span>
                  </td>
                  <td class="num">{number(c.impressions)}</td>
                  <td class="num">{number(c.clicks)}</td>
                  <td class="num">
                    {c.impressions === 0 ? '-' : percent(c.clicks / c.impressions)}
                  </td>
                  <td class="actions">
                    <a href={`/admin/ads/${c.id}/report`}>보고서</a>
                    {c.editable ? <a href={`/admin/ads/${c.id}`}>수정</a> : null}
                    {c.editable ? (
                      <form method="post" action={`/admin/ads/${c.id}/pause`} class="inline">
                        <Csrf token={csrf} />
                        <input type="hidden" name="paused" value={c.paused ? '0' : '1'} />
                        <button type="submit" class="link-button">
                          {c.paused ? '다시 걸기' : '일시정지'}
                        </button>
                      </form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section class="panel">
        <h2>배너 위치</h2>
        <p class="hint">
          크기는 광고 소개서에 적는 기준 크기입니다. 끈 위치에는 광고가 걸려 있어도 나오지 않습니다.
        </p>
        <table class="admin-table">
          <tbody>
            {view.slots.map((s) => (
              <tr>
                <td>
                  <form method="post" action={`/admin/ads/slots/${s.id}`} class="inline-form">
                    <Csrf token={csrf} />
                    <strong class="slot-name">{s.name}</strong>
                    <label>
                      가로
                      <input
                        name="width"
                        value={String(s.width)}
                        inputmode="numeric"
                        size={4}
                        disabled={!view.canEditSlots}
                      />
                    </label>
                    <label>
                      세로
                      <input
                        name="height"
                        value={String(s.height)}
                        inputmode="numeric"
                        size={4}
                        disabled={!view.canEditSlots}
                      />
                    </label>
                    {s.id === 'article-inline' ? (
                      <label>
                        몇째 문단 뒤
                        <input
                          name="paragraph"
                          value={String(s.paragraph ?? 3)}
                          inputmode="numeric"
                          size={2}
                          disabled={!view.canEditSlots}
                        />
                      </label>
                    ) : null}
                    <label>
                      <input
                        type="checkbox"
                        name="enabled"
                        value="1"
                        checked={s.enabled}
                        disabled={!view.canEditSlots}
                      />{' '}
                      켜기
                    </label>
                    {view.canEditSlots ? (
                      <button type="submit" class="button small">
                        저장
                      </button>
                    ) : null}
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </AdminLayout>,
  );
}

export function renderCampaignForm(chrome: AdminChrome, view: CampaignFormView): string {
  const v = view.values;
  const isHtml = v.kind === 'html';
  const action = view.id === null ? '/admin/ads' : `/admin/ads/${view.id}`;
  return renderDocument(
    <AdminLayout chrome={chrome} title={view.id === null ? '새 광고' : '광고 수정'}>
      <div class="page-head">
        <h1>{view.id === null ? '새 광고' : '광고 수정'}</h1>
        <a href="/admin/ads">목록으로</a>
      </div>
      <ErrorFlash message={view.error} />
      <form method="post" action={action} enctype="multipart/form-data" class="panel stack ad-form">
        <Csrf token={chrome.csrfToken} />
        <label>
          광고 이름
          <input name="title" value={v.title ?? ''} maxlength={200} required />
        </label>
        <label>
          광고주
          <input name="advertiser" value={v.advertiser ?? ''} maxlength={100} />
        </label>
        <label>
          위치
          <select name="slot">
            {view.slots.map((s) => (
              <option value={s.id} selected={v.slot === s.id}>
                {s.name} ({s.size})
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>종류</legend>
          <label>
            <input type="radio" name="kind" value="image" checked={!isHtml} /> 이미지 배너
          </label>
          {view.allowHtml ? (
            <label>
              <input type="radio" name="kind" value="html" checked={isHtml} /> HTML 광고 태그 (광고
              네트워크)
            </label>
          ) : null}
        </fieldset>
        <div class="ad-kind ad-kind-image">
          {view.imageSrc ? (
            <p>
              <img class="ad-preview" src={view.imageSrc} alt="지금 배너 이미지" />
            </p>
          ) : null}
          <label>
            배너 이미지 {view.imageSrc ? '(바꿀 때만)' : ''}
            <input type="file" name="image" accept="image/jpeg,image/png,image/gif,image/webp" />
          </label>
          <p class="hint">
            JPEG, PNG, GIF, WebP, {view.maxUploadMb}MB까지. 선명하게 보이도록 위치 크기의 2배로
            만들어도 됩니다.
          </p>
          <label>
            연결 주소
            <input name="linkUrl" value={v.linkUrl ?? ''} maxlength={2000} placeholder="https://" />
          </label>
        </div>
        {view.allowHtml ? (
          <div class="ad-kind ad-kind-html">
            <label>
              HTML 광고 태그
              <textarea name="htmlTag" rows={6} maxlength={20000} spellcheck="false">
                {v.htmlTag ?? ''}
              </textarea>
            </label>
            <p class="hint">
              태그는 권한이 제한된 별도 프레임(sandbox) 안에서만 실행되어 사이트의
              쿠키·로그인·페이지에 닿을 수 없습니다.
            </p>
          </div>
        ) : null}
        <div class="form-row">
          <label>
            가로
            <input
              name="width"
              value={v.width ?? ''}
              inputmode="numeric"
              size={5}
              placeholder="위치 크기"
            />
          </label>
          <label>
            세로
            <input
              name="height"
              value={v.height ?? ''}
              inputmode="numeric"
              size={5}
              placeholder="위치 크기"
            />
          </label>
          <label>
            가중치
            <input name="weight" value={v.weight ?? '1'} inputmode="numeric" size={3} />
          </label>
        </div>
        <div class="form-row">
          <label>
            시작 (한국 시간)
            <input type="datetime-local" name="startsAt" value={v.startsAt ?? ''} required />
          </label>
          <label>
            종료 (한국 시간)
            <input type="datetime-local" name="endsAt" value={v.endsAt ?? ''} required />
          </label>
        </div>
        <fieldset>
          <legend>기기</legend>
          {(
            [
              ['all', '모두'],
              ['desktop', 'PC만'],
              ['mobile', '모바일만'],
            ] as const
          ).map(([value, label]) => (
            <label>
              <input
                type="radio"
                name="device"
                value={value}
                checked={(v.device ?? 'all') === value}
              />{' '}
              {label}
            </label>
          ))}
          <p class="hint">
            가로 640px보다 넓은 배너는 휴대전화에 나가지 않습니다. 읽을 수 없을 만큼 작아지기
            때문입니다. 휴대전화용은 320×100 같은 크기로 따로 만들어 ‘모바일만’으로 올리세요.
          </p>
        </fieldset>
        <fieldset>
          <legend>섹션 (고르지 않으면 모든 면)</legend>
          <div class="checkbox-grid">
            {view.sections.map((s) => (
              <label>
                <input type="checkbox" name="sections" value={s.slug} checked={s.checked} />{' '}
                {s.name}
              </label>
            ))}
          </div>
        </fieldset>
        <label>
          <input type="checkbox" name="paused" value="1" checked={v.paused === '1'} /> 일시정지
          상태로 저장
        </label>
        <p>
          <button type="submit" class="button primary">
            저장
          </button>
        </p>
      </form>
    </AdminLayout>,
  );
}

/** Daily bars of impressions with clicks beside them, as an inline SVG with a text fallback. */
function DailyChart({ rows }: { rows: ReportView['rows'] }) {
  const width = 720;
  const height = 220;
  const pad = { top: 16, right: 12, bottom: 28, left: 48 };
  const max = Math.max(1, ...rows.map((r) => r.impressions));
  const maxClicks = Math.max(1, ...rows.map((r) => r.clicks));
  const step = (width - pad.left - pad.right) / Math.max(1, rows.length);
  const bar = Math.max(2, step * 0.6);
  const y = (value: number, of: number) =>
    pad.top + (height - pad.top - pad.bottom) * (1 - value / of);
  const everyNth = Math.max(1, Math.ceil(rows.length / 8));
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`일별 노출(막대)과 클릭(선), 최대 노출 ${number(max)}회, 최대 클릭 ${number(maxClicks)}회`}
        preserveAspectRatio="none"
      >
        <line
          x1={pad.left}
          y1={height - pad.bottom}
          x2={width - pad.right}
          y2={height - pad.bottom}
          class="axis"
        />
        <text x={pad.left - 6} y={pad.top + 4} class="tick" text-anchor="end">
          {number(max)}
        </text>
        <text x={pad.left - 6} y={height - pad.bottom} class="tick" text-anchor="end">
          0
        </text>
        {rows.map((r, i) => {
          const x = pad.left + i * step + (step - bar) / 2;
          const top = y(r.impressions, max);
          return (
            <>
              <rect x={x} y={top} width={bar} height={height - pad.bottom - top} class="bar">
                <title>
                  {r.day}: 노출 {number(r.impressions)}, 클릭 {number(r.clicks)}
                </title>
              </rect>
              {i % everyNth === 0 ? (
                <text x={x + bar / 2} y={height - 8} class="tick" text-anchor="middle">
                  {r.day.slice(5)}
                </text>
              ) : null}
            </>
          );
        })}
        <polyline
          class="line"
          points={rows
            .map(
              (r, i) =>
                `${(pad.left + i * step + step / 2).toFixed(1)},${y(r.clicks, maxClicks).toFixed(1)}`,
            )
            .join(' ')}
        />
      </svg>
      <figcaption>
        <span class="legend legend-bar">노출</span>{' '}
        <span class="legend legend-line">클릭 (오른쪽 눈금 최대 {number(maxClicks)})</span>
      </figcaption>
    </figure>
  );
}

export function renderReport(chrome: AdminChrome, view: ReportView): string {
  return renderDocument(
    <AdminLayout chrome={chrome} title={`광고 보고서 - ${view.title}`}>
      <div class="page-head">
        <h1>광고 보고서</h1>
        <a href="/admin/ads">목록으로</a>
      </div>
      <p>
        <strong>{view.title}</strong> · {view.advertiser || '광고주 미입력'}
      </p>
      <ErrorFlash message={view.error} />
      <form method="get" action={`/admin/ads/${view.id}/report`} class="inline-form panel">
        <label>
          시작일
          <input type="date" name="from" value={view.from} />
        </label>
        <label>
          종료일
          <input type="date" name="to" value={view.to} />
        </label>
        <button type="submit" class="button">
          보기
        </button>
        <a class="button" href={view.csvHref}>
          CSV 내려받기
        </a>
      </form>
      <section class="panel">
        <h2>
          합계: 노출 {number(view.totals.impressions)} · 클릭 {number(view.totals.clicks)} · 클릭률{' '}
          {percent(view.totals.ctr)}
        </h2>
        <DailyChart rows={view.rows} />
        <div class="table-scroll">
          <table class="admin-table">
            <thead>
              <tr>
                <th scope="col">날짜</th>
                <th scope="col" class="num">
                  노출
                </th>
                <th scope="col" class="num">
                  클릭
                </th>
                <th scope="col" class="num">
                  클릭률
                </th>
              </tr>
            </thead>
            <tbody>
              {view.rows.map((r) => (
                <tr>
                  <td>{r.day}</td>
                  <td class="num">{number(r.impressions)}</td>
                  <td class="num">{number(r.clicks)}</td>
                  <td class="num">{r.impressions === 0 ? '-' : percent(r.ctr)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </AdminLayout>,
  );
}
