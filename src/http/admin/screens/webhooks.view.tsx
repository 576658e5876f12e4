import { formatKstDateTime } from '../../../shared/kst.ts';
import { renderDocument } from '../../../views/jsx/jsx-runtime.ts';
import { AdminLayout, Csrf, ErrorFlash } from '../../../views/admin/AdminLayout.tsx';
import type { AdminChrome } from '../../../views/admin/model.ts';

export interface WebhookEndpointView {
  id: number;
  url: string;
  description: string;
  /** Event types subscribed to. */
  events: string[];
  enabled: boolean;
  disabledAt: number | null;
  disabledReason: string | null;
  consecutiveFailures: number;
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
  pending: number;
}

export interface WebhookAttemptView {
  at: number;
  status: number | null;
  latencyMs: number;
  error: string | null;
  excerpt: string | null;
}

export interface WebhookDeliveryView {
  id: number;
  eventId: number;
  type: string;
  articleId: number | null;
  articleTitle: string | null;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
  log: WebhookAttemptView[];
}

export interface WebhookFormValues {
  url: string;
  description: string;
  events: string[];
}

/** Shared by both pages: the event choices, and a secret shown once. */
interface Common {
  /** The events an endpoint may choose, with their Korean labels, in display order. */
  eventLabels: ReadonlyArray<readonly [string, string]>;
  /** Every type a delivery can have (the choices and the admin's test ping) -> label. */
  typeLabels: Readonly<Record<string, string>>;
  /** A secret just made (new endpoint or rotation): shown on this answer only. */
  secret?: string;
  error?: string;
  values?: WebhookFormValues;
  allowPrivate: boolean;
}

export interface WebhooksListView extends Common {
  endpoints: WebhookEndpointView[];
}

export interface WebhookDetailView extends Common {
  endpoint: WebhookEndpointView;
  deliveries: WebhookDeliveryView[];
  /** Retries stop this many hours after the first attempt. */
  retryHours: number;
}

const when = (at: number | null) => (at === null ? '-' : formatKstDateTime(at));
const seconds = (at: number) => {
  const d = new Date(at + 9 * 3_600_000);
  return `${formatKstDateTime(at)}:${String(d.getUTCSeconds()).padStart(2, '0')}`;
};

/** What went wrong, unless the status already says it all. */
const problem = (a: WebhookAttemptView) =>
  a.error === null || a.error === `HTTP ${a.status}` ? '' : ` · ${a.error}`;

function SecretOnce({ secret }: { secret: string }) {
  return (
    <div class="flash flash-ok" role="status">
      <p>
        서명 비밀키입니다. <strong>지금 한 번만</strong> 보여 드립니다. 받는 쪽 설정에 넣으세요.
      </p>
      <p>
        <code class="invite-link secret-once">{secret}</code>
      </p>
      <p class="hint">
        받는 쪽은 <code>X-Tamna-Signature: t=&lt;시각&gt;,v1=&lt;서명&gt;</code> 헤더의 서명이 받은
        본문 그대로의 <code>&lt;t&gt;.&lt;본문&gt;</code>을 이 키로 HMAC-SHA256한 16진수 값과
        같은지, t가 5분 안인지 확인하세요. 같은 사건은 <code>id</code>(evt_…)로 한 번만 처리하세요.
      </p>
    </div>
  );
}

function EndpointForm(props: {
  csrf: string;
  action: string;
  values: WebhookFormValues;
  labels: Common['eventLabels'];
  submit: string;
  allowPrivate: boolean;
}) {
  return (
    <form method="post" action={props.action} class="stack">
      <Csrf token={props.csrf} />
      <label>
        받을 주소 (URL)
        <input
          name="url"
          type="url"
          value={props.values.url}
          maxlength={2000}
          required
          placeholder="https://partner.example.com/hooks/tamna"
        />
      </label>
      {props.allowPrivate ? null : (
        <p class="hint">
          내부망 주소(127.0.0.1, 10.x, 192.168.x, localhost 등)로는 보내지 않습니다.
        </p>
      )}
      <label>
        설명
        <input
          name="description"
          value={props.values.description}
          maxlength={200}
          placeholder="포털 제휴 수신"
        />
      </label>
      <fieldset class="checks webhook-events">
        <legend>보낼 사건</legend>
        {props.labels.map(([type, label]) => (
          <label>
            <input
              type="checkbox"
              name="events"
              value={type}
              checked={props.values.events.includes(type)}
            />{' '}
            {label} <code>{type}</code>
          </label>
        ))}
      </fieldset>
      <button type="submit" class="button primary">
        {props.submit}
      </button>
    </form>
  );
}

function State({ endpoint }: { endpoint: WebhookEndpointView }) {
  return endpoint.enabled ? (
    <span class="status status-published">켜짐</span>
  ) : (
    <span class="status status-unpublished">꺼짐</span>
  );
}

/** 웹훅: the endpoints, any switched off for failing first. */
export function renderWebhooks(chrome: AdminChrome, view: WebhooksListView): string {
  const off = view.endpoints.filter((e) => !e.enabled && e.disabledReason !== null);
  return renderDocument(
    <AdminLayout chrome={chrome} title="웹훅">
      <div class="page-head">
        <h1>웹훅</h1>
      </div>
      <ErrorFlash message={view.error} />
      {view.secret ? <SecretOnce secret={view.secret} /> : null}
      {off.length > 0 ? (
        <section class="panel panel-attention" role="alert">
          <h2>꺼진 웹훅</h2>
          <ul>
            {off.map((e) => (
              <li>
                <a href={`/admin/webhooks/${e.id}`}>{e.url}</a> — {e.disabledReason} (
                {when(e.disabledAt)}, 보낼 것 {e.pending}건 대기)
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <p class="hint">
        기사가 출고·수정·출고 취소되거나 정정·반론보도가 붙으면 등록한 주소로 서명한 JSON을 POST로
        보냅니다. 실패하면 하루 동안 간격을 늘려 가며 다시 보내고, 계속 실패하면 자동으로 끄고
        관리자에게 알립니다.
      </p>
      {view.endpoints.length === 0 ? (
        <p class="empty">등록한 웹훅이 없습니다.</p>
      ) : (
        <table class="admin-table">
          <thead>
            <tr>
              <th scope="col">주소</th>
              <th scope="col">사건</th>
              <th scope="col">상태</th>
              <th scope="col">마지막 성공</th>
              <th scope="col">연속 실패</th>
              <th scope="col">대기</th>
            </tr>
          </thead>
          <tbody>
            {view.endpoints.map((e) => (
              <tr class={e.enabled ? undefined : 'disabled'}>
                <td>
                  <a href={`/admin/webhooks/${e.id}`} class="webhook-url">
                    {e.url}
                  </a>
                  {e.description ? <small> {e.description}</small> : null}
                </td>
                <td>{e.events.map((t) => view.typeLabels[t] ?? t).join(', ')}</td>
                <td>
                  <State endpoint={e} />
                </td>
                <td>{when(e.lastSuccessAt)}</td>
                <td>{e.consecutiveFailures}</td>
                <td>{e.pending}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section class="panel">
        <h2>새 웹훅</h2>
        <EndpointForm
          csrf={chrome.csrfToken}
          action="/admin/webhooks"
          values={
            view.values ?? { url: '', description: '', events: view.eventLabels.map(([t]) => t) }
          }
          labels={view.eventLabels}
          submit="등록"
          allowPrivate={view.allowPrivate}
        />
      </section>
    </AdminLayout>,
  );
}

const STATE_LABELS = { pending: '재시도 대기', delivered: '전달됨', failed: '실패' } as const;

function Action(props: { csrf: string; action: string; label: string; danger?: boolean }) {
  return (
    <form method="post" action={props.action} class="inline-form">
      <Csrf token={props.csrf} />
      <button type="submit" class={props.danger === true ? 'button danger' : 'button'}>
        {props.label}
      </button>
    </form>
  );
}

/** One endpoint: its state, its settings and its delivery log with every attempt. */
export function renderWebhookDetail(chrome: AdminChrome, view: WebhookDetailView): string {
  const e = view.endpoint;
  const base = `/admin/webhooks/${e.id}`;
  const csrf = chrome.csrfToken;
  return renderDocument(
    <AdminLayout chrome={chrome} title="웹훅">
      <p>
        <a href="/admin/webhooks">← 웹훅 목록</a>
      </p>
      <div class="page-head">
        <h1 class="webhook-url">{e.url}</h1>
        <State endpoint={e} />
      </div>
      <ErrorFlash message={view.error} />
      {view.secret ? <SecretOnce secret={view.secret} /> : null}
      {!e.enabled && e.disabledReason !== null ? (
        <p class="flash flash-warn" role="alert">
          {when(e.disabledAt)}에 껐습니다: {e.disabledReason} 보낼 것 {e.pending}건은 다시 켜면 바로
          보냅니다({view.retryHours}시간이 지난 것은 실패로 처리).
        </p>
      ) : null}
      <div class="button-row">
        {e.enabled ? (
          <>
            <Action csrf={csrf} action={`${base}/ping`} label="테스트 전송" />
            <Action csrf={csrf} action={`${base}/disable`} label="끄기" />
          </>
        ) : (
          <Action csrf={csrf} action={`${base}/enable`} label="다시 켜기" />
        )}
        <Action csrf={csrf} action={`${base}/rotate`} label="비밀키 교체" />
        <Action csrf={csrf} action={`${base}/delete`} label="삭제" danger />
      </div>
      <p class="hint">
        비밀키를 바꾸면 하루 동안은 옛 키로 만든 서명도 함께 보냅니다(<code>v1=</code> 두 개).
        마지막 성공 {when(e.lastSuccessAt)}, 마지막 실패 {when(e.lastFailureAt)}, 연속 실패{' '}
        {e.consecutiveFailures}번.
      </p>

      <section class="panel">
        <h2>전송 기록</h2>
        {view.deliveries.length === 0 ? (
          <p class="empty">아직 보낸 것이 없습니다. 「테스트 전송」으로 확인해 보세요.</p>
        ) : (
          <table class="admin-table webhook-log">
            <thead>
              <tr>
                <th scope="col">사건</th>
                <th scope="col">상태</th>
                <th scope="col">시도</th>
                <th scope="col">응답</th>
              </tr>
            </thead>
            <tbody>
              {view.deliveries.map((d) => {
                const last = d.log[0];
                return (
                  <tr>
                    <td>
                      {view.typeLabels[d.type] ?? d.type} <small>evt_{d.eventId}</small>
                      {d.articleId !== null ? (
                        <>
                          <br />
                          <a href={`/admin/articles/${d.articleId}`}>
                            {d.articleTitle ?? `기사 ${d.articleId}번`}
                          </a>
                        </>
                      ) : null}
                      <br />
                      <small>{when(d.createdAt)}</small>
                    </td>
                    <td>
                      <span
                        class={`status ${d.state === 'delivered' ? 'status-published' : d.state === 'failed' ? 'status-unpublished' : 'status-scheduled'}`}
                      >
                        {STATE_LABELS[d.state]}
                      </span>
                      {d.state === 'pending' ? <small> 다음 {when(d.nextAttemptAt)}</small> : null}
                      {d.state !== 'pending' ? (
                        <form
                          method="post"
                          action={`${base}/deliveries/${d.id}/redeliver`}
                          class="inline-form"
                        >
                          <Csrf token={csrf} />
                          <button type="submit" class="button small">
                            다시 보내기
                          </button>
                        </form>
                      ) : null}
                    </td>
                    <td>{d.attempts}번</td>
                    <td>
                      {last === undefined ? (
                        '-'
                      ) : (
                        <details>
                          <summary>
                            {last.status === null ? '응답 없음' : `HTTP ${last.status}`} ·{' '}
                            {last.latencyMs.toLocaleString('en-US')}ms
                            {problem(last)}
                          </summary>
                          <ol class="webhook-attempts">
                            {d.log.map((a) => (
                              <li>
                                <time>{seconds(a.at)}</time>{' '}
                                {a.status === null ? '응답 없음' : `HTTP ${a.status}`} ·{' '}
                                {a.latencyMs.toLocaleString('en-US')}ms
                                {problem(a)}
                                {a.excerpt !== null ? (
                                  <>
                                    <br />
                                    <code>{a.excerpt}</code>
                                  </>
                                ) : null}
                              </li>
                            ))}
                          </ol>
                        </details>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>

      <section class="panel">
        <h2>설정</h2>
        <EndpointForm
          csrf={csrf}
          action={base}
          values={view.values ?? { url: e.url, description: e.description, events: e.events }}
          labels={view.eventLabels}
          submit="저장"
          allowPrivate={view.allowPrivate}
        />
      </section>
    </AdminLayout>,
  );
}
