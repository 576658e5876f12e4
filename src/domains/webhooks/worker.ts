import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { buildPayload, type WebhookLinks } from './payload.ts';
import { SIGNATURE_HEADER, signatureHeader } from './signature.ts';
import type { Transport, WebhookResponse } from './transport.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** How long a failing delivery is retried, and when a failing endpoint is switched off. */
export interface RetryPolicy {
  /** The wait after the first failed attempt; it doubles after each further one. */
  firstRetryMs: number;
  /** The longest wait between two attempts. */
  maxRetryMs: number;
  /** Retries stop this long after the delivery was first due; the last one is at that time. */
  retryForMs: number;
  /** An endpoint is disabled after this many failed attempts in a row… */
  disableAfterFailures: number;
  /** …when the first of them is at least this old (a short outage heals by itself). */
  disableAfterMs: number;
}

/**
 * Attempts at 0, 1, 3, 7, 15, 31, 63, 127, 255 and 511 minutes, then every 6 hours (871,
 * 1231 minutes), and a last one when the day is over: 13 attempts.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  firstRetryMs: MINUTE,
  maxRetryMs: 6 * HOUR,
  retryForMs: 24 * HOUR,
  disableAfterFailures: 10,
  disableAfterMs: 6 * HOUR,
};

/** When to try again after `attempts` failed attempts, or null when the day is over. */
export function nextAttemptAt(
  policy: RetryPolicy,
  attempts: number,
  now: number,
  deadline: number,
): number | null {
  if (now >= deadline) return null;
  const wait = Math.min(policy.firstRetryMs * 2 ** Math.max(0, attempts - 1), policy.maxRetryMs);
  return Math.min(now + wait, deadline);
}

export interface WorkerDeps {
  db: Kysely<Database>;
  clock: Clock;
  links: WebhookLinks;
  send: Transport;
  /** Names this app server in claims (for the logs; a random suffix makes each run unique). */
  instanceId: string;
  policy: RetryPolicy;
  /** The transport's deadline: a claim outlives it, so a live attempt is never taken over. */
  timeoutMs: number;
  /** Called once when an endpoint has just been disabled for failing. */
  onDisabled?: (endpoint: { id: number; url: string; reason: string }) => void | Promise<void>;
  /** Where a failure of the worker itself is reported. */
  onError?: (error: unknown, message: string) => void;
  /** Deliveries sent at the same time by one run. */
  concurrency?: number;
  /** Events dispatched and deliveries claimed per run. */
  batchSize?: number;
}

interface Claimed {
  id: number;
  attempts: number;
  deadline_at: number;
  endpoint_id: number;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: number | null;
  type: string;
  event_id: number;
  payload: string | null;
}

/**
 * The background half of webhooks, safe to run on every app server at once:
 *
 * 1. due events are dispatched — one conditional UPDATE marks an event taken, so only one
 *    server builds its payload and creates its deliveries, in one transaction;
 * 2. due deliveries are claimed — one UPDATE sets claimed_by/claimed_until on rows whose
 *    claim is free or expired, so a delivery is attempted by one server at a time;
 * 3. each claimed delivery is sent (no transaction is open meanwhile) and its attempt is
 *    recorded, with the next try, the end of retries, or success.
 *
 * A server dying mid-attempt leaves its claim to expire; the delivery is then attempted
 * again, which is why receivers drop repeats by event id.
 */
export function createWorker(deps: WorkerDeps) {
  const { db, clock, policy } = deps;
  const batch = deps.batchSize ?? 20;
  const concurrency = deps.concurrency ?? 4;
  const claimMs = deps.timeoutMs + MINUTE;

  async function dispatchDue(): Promise<number> {
    const now = clock.now();
    const due = await db
      .selectFrom('webhook_events')
      .select('id')
      .where('dispatched_at', 'is', null)
      .where('due_at', '<=', now)
      .orderBy('due_at')
      .orderBy('id')
      .limit(batch)
      .execute();
    let dispatched = 0;
    for (const { id } of due) {
      const took = await db.transaction().execute(async (trx) => {
        const taken = await trx
          .updateTable('webhook_events')
          .set({ dispatched_at: now })
          .where('id', '=', id)
          .where('dispatched_at', 'is', null)
          .executeTakeFirst();
        if (Number(taken.numUpdatedRows) === 0) return false;
        const event = await trx
          .selectFrom('webhook_events')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        const payload = await buildPayload(trx, event, now, deps.links);
        if (payload === null) return true;
        await trx.updateTable('webhook_events').set({ payload }).where('id', '=', id).execute();
        let endpoints = trx.selectFrom('webhook_endpoints').select('id').where('enabled', '=', 1);
        endpoints =
          event.endpoint_id !== null
            ? endpoints.where('id', '=', event.endpoint_id)
            : endpoints.where('events', 'like', `%,${event.type},%`);
        const targets = await endpoints.execute();
        if (targets.length > 0)
          await trx
            .insertInto('webhook_deliveries')
            .values(
              targets.map((e) => ({
                event_id: id,
                endpoint_id: e.id,
                state: 'pending' as const,
                attempts: 0,
                next_attempt_at: now,
                deadline_at: now + policy.retryForMs,
                claimed_by: null,
                claimed_until: null,
                last_status: null,
                last_error: null,
                created_at: now,
                finished_at: null,
              })),
            )
            .execute();
        return true;
      });
      if (took) dispatched++;
    }
    return dispatched;
  }

  async function claimDue(): Promise<{ token: string; claimed: Claimed[] }> {
    const now = clock.now();
    const token = `${deps.instanceId.slice(0, 50)}/${randomBytes(4).toString('hex')}`;
    await db
      .updateTable('webhook_deliveries')
      .set({ claimed_by: token, claimed_until: now + claimMs })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('webhook_deliveries as d')
          .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
          .select('d.id')
          .where('d.state', '=', 'pending')
          .where('d.next_attempt_at', '<=', now)
          .where('e.enabled', '=', 1)
          .where((w) => w.or([w('d.claimed_until', 'is', null), w('d.claimed_until', '<', now)]))
          .orderBy('d.next_attempt_at')
          .orderBy('d.id')
          .limit(batch),
      )
      // Checked again on the row itself: a server that lost the race (the row claimed, or
      // even attempted and rescheduled, since its subquery ran) updates nothing.
      .where((w) => w.or([w('claimed_until', 'is', null), w('claimed_until', '<', now)]))
      .where('state', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .execute();
    const claimed = await db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
      .innerJoin('webhook_events as ev', 'ev.id', 'd.event_id')
      .select([
        'd.id',
        'd.attempts',
        'd.deadline_at',
        'd.endpoint_id',
        'e.url',
        'e.secret',
        'e.previous_secret',
        'e.previous_secret_until',
        'ev.type',
        'ev.id as event_id',
        'ev.payload',
      ])
      .where('d.claimed_by', '=', token)
      .orderBy('d.id')
      .execute();
    return { token, claimed };
  }

  async function record(
    delivery: Claimed,
    token: string,
    at: number,
    result: WebhookResponse,
  ): Promise<void> {
    const now = clock.now();
    const ok = result.error === null;
    const attempts = delivery.attempts + 1;
    const next = ok ? null : nextAttemptAt(policy, attempts, now, delivery.deadline_at);
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('webhook_attempts')
        .values({
          delivery_id: delivery.id,
          at,
          status: result.status,
          latency_ms: Math.min(result.latencyMs, 2_147_483_647),
          error: result.error?.slice(0, 500) ?? null,
          response_excerpt: result.excerpt?.slice(0, 300) ?? null,
        })
        .execute();
      await trx
        .updateTable('webhook_deliveries')
        .set({
          state: ok ? 'delivered' : next === null ? 'failed' : 'pending',
          attempts,
          next_attempt_at: next ?? now,
          last_status: result.status,
          last_error: result.error?.slice(0, 500) ?? null,
          finished_at: ok || next === null ? now : null,
          claimed_by: null,
          claimed_until: null,
        })
        .where('id', '=', delivery.id)
        .where('claimed_by', '=', token)
        .execute();
      if (ok) {
        await trx
          .updateTable('webhook_endpoints')
          .set({ consecutive_failures: 0, failing_since: null, last_success_at: now })
          .where('id', '=', delivery.endpoint_id)
          .execute();
      } else {
        await trx
          .updateTable('webhook_endpoints')
          .set((eb) => ({
            consecutive_failures: eb('consecutive_failures', '+', 1),
            failing_since: eb.fn.coalesce('failing_since', eb.val(at)),
            last_failure_at: now,
          }))
          .where('id', '=', delivery.endpoint_id)
          .execute();
      }
    });
    if (!ok) await disableIfFailing(delivery.endpoint_id, delivery.url, now);
  }

  /** Switches a failing endpoint off; the conditional update lets one server do it, once. */
  async function disableIfFailing(endpointId: number, url: string, now: number): Promise<void> {
    const reason = `${policy.disableAfterFailures}번 넘게 연달아 전송에 실패해 자동으로 껐습니다.`;
    const result = await db
      .updateTable('webhook_endpoints')
      .set({ enabled: 0, disabled_at: now, disabled_reason: reason })
      .where('id', '=', endpointId)
      .where('enabled', '=', 1)
      .where('consecutive_failures', '>=', policy.disableAfterFailures)
      .where('failing_since', '<=', now - policy.disableAfterMs)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) await deps.onDisabled?.({ id: endpointId, url, reason });
  }

  async function attempt(delivery: Claimed, token: string): Promise<void> {
    const at = clock.now();
    let result: WebhookResponse;
    if (delivery.payload === null) {
      result = { status: null, latencyMs: 0, error: '보낼 내용이 없습니다.', excerpt: null };
    } else {
      const secrets = [delivery.secret];
      if (
        delivery.previous_secret !== null &&
        delivery.previous_secret_until !== null &&
        delivery.previous_secret_until > at
      )
        secrets.push(delivery.previous_secret);
      result = await deps.send({
        url: delivery.url,
        body: delivery.payload,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Tamna-Webhooks/1',
          'x-tamna-event': delivery.type,
          'x-tamna-event-id': `evt_${delivery.event_id}`,
          'x-tamna-delivery': String(delivery.id),
          [SIGNATURE_HEADER]: signatureHeader(secrets, Math.floor(at / 1000), delivery.payload),
        },
      });
    }
    await record(delivery, token, at, result);
  }

  return {
    /** One pass: dispatch due events, then attempt due deliveries. */
    async run(): Promise<{ dispatched: number; attempted: number }> {
      const dispatched = await dispatchDue();
      const { token, claimed } = await claimDue();
      let next = 0;
      const lanes = Array.from({ length: Math.min(concurrency, claimed.length) }, async () => {
        while (next < claimed.length) {
          const delivery = claimed[next++] as Claimed;
          try {
            await attempt(delivery, token);
          } catch (error) {
            // The claim expires and another pass tries again.
            deps.onError?.(error, `webhook delivery ${delivery.id} not recorded`);
          }
        }
      });
      await Promise.all(lanes);
      return { dispatched, attempted: claimed.length };
    },
  };
}
