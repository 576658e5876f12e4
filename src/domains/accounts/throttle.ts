import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { Clock } from '../../shared/clock.ts';

export interface ThrottleRule {
  /** Attempts within `windowMs` that may be checked; the one that fails at the limit locks. */
  limit: number;
  windowMs: number;
  /** How long a lock lasts (with `backoffMs`, the longest it grows to). */
  lockMs: number;
  /**
   * A growing back-off instead of a hard lock: the first lock lasts `backoffMs`, each
   * further failure in the window doubles it, up to `lockMs`.
   */
  backoffMs?: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/**
 * Sign-in limits. A guesser at one address is stopped by `pair` (one account from one
 * address) and `ip` (any account from one address); `account` counts across addresses, but
 * only slows further attempts down (30 s, doubling, at most 15 min), so a stranger cannot
 * lock a named reporter out for a quarter of an hour with five wrong passwords.
 */
export const DEFAULT_THROTTLE = {
  pair: { limit: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE },
  ip: { limit: 20, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE },
  account: { limit: 10, windowMs: 60 * MINUTE, lockMs: 15 * MINUTE, backoffMs: 30 * SECOND },
  secondFactor: { limit: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE },
} satisfies Record<string, ThrottleRule>;

/** One key's share of an attempt: the attempt's number in the window, to settle later. */
export interface Ticket {
  key: string;
  rule: ThrottleRule;
  count: number;
}

export type Admission = { ok: true; tickets: Ticket[] } | { ok: false; until: number };

/**
 * Attempt counters in the database (login_throttle), so every app server sees the same
 * counts and a lock holds whichever server the next attempt reaches. Keys look like
 * `account:<email>`, `pair:<email>|<address>`, `ip:<address>`, `totp:<user id>`.
 *
 * An attempt is counted *before* the slow check it guards (scrypt, a TOTP code), in one
 * statement per key: forty parallel guesses get the numbers 1…40 and only those within the
 * limit are checked at all. Attempts turned away give their number back, so a lock's end
 * finds a clean count.
 */
export function createThrottle(db: Kysely<Database>, clock: Clock) {
  async function count(key: string, rule: ThrottleRule, now: number) {
    const windowStart = now - rule.windowMs;
    // The explicit casts let PostgreSQL type the CASE branches' bound parameters.
    const expired = sql<boolean>`login_throttle.window_started_at <= cast(${windowStart} as bigint)`;
    return db
      .insertInto('login_throttle')
      .values({ key, failures: 1, window_started_at: now, locked_until: 0 })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          failures: sql<number>`case when ${expired} then 1 else login_throttle.failures + 1 end`,
          window_started_at: sql<number>`case when ${expired} then cast(${now} as bigint) else login_throttle.window_started_at end`,
        }),
      )
      .returning(['failures', 'locked_until'])
      .executeTakeFirstOrThrow();
  }

  // One row per statement, here and in clear(): a statement that locks several rows can
  // deadlock (PostgreSQL 40P01) with another locking the same rows in another order.
  async function giveBack(keys: string[]): Promise<void> {
    for (const key of keys) {
      await db
        .updateTable('login_throttle')
        .set({ failures: sql<number>`case when failures > 0 then failures - 1 else 0 end` })
        .where('key', '=', key)
        .execute();
      // A key with nothing left to count and no lock is no longer worth a row.
      await db
        .deleteFrom('login_throttle')
        .where('key', '=', key)
        .where('failures', '<=', 0)
        .where('locked_until', '<=', clock.now())
        .execute();
    }
  }

  return {
    /**
     * Counts one attempt against every key and says whether it may be checked. Refused
     * when a key is locked or its count is past the limit; then nothing stays counted.
     */
    async admit(entries: ReadonlyArray<readonly [string, ThrottleRule]>): Promise<Admission> {
      const now = clock.now();
      const tickets: Ticket[] = [];
      let until = 0;
      for (const [key, rule] of entries) {
        const row = await count(key, rule, now);
        tickets.push({ key, rule, count: row.failures });
        const locked = Number(row.locked_until);
        if (locked > now) until = Math.max(until, locked);
        else if (row.failures > rule.limit) {
          if (rule.backoffMs === undefined) {
            // Past a hard limit while the attempt that reached it is still being checked.
            until = Math.max(until, await lock(key, rule, row.failures, now));
          } else {
            // A back-off has run out: one attempt may be checked, and it starts the next
            // wait at once, so parallel attempts find the key locked again.
            const next = await claim(key, rule, row.failures, now);
            if (next !== null) until = Math.max(until, next);
          }
        }
      }
      if (until === 0) return { ok: true, tickets };
      await giveBack(tickets.map((t) => t.key));
      return { ok: false, until };
    },

    /**
     * The admitted attempt failed: locks each key whose count reached its limit. Returns
     * the latest lock end, or null when none locked.
     */
    async failed(tickets: Ticket[]): Promise<number | null> {
      const now = clock.now();
      let until: number | null = null;
      for (const t of tickets) {
        if (t.count < t.rule.limit) continue;
        until = Math.max(until ?? 0, await lock(t.key, t.rule, t.count, now));
      }
      return until;
    },

    /** The attempt succeeded: these keys' counts are forgotten. */
    async clear(...keys: string[]): Promise<void> {
      for (const key of keys)
        await db.deleteFrom('login_throttle').where('key', '=', key).execute();
    },

    /** Forgets every key that starts with `prefix` (an account's per-address counts). */
    async clearPrefix(prefix: string): Promise<void> {
      await db
        .deleteFrom('login_throttle')
        .where(sql<string>`substr(key, 1, ${prefix.length})`, '=', prefix)
        .execute();
    },

    /** The attempt succeeded, but the key counts all attempts (an address): give it back. */
    giveBack,

    /** Deletes rows whose lock and counting window have both ended. */
    async purge(longestWindowMs: number): Promise<number> {
      const now = clock.now();
      const result = await db
        .deleteFrom('login_throttle')
        .where('locked_until', '<=', now)
        .where('window_started_at', '<=', now - longestWindowMs)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };

  /** The back-off wait after `failures` (the rule's full lock when it has no back-off). */
  function backoff(rule: ThrottleRule, failures: number): number {
    const first = rule.backoffMs ?? rule.lockMs;
    return Math.min(rule.lockMs, first * 2 ** Math.max(0, failures - rule.limit));
  }

  /**
   * Locks `key`. A hard lock starts a fresh window when it ends; a back-off keeps the count
   * so that each further failure doubles the wait.
   */
  async function lock(key: string, rule: ThrottleRule, failures: number, now: number) {
    if (rule.backoffMs !== undefined) {
      const until = now + backoff(rule, failures);
      await db
        .updateTable('login_throttle')
        .set({ locked_until: until })
        .where('key', '=', key)
        .where('locked_until', '<', until)
        .execute();
      return until;
    }
    const until = now + rule.lockMs;
    await db
      .updateTable('login_throttle')
      .set({ locked_until: until, failures: 0, window_started_at: now })
      .where('key', '=', key)
      .execute();
    return until;
  }

  /**
   * Starts the next back-off wait if no one else has since the last one ended. Returns
   * null when this attempt claimed the turn, else the wait another attempt started.
   */
  async function claim(key: string, rule: ThrottleRule, failures: number, now: number) {
    const until = now + backoff(rule, failures);
    const result = await db
      .updateTable('login_throttle')
      .set({ locked_until: until })
      .where('key', '=', key)
      .where('locked_until', '<=', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1 ? null : until;
  }
}

export type Throttle = ReturnType<typeof createThrottle>;

/** Whole minutes to wait, rounded up and never 0, for a message a person can act on. */
export function minutesUntil(until: number, now: number): number {
  return Math.max(1, Math.ceil((until - now) / MINUTE));
}
