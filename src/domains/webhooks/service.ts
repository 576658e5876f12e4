import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, WebhookDeliveryState } from '../../db/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError, invalidInput, notFound } from '../../shared/errors.ts';
import { ipLiteral, isPublicAddress } from '../../shared/public-address.ts';
import { stripTags } from '../../shared/text.ts';
import { isWebhookEventType, WEBHOOK_EVENTS, type WebhookEventType } from './events.ts';
import type { WebhookLinks } from './payload.ts';
import { createTransport } from './transport.ts';
import { createWorker, DEFAULT_RETRY_POLICY, type RetryPolicy } from './worker.ts';

export interface WebhooksDeps {
  db: Kysely<Database>;
  clock: Clock;
  links: WebhookLinks;
  /** Names this app server in delivery claims. */
  instanceId: string;
  /** Endpoints on private, loopback or link-local addresses (TAMNA_WEBHOOKS_ALLOW_PRIVATE). */
  allowPrivateAddresses: boolean;
  /** Deadline of one attempt. */
  timeoutMs: number;
  policy?: Partial<RetryPolicy>;
  onDisabled?: (endpoint: { id: number; url: string; reason: string }) => void | Promise<void>;
  onError?: (error: unknown, message: string) => void;
}

export interface EndpointSummary {
  id: number;
  url: string;
  description: string;
  events: WebhookEventType[];
  enabled: boolean;
  disabledAt: number | null;
  disabledReason: string | null;
  consecutiveFailures: number;
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
  createdAt: number;
  /** Deliveries still to be made (retries included). */
  pending: number;
}

export interface AttemptLog {
  at: number;
  status: number | null;
  latencyMs: number;
  error: string | null;
  excerpt: string | null;
}

export interface DeliveryLog {
  id: number;
  eventId: number;
  type: string;
  articleId: number | null;
  articleTitle: string | null;
  state: WebhookDeliveryState;
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
  finishedAt: number | null;
  /** Newest first. */
  log: AttemptLog[];
}

export interface EndpointInput {
  url: string;
  description: string;
  events: readonly string[];
}

/** After a rotation the old secret keeps signing (as a second v1) this long. */
export const SECRET_OVERLAP_MS = 24 * 60 * 60_000;
export const MAX_ENDPOINTS = 20;
/** Delivery logs are kept this long. */
const LOG_KEPT_MS = 30 * 24 * 60 * 60_000;

const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/**
 * An endpoint address as typed, or the reason it cannot be one: http(s) only, no user name or
 * password in it, and (unless private addresses are allowed) not an address or name of the
 * paper's own network. Names are resolved again at every attempt (see transport.ts).
 */
export function checkEndpointUrl(text: string, allowPrivate: boolean): string {
  const value = text.trim();
  const refuse = (message: string) => invalidInput(message, { fields: { url: message } });
  if (value === '') throw refuse('받을 주소(URL)를 입력하세요.');
  if (value.length > 2000) throw refuse('주소는 2,000자 이내로 입력하세요.');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw refuse('https://로 시작하는 전체 주소를 입력하세요.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw refuse('http:// 또는 https:// 주소만 등록할 수 있습니다.');
  if (url.username !== '' || url.password !== '')
    throw refuse('주소에 사용자 이름이나 비밀번호를 넣지 마세요. 서명으로 확인합니다.');
  if (url.hash !== '') throw refuse('주소에 #부분은 넣지 마세요.');
  if (!allowPrivate) {
    const host = url.hostname.toLowerCase();
    const literal = ipLiteral(host);
    const local =
      host === 'localhost' ||
      host.endsWith('.localhost') ||
      host.endsWith('.local') ||
      host.endsWith('.internal') ||
      (literal !== null && !isPublicAddress(literal.address));
    if (local) throw refuse('내부망 주소로는 보낼 수 없습니다. 외부에서 닿는 주소를 입력하세요.');
  }
  return url.toString();
}

function checkEvents(events: readonly string[]): WebhookEventType[] {
  const chosen = WEBHOOK_EVENTS.filter((e) => events.includes(e));
  if (chosen.length === 0 || events.some((e) => !isWebhookEventType(e)))
    throw invalidInput('받을 사건을 하나 이상 고르세요.', {
      fields: { events: '하나 이상 고르세요.' },
    });
  return chosen;
}

function checkDescription(text: string): string {
  const value = stripTags(text).replace(/\s+/g, ' ').trim();
  if ([...value].length > 200)
    throw invalidInput('설명은 200자 이내로 입력하세요.', {
      fields: { description: '200자 이내로 입력하세요.' },
    });
  return value;
}

const eventList = (events: readonly WebhookEventType[]) => `,${events.join(',')},`;
const parseEvents = (stored: string): WebhookEventType[] =>
  stored.split(',').filter(isWebhookEventType);

export function createWebhooks(deps: WebhooksDeps) {
  const { db, clock } = deps;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...deps.policy };
  const worker = createWorker({
    db,
    clock,
    links: deps.links,
    send: createTransport({
      timeoutMs: deps.timeoutMs,
      allowPrivateAddresses: deps.allowPrivateAddresses,
    }),
    instanceId: deps.instanceId,
    policy,
    timeoutMs: deps.timeoutMs,
    ...(deps.onDisabled !== undefined ? { onDisabled: deps.onDisabled } : {}),
    ...(deps.onError !== undefined ? { onError: deps.onError } : {}),
  });

  async function list(): Promise<EndpointSummary[]> {
    const [rows, pending] = await Promise.all([
      db.selectFrom('webhook_endpoints').selectAll().orderBy('id').execute(),
      db
        .selectFrom('webhook_deliveries')
        .select(['endpoint_id', (eb) => eb.fn.countAll<number | string>().as('n')])
        .where('state', '=', 'pending')
        .groupBy('endpoint_id')
        .execute(),
    ]);
    const waiting = new Map(pending.map((p) => [Number(p.endpoint_id), Number(p.n)]));
    return rows.map((r) => ({
      id: Number(r.id),
      url: r.url,
      description: r.description,
      events: parseEvents(r.events),
      enabled: r.enabled === 1,
      disabledAt: r.disabled_at,
      disabledReason: r.disabled_reason,
      consecutiveFailures: r.consecutive_failures,
      lastSuccessAt: r.last_success_at,
      lastFailureAt: r.last_failure_at,
      createdAt: r.created_at,
      pending: waiting.get(Number(r.id)) ?? 0,
    }));
  }

  async function existing(id: number) {
    const row = await db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (row === undefined) throw notFound('그 웹훅을 찾을 수 없습니다.');
    return row;
  }

  return {
    policy,
    allowPrivateAddresses: deps.allowPrivateAddresses,

    /** Dispatches due events and attempts due deliveries (every app server, every second). */
    run: () => worker.run(),

    list,

    async get(id: number): Promise<EndpointSummary> {
      const found = (await list()).find((e) => e.id === id);
      if (found === undefined) throw notFound('그 웹훅을 찾을 수 없습니다.');
      return found;
    },

    /** Registers an endpoint; its signing secret is returned this once. */
    async create(
      input: EndpointInput,
      createdBy: number | null,
    ): Promise<{ id: number; secret: string }> {
      const url = checkEndpointUrl(input.url, deps.allowPrivateAddresses);
      const events = checkEvents(input.events);
      const description = checkDescription(input.description);
      const count = await db
        .selectFrom('webhook_endpoints')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirst();
      if (Number(count?.n ?? 0) >= MAX_ENDPOINTS)
        throw new AppError('CONFLICT', `웹훅은 ${MAX_ENDPOINTS}개까지 등록할 수 있습니다.`);
      const secret = newSecret();
      const row = await db
        .insertInto('webhook_endpoints')
        .values({
          url,
          description,
          events: eventList(events),
          secret,
          previous_secret: null,
          previous_secret_until: null,
          enabled: 1,
          disabled_at: null,
          disabled_reason: null,
          consecutive_failures: 0,
          failing_since: null,
          last_success_at: null,
          last_failure_at: null,
          created_by: createdBy,
          created_at: clock.now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { id: Number(row.id), secret };
    },

    async update(id: number, input: EndpointInput): Promise<void> {
      await existing(id);
      await db
        .updateTable('webhook_endpoints')
        .set({
          url: checkEndpointUrl(input.url, deps.allowPrivateAddresses),
          events: eventList(checkEvents(input.events)),
          description: checkDescription(input.description),
        })
        .where('id', '=', id)
        .execute();
    },

    /** A new secret, returned this once; the old one also signs for another day. */
    async rotateSecret(id: number): Promise<string> {
      const row = await existing(id);
      const secret = newSecret();
      await db
        .updateTable('webhook_endpoints')
        .set({
          secret,
          previous_secret: row.secret,
          previous_secret_until: clock.now() + SECRET_OVERLAP_MS,
        })
        .where('id', '=', id)
        .execute();
      return secret;
    },

    /**
     * Turns an endpoint off or on. Switched on again, its failure count starts over and
     * its waiting deliveries go out now — those whose day of retries is over are given up.
     */
    async setEnabled(id: number, enabled: boolean): Promise<void> {
      await existing(id);
      const now = clock.now();
      if (!enabled) {
        await db
          .updateTable('webhook_endpoints')
          // No reason: only an endpoint switched off for failing asks for attention.
          .set({ enabled: 0, disabled_at: now, disabled_reason: null })
          .where('id', '=', id)
          .execute();
        return;
      }
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('webhook_endpoints')
          .set({
            enabled: 1,
            disabled_at: null,
            disabled_reason: null,
            consecutive_failures: 0,
            failing_since: null,
          })
          .where('id', '=', id)
          .execute();
        await trx
          .updateTable('webhook_deliveries')
          .set({
            state: 'failed',
            finished_at: now,
            last_error: '엔드포인트가 꺼진 사이 재시도 기한이 지났습니다.',
          })
          .where('endpoint_id', '=', id)
          .where('state', '=', 'pending')
          .where('deadline_at', '<=', now)
          .execute();
        await trx
          .updateTable('webhook_deliveries')
          .set({ next_attempt_at: now })
          .where('endpoint_id', '=', id)
          .where('state', '=', 'pending')
          .where('next_attempt_at', '>', now)
          .execute();
      });
    },

    async remove(id: number): Promise<void> {
      await existing(id);
      await db.deleteFrom('webhook_endpoints').where('id', '=', id).execute();
    },

    /** Queues a `ping` to this endpoint alone: the admin's "test now". */
    async ping(id: number): Promise<void> {
      await existing(id);
      const now = clock.now();
      await db
        .insertInto('webhook_events')
        .values({
          type: 'ping',
          article_id: null,
          endpoint_id: id,
          detail: '{}',
          created_at: now,
          due_at: now,
          dispatched_at: null,
          payload: null,
        })
        .execute();
    },

    /** Sends a finished delivery again, with a new day of retries. */
    async redeliver(endpointId: number, deliveryId: number): Promise<void> {
      const now = clock.now();
      const result = await db
        .updateTable('webhook_deliveries')
        .set({
          state: 'pending',
          next_attempt_at: now,
          deadline_at: now + policy.retryForMs,
          finished_at: null,
        })
        .where('id', '=', deliveryId)
        .where('endpoint_id', '=', endpointId)
        .where('state', '!=', 'pending')
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0)
        throw notFound('다시 보낼 수 있는 전송 기록이 아닙니다.');
    },

    /** The endpoint's latest deliveries, each with its attempts: the admin's log. */
    async deliveries(endpointId: number, limit = 50): Promise<DeliveryLog[]> {
      const rows = await db
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhook_events as ev', 'ev.id', 'd.event_id')
        .leftJoin('articles as a', 'a.id', 'ev.article_id')
        .select([
          'd.id',
          'd.event_id',
          'ev.type',
          'ev.article_id',
          'a.title',
          'd.state',
          'd.attempts',
          'd.next_attempt_at',
          'd.created_at',
          'd.finished_at',
        ])
        .where('d.endpoint_id', '=', endpointId)
        .orderBy('d.id', 'desc')
        .limit(limit)
        .execute();
      if (rows.length === 0) return [];
      const attempts = await db
        .selectFrom('webhook_attempts')
        .select(['delivery_id', 'at', 'status', 'latency_ms', 'error', 'response_excerpt'])
        .where(
          'delivery_id',
          'in',
          rows.map((r) => r.id),
        )
        .orderBy('id', 'desc')
        .execute();
      return rows.map((r) => ({
        id: Number(r.id),
        eventId: Number(r.event_id),
        type: r.type,
        articleId: r.article_id,
        articleTitle: r.title,
        state: r.state,
        attempts: r.attempts,
        nextAttemptAt: r.next_attempt_at,
        createdAt: r.created_at,
        finishedAt: r.finished_at,
        log: attempts
          .filter((a) => a.delivery_id === r.id)
          .map((a) => ({
            at: a.at,
            status: a.status,
            latencyMs: a.latency_ms,
            error: a.error,
            excerpt: a.response_excerpt,
          })),
      }));
    },

    /** Drops events (with their deliveries and attempts) a month old and finished. */
    async prune(): Promise<void> {
      await db
        .deleteFrom('webhook_events')
        .where('created_at', '<', clock.now() - LOG_KEPT_MS)
        .where('dispatched_at', 'is not', null)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('webhook_deliveries as d')
                .select('d.id')
                .whereRef('d.event_id', '=', 'webhook_events.id')
                .where('d.state', '=', 'pending'),
            ),
          ),
        )
        .execute();
    },
  };
}

export type Webhooks = ReturnType<typeof createWebhooks>;
