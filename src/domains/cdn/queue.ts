import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { CdnPurgeKind, Database } from '../../db/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { invalidInput } from '../../shared/errors.ts';
import { purgeTagsFor } from '../../shared/edge-tags.ts';
import type { CdnAdapter, PurgeResult } from './providers.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Tags never purged at the CDN. The weather ticker is on every page and its tag is
 * announced at every refresh (every 10 minutes): purging it would empty the whole CDN that
 * often. The ticker there lags by at most the page's s-maxage instead.
 */
export const UNPURGED_TAGS: ReadonlySet<string> = new Set(['weather']);

/** The tag every page carries (the navigation): purging it empties every page. */
export const EVERY_PAGE_TAG = 'sections';

/** Tags whose change may take something away from readers: never soft-purged. */
const TAKEDOWN_TAGS = new Set(['sections']);

export interface PurgeRetryPolicy {
  /** The wait after the first failed attempt; it doubles after each further one. */
  firstRetryMs: number;
  maxRetryMs: number;
  /** A purge not acknowledged this long after it was queued is given up ('failed'). */
  retryForMs: number;
}

export const DEFAULT_PURGE_RETRY: PurgeRetryPolicy = {
  firstRetryMs: 2 * SECOND,
  maxRetryMs: 5 * MINUTE,
  retryForMs: DAY,
};

/** When to try again after `attempts` failed attempts. */
export function nextPurgeAttempt(policy: PurgeRetryPolicy, attempts: number, now: number): number {
  return now + Math.min(policy.firstRetryMs * 2 ** Math.max(0, attempts - 1), policy.maxRetryMs);
}

export interface CdnPurgesDeps {
  db: Kysely<Database>;
  clock: Clock;
  /** The CDN's purge API; null: no CDN, nothing is queued. */
  adapter: CdnAdapter | null;
  /** TAMNA_CDN_TAG_PREFIX. */
  tagPrefix: string;
  /** The public site (TAMNA_SITE_URL): the only addresses purged. */
  siteUrl: string;
  /**
   * How long a purge waits after its change: by then every app server has dropped the
   * change from its own page cache, so the CDN's next request cannot fetch the old page
   * back from one that has not heard yet.
   */
  settleMs: number;
  /** Names this app server in claims. */
  instanceId: string;
  /** The longest one purge request may take (a claim outlives a whole pass of them). */
  requestTimeoutMs: number;
  /** Which of these articles readers may open now (the others must be purged hard). */
  readableArticles: (ids: number[]) => Promise<Set<number>>;
  /** The addresses of the pages tags name, for a CDN that purges by address only. */
  pagesOf: (tags: string[]) => Promise<string[]>;
  policy?: PurgeRetryPolicy;
  /** Rows claimed by one pass. */
  batchSize?: number;
  /** More due tags than this at once are replaced by one purge of every page. */
  floodThreshold?: number;
}

export interface PurgeRow {
  id: number;
  kind: CdnPurgeKind;
  target: string;
  state: 'pending' | 'sent' | 'failed';
  attempts: number;
  createdAt: number;
  dueAt: number;
  sentAt: number | null;
  lastAttemptAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
}

export interface PurgeQueueStatus {
  /** The CDN's name, or null when none is set. */
  provider: string | null;
  pending: number;
  failed: number;
  sentLastDay: number;
  /** When the oldest purge still waiting was queued. */
  oldestPendingAt: number | null;
  lastSentAt: number | null;
  /** The latest failure still waiting or given up. */
  lastError: { at: number; message: string } | null;
  /** Waiting and given-up purges, newest first. */
  open: PurgeRow[];
  /** Purges sent lately, newest first. */
  recent: PurgeRow[];
}

interface Claimed {
  id: number;
  kind: CdnPurgeKind;
  target: string;
  attempts: number;
  deadline_at: number;
}

/**
 * The CDN purge queue, safe to run on every app server at once. A committed change queues
 * its tags (`enqueue`); a pass (`run`) claims due rows with one conditional UPDATE, so each
 * row is sent by one server, sends them in as few requests as the CDN allows (identical
 * targets once), and records the outcome: sent, retried later with backoff (or when the CDN
 * said to), or given up at the deadline. A server dying mid-pass leaves its claim to expire,
 * and the rows go out again from another.
 */
export function createCdnPurges(deps: CdnPurgesDeps) {
  const { db, clock, adapter } = deps;
  const policy = deps.policy ?? DEFAULT_PURGE_RETRY;
  const batch = deps.batchSize ?? 500;
  const flood = deps.floodThreshold ?? 1000;
  // A pass makes at most a few dozen requests; its claim outlives them all.
  const leaseMs = Math.max(2 * MINUTE, deps.requestTimeoutMs * 12);

  /**
   * Queues targets not before `due`. A pending row of the same target that no server has
   * claimed yet takes the new time instead of a second row (it is then sent after the
   * latest change); a claimed one may already be on its way, so a new row follows it.
   */
  async function queue(kind: CdnPurgeKind, targets: readonly string[], due: number) {
    if (adapter === null) return;
    const unique = [...new Set(targets)];
    if (unique.length === 0) return;
    const now = clock.now();
    const deadline = due + policy.retryForMs;
    await db.transaction().execute(async (trx) => {
      const merged = await trx
        .updateTable('cdn_purges')
        .set({
          due_at: sql<number>`case when due_at < ${due} then ${due} else due_at end`,
          deadline_at: sql<number>`case when deadline_at < ${deadline} then ${deadline} else deadline_at end`,
        })
        .where('kind', '=', kind)
        .where('target', 'in', unique)
        .where('state', '=', 'pending')
        .where('claimed_by', 'is', null)
        .returning('target')
        .execute();
      const have = new Set(merged.map((r) => r.target));
      const fresh = unique.filter((t) => !have.has(t));
      if (fresh.length === 0) return;
      await trx
        .insertInto('cdn_purges')
        .values(
          fresh.map((target) => ({
            kind,
            target,
            state: 'pending' as const,
            attempts: 0,
            created_at: now,
            due_at: due,
            deadline_at: deadline,
            claimed_by: null,
            claimed_until: null,
            last_attempt_at: null,
            last_status: null,
            last_error: null,
            sent_at: null,
          })),
        )
        .execute();
    });
  }

  async function claim(now: number): Promise<{ token: string; rows: Claimed[] }> {
    const token = `${deps.instanceId.slice(0, 50)}/${randomBytes(4).toString('hex')}`;
    const due = await db
      .selectFrom('cdn_purges')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('state', '=', 'pending')
      .where('due_at', '<=', now)
      .where((w) => w.or([w('claimed_until', 'is', null), w('claimed_until', '<', now)]))
      .executeTakeFirst();
    const floodPass = adapter !== null && !adapter.tagsAsUrls && Number(due?.n ?? 0) > flood;
    await db
      .updateTable('cdn_purges')
      .set({ claimed_by: token, claimed_until: now + leaseMs })
      .where('id', 'in', (eb) => {
        const candidates = eb
          .selectFrom('cdn_purges as p')
          .select('p.id')
          .where('p.state', '=', 'pending')
          .where('p.due_at', '<=', now)
          .where((w) => w.or([w('p.claimed_until', 'is', null), w('p.claimed_until', '<', now)]))
          .orderBy('p.due_at')
          .orderBy('p.id');
        return floodPass ? candidates : candidates.limit(batch);
      })
      // Checked again on the row itself: a server that lost the race updates nothing.
      .where('state', '=', 'pending')
      .where('due_at', '<=', now)
      .where((w) => w.or([w('claimed_until', 'is', null), w('claimed_until', '<', now)]))
      .execute();
    const rows = await db
      .selectFrom('cdn_purges')
      .select(['id', 'kind', 'target', 'attempts', 'deadline_at'])
      .where('claimed_by', '=', token)
      .orderBy('id')
      .execute();
    return { token, rows: rows.map((r) => ({ ...r, id: Number(r.id) })) };
  }

  async function record(token: string, rows: Claimed[], result: PurgeResult): Promise<void> {
    if (rows.length === 0) return;
    const now = clock.now();
    if (result.ok) {
      await db
        .updateTable('cdn_purges')
        .set((eb) => ({
          state: 'sent',
          attempts: eb('attempts', '+', 1),
          sent_at: now,
          last_attempt_at: now,
          last_status: result.status,
          last_error: null,
          claimed_by: null,
          claimed_until: null,
        }))
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .where('claimed_by', '=', token)
        .execute();
      return;
    }
    // Rows with the same attempt count and fate share one UPDATE.
    const groups = new Map<
      string,
      { ids: number[]; attempts: number; gaveUp: boolean; due: number }
    >();
    for (const row of rows) {
      const attempts = row.attempts + 1;
      const due =
        result.retryAfterMs !== undefined
          ? now + result.retryAfterMs
          : nextPurgeAttempt(policy, attempts, now);
      const gaveUp = now >= row.deadline_at;
      const key = `${attempts}|${gaveUp}|${due}`;
      const group = groups.get(key) ?? { ids: [], attempts, gaveUp, due };
      group.ids.push(row.id);
      groups.set(key, group);
    }
    for (const group of groups.values()) {
      await db
        .updateTable('cdn_purges')
        .set({
          state: group.gaveUp ? 'failed' : 'pending',
          attempts: group.attempts,
          due_at: group.due,
          last_attempt_at: now,
          last_status: result.status,
          last_error: (result.error ?? '실패했습니다.').slice(0, 500),
          claimed_by: null,
          claimed_until: null,
        })
        .where('id', 'in', group.ids)
        .where('claimed_by', '=', token)
        .execute();
    }
  }

  /** Splits `items` into runs of at most `size`. */
  const chunks = <T>(items: readonly T[], size: number): T[][] => {
    const out: T[][] = [];
    for (let i = 0; i < items.length; i += Math.max(1, size)) out.push(items.slice(i, i + size));
    return out;
  };

  /** A soft purge (Fastly) only when nothing in it may have been taken from readers. */
  async function softAllowed(tags: readonly string[]): Promise<boolean> {
    if (adapter === null || !adapter.softPurge) return false;
    if (tags.some((t) => TAKEDOWN_TAGS.has(t))) return false;
    const ids = tags.flatMap((t) => {
      const m = /^article:(\d+)$/.exec(t);
      return m === null ? [] : [Number(m[1])];
    });
    if (ids.length === 0) return true;
    const readable = await deps.readableArticles(ids);
    return ids.every((id) => readable.has(id));
  }

  /** Sends claimed rows; every row ends up recorded with the answer of its request. */
  async function send(token: string, rows: Claimed[], floodPass: boolean): Promise<number> {
    if (adapter === null) return 0;
    let sent = 0;
    let stop: PurgeResult | null = null;
    const attempt = async (group: Claimed[], call: () => Promise<PurgeResult>) => {
      const result = stop ?? (await call());
      // The CDN asked for a pause: the rest of this pass waits with it.
      if (!result.ok && result.retryAfterMs !== undefined) stop = result;
      await record(token, group, result);
      if (result.ok) sent += group.length;
    };
    const byTarget = (list: Claimed[]) => {
      const map = new Map<string, Claimed[]>();
      for (const row of list) map.set(row.target, [...(map.get(row.target) ?? []), row]);
      return map;
    };
    const tagRows = rows.filter((r) => r.kind === 'tag');
    const urlRows = rows.filter((r) => r.kind === 'url');

    if (floodPass && tagRows.length > 0) {
      // One purge of the tag every page carries stands for all of them.
      await attempt(tagRows, () =>
        adapter.purgeTags(purgeTagsFor([EVERY_PAGE_TAG], deps.tagPrefix), { soft: false }),
      );
    } else if (tagRows.length > 0) {
      const tags = byTarget(tagRows);
      if (adapter.tagsAsUrls) {
        const names = [...tags.keys()];
        const urls = await deps.pagesOf(names);
        // The tags' pages all go out, or the tags are tried again together.
        await attempt(tagRows, async () => {
          for (const part of chunks(urls, adapter.maxUrlsPerRequest)) {
            const result = await adapter.purgeUrls(part);
            if (!result.ok) return result;
          }
          return { ok: true, status: 200, error: null };
        });
      } else {
        // Each tag may bring its kind tag along: half the request's room per run.
        for (const part of chunks([...tags.keys()], Math.floor(adapter.maxTagsPerRequest / 2))) {
          const soft = await softAllowed(part);
          await attempt(
            part.flatMap((t) => tags.get(t) ?? []),
            () => adapter.purgeTags(purgeTagsFor(part, deps.tagPrefix), { soft }),
          );
        }
      }
    }
    if (urlRows.length > 0) {
      const urls = byTarget(urlRows);
      for (const part of chunks([...urls.keys()], adapter.maxUrlsPerRequest)) {
        await attempt(
          part.flatMap((u) => urls.get(u) ?? []),
          () => adapter.purgeUrls(part),
        );
      }
    }
    return sent;
  }

  const toRow = (r: {
    id: number;
    kind: CdnPurgeKind;
    target: string;
    state: 'pending' | 'sent' | 'failed';
    attempts: number;
    created_at: number;
    due_at: number;
    sent_at: number | null;
    last_attempt_at: number | null;
    last_status: number | null;
    last_error: string | null;
  }): PurgeRow => ({
    id: Number(r.id),
    kind: r.kind,
    target: r.target,
    state: r.state,
    attempts: r.attempts,
    createdAt: Number(r.created_at),
    dueAt: Number(r.due_at),
    sentAt: r.sent_at === null ? null : Number(r.sent_at),
    lastAttemptAt: r.last_attempt_at === null ? null : Number(r.last_attempt_at),
    lastStatus: r.last_status,
    lastError: r.last_error,
  });
  const rowColumns = [
    'id',
    'kind',
    'target',
    'state',
    'attempts',
    'created_at',
    'due_at',
    'sent_at',
    'last_attempt_at',
    'last_status',
    'last_error',
  ] as const;

  return {
    /** Whether a CDN is set: without one nothing is queued. */
    get configured(): boolean {
      return adapter !== null;
    },
    /** The CDN's name for the admin, or null. */
    get provider(): string | null {
      return adapter?.label ?? null;
    },

    /**
     * Queues the CDN purge of a committed change's cache tags, to go out once the change
     * has reached every app server.
     */
    async enqueue(tags: readonly string[]): Promise<void> {
      const wanted = tags.filter((t) => !UNPURGED_TAGS.has(t));
      await queue('tag', wanted, clock.now() + deps.settleMs);
    },

    /**
     * The admin's purge of one page, sent at once: an address on the site, or its path
     * (`/news/123`). Returns the absolute address queued.
     */
    async purgeUrl(input: string): Promise<string> {
      const text = input.trim();
      const site = new URL(deps.siteUrl);
      let url: URL;
      try {
        url = new URL(text, site);
      } catch {
        throw invalidInput(
          '주소를 알아볼 수 없습니다. /news/123 처럼 사이트 안의 경로를 넣으세요.',
        );
      }
      if (text === '' || (!text.startsWith('/') && !/^https?:\/\//i.test(text)))
        throw invalidInput('주소는 /로 시작하는 경로나 사이트 주소 전체여야 합니다.');
      if (url.host !== site.host)
        throw invalidInput(`이 사이트(${site.host})의 주소만 비울 수 있습니다.`);
      if (url.href.length > 2000) throw invalidInput('주소가 너무 깁니다.');
      url.hash = '';
      await queue('url', [url.href], clock.now());
      return url.href;
    },

    /** The admin's purge of every page (they all carry the navigation's tag), sent at once. */
    async purgeEverything(): Promise<void> {
      await queue('tag', [EVERY_PAGE_TAG], clock.now());
    },

    /** One pass: claim what is due and send it. */
    async run(): Promise<{ claimed: number; sent: number }> {
      if (adapter === null) return { claimed: 0, sent: 0 };
      const now = clock.now();
      const { token, rows } = await claim(now);
      if (rows.length === 0) return { claimed: 0, sent: 0 };
      const floodPass = !adapter.tagsAsUrls && rows.length > flood;
      const sent = await send(token, rows, floodPass);
      return { claimed: rows.length, sent };
    },

    /** Given-up purges are queued again, to go at once (after the CDN's settings are fixed). */
    async retryFailed(): Promise<number> {
      const now = clock.now();
      const result = await db
        .updateTable('cdn_purges')
        .set({
          state: 'pending',
          attempts: 0,
          due_at: now,
          deadline_at: now + policy.retryForMs,
          claimed_by: null,
          claimed_until: null,
        })
        .where('state', '=', 'failed')
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async status(): Promise<PurgeQueueStatus> {
      const now = clock.now();
      const [counts, oldest, lastSent, lastFailure, open, recent] = await Promise.all([
        db
          .selectFrom('cdn_purges')
          .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
          .where((w) => w.or([w('state', '!=', 'sent'), w('sent_at', '>=', now - DAY)]))
          .groupBy('state')
          .execute(),
        db
          .selectFrom('cdn_purges')
          .select((eb) => eb.fn.min('created_at').as('at'))
          .where('state', '=', 'pending')
          .executeTakeFirst(),
        db
          .selectFrom('cdn_purges')
          .select((eb) => eb.fn.max('sent_at').as('at'))
          .where('state', '=', 'sent')
          .executeTakeFirst(),
        db
          .selectFrom('cdn_purges')
          .select(['last_error', 'last_attempt_at'])
          .where('state', '!=', 'sent')
          .where('last_error', 'is not', null)
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst(),
        db
          .selectFrom('cdn_purges')
          .select(rowColumns)
          .where('state', '!=', 'sent')
          .orderBy('id', 'desc')
          .limit(30)
          .execute(),
        db
          .selectFrom('cdn_purges')
          .select(rowColumns)
          .where('state', '=', 'sent')
          .orderBy('sent_at', 'desc')
          .orderBy('id', 'desc')
          .limit(20)
          .execute(),
      ]);
      const count = (state: string) => Number(counts.find((c) => c.state === state)?.n ?? 0);
      const at = (v: unknown) => (v === null || v === undefined ? null : Number(v));
      return {
        provider: adapter?.label ?? null,
        pending: count('pending'),
        failed: count('failed'),
        sentLastDay: count('sent'),
        oldestPendingAt: at(oldest?.at),
        lastSentAt: at(lastSent?.at),
        lastError:
          lastFailure?.last_error == null
            ? null
            : {
                at: Number(lastFailure.last_attempt_at ?? 0),
                message: lastFailure.last_error,
              },
        open: open.map(toRow),
        recent: recent.map(toRow),
      };
    },

    /** Sent purges go after a day, given-up ones after a week. */
    async prune(): Promise<void> {
      const now = clock.now();
      await db
        .deleteFrom('cdn_purges')
        .where((w) =>
          w.or([
            w.and([w('state', '=', 'sent'), w('sent_at', '<', now - DAY)]),
            w.and([w('state', '=', 'failed'), w('due_at', '<', now - 7 * DAY)]),
          ]),
        )
        .execute();
    },
  };
}

export type CdnPurges = ReturnType<typeof createCdnPurges>;
