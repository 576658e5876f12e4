import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { Clock } from '../../shared/clock.ts';

export interface ThrottleRule {
  /** Failures within `windowMs` that lock the key. */
  limit: number;
  windowMs: number;
  lockMs: number;
}

const MINUTE = 60 * 1000;

export const DEFAULT_THROTTLE = {
  account: { limit: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE },
  ip: { limit: 20, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE },
} satisfies Record<string, ThrottleRule>;

/**
 * Failure counters in the database (login_throttle), so every app server sees the same
 * counts and a lock holds no matter which server the next attempt reaches. Keys look like
 * `account:<email>`, `ip:<address>`, `totp:<user id>`.
 */
export function createThrottle(db: Kysely<Database>, clock: Clock) {
  return {
    /** The latest time any of the keys stays locked until, or null when none is locked. */
    async lockedUntil(keys: string[]): Promise<number | null> {
      if (keys.length === 0) return null;
      const row = await db
        .selectFrom('login_throttle')
        .select((eb) => eb.fn.max('locked_until').as('until'))
        .where('key', 'in', keys)
        .where('locked_until', '>', clock.now())
        .executeTakeFirst();
      return row?.until == null ? null : Number(row.until);
    },

    /**
     * Counts one failure against the key, in one statement so that concurrent failures on
     * several servers all count; locks the key when it reaches the limit. Returns the lock
     * end when this failure caused a lock.
     */
    async fail(key: string, rule: ThrottleRule): Promise<number | null> {
      const now = clock.now();
      const windowStart = now - rule.windowMs;
      // The explicit casts let PostgreSQL type the CASE branches' bound parameters.
      const expired = sql<boolean>`login_throttle.window_started_at <= cast(${windowStart} as bigint)`;
      const row = await db
        .insertInto('login_throttle')
        .values({ key, failures: 1, window_started_at: now, locked_until: 0 })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            failures: sql<number>`case when ${expired} then 1 else login_throttle.failures + 1 end`,
            window_started_at: sql<number>`case when ${expired} then cast(${now} as bigint) else login_throttle.window_started_at end`,
          }),
        )
        .returning('failures')
        .executeTakeFirstOrThrow();
      if (row.failures < rule.limit) return null;
      const until = now + rule.lockMs;
      // A fresh window once the lock ends: the account gets its full allowance back then.
      await db
        .updateTable('login_throttle')
        .set({ locked_until: until, failures: 0, window_started_at: now })
        .where('key', '=', key)
        .execute();
      return until;
    },

    async clear(key: string): Promise<void> {
      await db.deleteFrom('login_throttle').where('key', '=', key).execute();
    },

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
}

export type Throttle = ReturnType<typeof createThrottle>;

/** Whole minutes to wait, rounded up and never 0, for a message a person can act on. */
export function minutesUntil(until: number, now: number): number {
  return Math.max(1, Math.ceil((until - now) / MINUTE));
}
