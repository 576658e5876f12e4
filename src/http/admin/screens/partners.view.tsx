import { formatKstDate } from '../../../shared/kst.ts';
import { renderDocument } from '../../../views/jsx/jsx-runtime.ts';
import { AdminLayout } from '../../../views/admin/AdminLayout.tsx';
import type { AdminChrome } from '../../../views/admin/model.ts';

export interface MonthlyOwnRowView {
  label: string;
  own: number[];
  ownTotal: number;
  total: number;
  share: number | null;
}

export interface PartnersView {
  months: number;
  maxMonths: number;
  /** Why the asked period was not used (shown beside the field). */
  error: string | null;
  /** The period, epoch ms, both ends included. */
  from: number;
  to: number;
  report: {
    sections: { id: number; name: string }[];
    rows: MonthlyOwnRowView[];
    total: MonthlyOwnRowView;
  };
  articlesHref: string;
  monthlyHref: string;
  feed: { url: string; open: boolean };
}

const count = (n: number): string => n.toLocaleString('ko-KR');
const percent = (share: number | null): string => (share === null ? '–' : `${share.toFixed(1)}%`);

function Row({ row, head }: { row: MonthlyOwnRowView; head?: boolean }) {
  return (
    <tr class={head ? 'partners-total' : undefined}>
      <th scope="row">{row.label}</th>
      {row.own.map((n) => (
        <td class="num">{count(n)}</td>
      ))}
      <td class="num partners-own">{count(row.ownTotal)}</td>
      <td class="num">{count(row.total)}</td>
      <td class="num">{percent(row.share)}</td>
    </tr>
  );
}

export function renderPartners(chrome: AdminChrome, view: PartnersView): string {
  const { report } = view;
  const options = Array.from({ length: view.maxMonths }, (_, i) => i + 1);
  return renderDocument(
    <AdminLayout chrome={chrome} title="포털 제휴">
      <div class="page-head">
        <h1>포털 제휴</h1>
      </div>
      <p class="partners-intro">
        네이버·다음 뉴스 제휴 신청과 재평가에 내는 자료입니다. 출고된 기사만, 처음 출고된 때를
        기준으로 셉니다 (한국 시간).
      </p>

      <form method="get" action="/admin/partners" class="partners-period">
        <label for="f-months">기간</label>
        <select
          id="f-months"
          name="months"
          aria-invalid={view.error ? 'true' : undefined}
          aria-describedby={view.error ? 'e-months' : undefined}
        >
          {options.map((n) => (
            <option value={String(n)} selected={n === view.months}>
              최근 {n}개월
            </option>
          ))}
        </select>
        <button type="submit" class="button">
          보기
        </button>
        <span class="partners-span">
          {formatKstDate(view.from)} ~ {formatKstDate(view.to)}
        </span>
        {view.error ? (
          <p class="field-error" id="e-months" role="alert">
            {view.error}
          </p>
        ) : null}
      </form>

      <section class="panel" aria-labelledby="partners-list">
        <h2 id="partners-list">기사 목록</h2>
        <p>
          기간에 출고된 기사 {count(report.total.total)}건의 주소, 제목, 기자, 최초 출고 시각, 섹션,
          기사 구분(자체기사·통신·보도자료·기고·광고성 기사)입니다. 엑셀에서 바로 열립니다.
        </p>
        <p class="partners-downloads">
          <a class="button primary" href={view.articlesHref} download>
            기사 목록 CSV 내려받기
          </a>
        </p>
      </section>

      <section class="panel" aria-labelledby="partners-own">
        <h2 id="partners-own">월별 자체기사</h2>
        {report.total.total === 0 ? (
          <p class="empty">이 기간에 출고된 기사가 없습니다.</p>
        ) : (
          <div class="table-scroll">
            <table class="admin-table partners-table">
              <caption class="visually-hidden">
                월별, 섹션별 자체기사 수와 전체 기사 중 자체기사 비율
              </caption>
              <thead>
                <tr>
                  <th scope="col">월</th>
                  {report.sections.map((s) => (
                    <th scope="col" class="num">
                      {s.name}
                    </th>
                  ))}
                  <th scope="col" class="num">
                    자체기사
                  </th>
                  <th scope="col" class="num">
                    전체
                  </th>
                  <th scope="col" class="num">
                    비율
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.rows.map((row) => (
                  <Row row={row} />
                ))}
              </tbody>
              <tfoot>
                <Row row={report.total} head />
              </tfoot>
            </table>
          </div>
        )}
        <p class="hint">
          섹션 칸은 그 섹션과 하위 섹션의 자체기사 수입니다. 비율은 그 달 출고된 전체 기사 가운데
          자체기사의 비율입니다.
        </p>
        <p class="partners-downloads">
          <a class="button" href={view.monthlyHref} download>
            월별 자체기사 CSV 내려받기
          </a>
        </p>
      </section>

      <section class="panel" aria-labelledby="partners-feed">
        <h2 id="partners-feed">제휴 피드</h2>
        {view.feed.open ? (
          <p>
            <span class="status status-published">열림</span> 제휴사는 아래 주소에서 새 기사와 고친
            기사를 받아 갑니다 (본문, 사진, 기자, 기사 구분, 정정·반론보도, 판 번호).
          </p>
        ) : (
          <p>
            <span class="status status-unpublished">닫힘</span> 서버 설정{' '}
            <code>TAMNA_PARTNER_TOKEN</code>에 제휴사에 줄 토큰을 넣으면 열립니다.
          </p>
        )}
        <p>
          <code class="partners-url">{view.feed.url}</code>
        </p>
        <p class="hint">
          토큰은 <code>Authorization: Bearer</code> 헤더로 보냅니다. 필드와 커서(since)는 README의
          「Portal partners」에 있습니다.
        </p>
      </section>
    </AdminLayout>,
  );
}
