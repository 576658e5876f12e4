import { createHmac } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';

export interface LimitRule {
  limit: number;
  windowMs: number;
}

const HOUR = 60 * 60 * 1000;

/**
 * How many tips are taken. One address sends a few an hour (a reader with more to say
 * writes one longer tip); all addresses together are capped too, so a flood from many
 * addresses cannot bury the desk's inbox.
 */
export const DEFAULT_TIP_LIMITS = {
  addressHour: { limit: 5, windowMs: HOUR },
  addressDay: { limit: 15, windowMs: 24 * HOUR },
  everyone: { limit: 300, windowMs: HOUR },
} satisfies Record<string, LimitRule>;

export type TipLimits = typeof DEFAULT_TIP_LIMITS;

/** A counted attempt: the keys to give back if it does not become a tip. */
export interface Ticket {
  keys: string[];
}

export type Admission = { ok: true; ticket: Ticket } | { ok: false; retryAfterMs: number };

/**
 * An IPv6 reader gets a whole /64 from their provider and can pick any address in it: the
 * network is what counts. IPv4 (also mapped into IPv6) counts per address.
 */
export function addressGroup(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped !== null) return mapped[1] ?? address;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('%')[0]!.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * Per-address counters in the database (tip_limits), shared by every app server. Each
 * attempt is counted in one statement per key that returns its number in the window, so
 * twenty parallel posts get the numbers 1…20 and only those within the limit go on. The
 * address is kept only as a keyed hash.
 */
export function createTipLimits(
  db: Kysely<Database>,
  key: () => Promise<Buffer>,
  rules: TipLimits = DEFAULT_TIP_LIMITS,
) {
  async function count(name: string, rule: LimitRule, now: number) {
    const windowStart = now - rule.windowMs;
    const expired = sql<boolean>`tip_limits.window_started_at <= cast(${windowStart} as bigint)`;
    return db
      .insertInto('tip_limits')
      .values({ key: name, count: 1, window_started_at: now })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          count: sql<number>`case when ${expired} then 1 else tip_limits.count + 1 end`,
          window_started_at: sql<number>`case when ${expired} then cast(${now} as bigint) else tip_limits.window_started_at end`,
        }),
      )
      .returning(['count', 'window_started_at'])
      .executeTakeFirstOrThrow();
  }

  async function giveBack(keys: readonly string[]): Promise<void> {
    // One row per statement: two statements locking the same rows in different orders
    // could deadlock on PostgreSQL.
    for (const k of keys) {
      await db
        .updateTable('tip_limits')
        .set({
          count: sql<number>`case when tip_limits.count > 0 then tip_limits.count - 1 else 0 end`,
        })
        .where('key', '=', k)
        .execute();
    }
  }

  return {
    /**
     * Counts one attempt from `address`. The address's own limits are asked first, so an
     * address past its limit does not use up everyone's share.
     */
    async admit(address: string, now: number): Promise<Admission> {
      const hashed = createHmac('sha256', await key())
        .update(addressGroup(address))
        .digest('base64url')
        .slice(0, 32);
      const steps: [string, LimitRule][] = [
        [`h:${hashed}`, rules.addressHour],
        [`d:${hashed}`, rules.addressDay],
        ['all', rules.everyone],
      ];
      const counted: string[] = [];
      for (const [name, rule] of steps) {
        const row = await count(name, rule, now);
        counted.push(name);
        if (row.count > rule.limit) {
          await giveBack(counted);
          return {
            ok: false,
            retryAfterMs: Math.max(60_000, Number(row.window_started_at) + rule.windowMs - now),
          };
        }
      }
      return { ok: true, ticket: { keys: counted } };
    },

    /** The attempt did not become a tip (a field to fix, a bad file): it does not count. */
    async release(ticket: Ticket): Promise<void> {
      await giveBack(ticket.keys);
    },

    /** Deletes counters whose window has ended. */
    async purge(now: number): Promise<number> {
      const longest = Math.max(...Object.values(rules).map((r) => r.windowMs));
      const result = await db
        .deleteFrom('tip_limits')
        .where('window_started_at', '<=', now - longest)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type TipLimitCounter = ReturnType<typeof createTipLimits>;
