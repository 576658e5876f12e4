import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { invalidInput } from '../../shared/errors.ts';
import { stripTags } from '../../shared/text.ts';

export interface ApiKeysDeps {
  db: Kysely<Database>;
  clock: Clock;
}

/** A key as the admin lists it: never the key itself, which is shown once when made. */
export interface ApiKeySummary {
  id: number;
  name: string;
  /** The key's first characters, to tell keys apart. */
  prefix: string;
  rateLimit: number;
  createdAt: number;
  createdBy: string | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

/** Who is calling the content API. */
export interface ApiClient {
  id: number;
  name: string;
  rateLimit: number;
}

/** The answer of the rate limit to one request. */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** When the current window ends (epoch ms). */
  resetAt: number;
}

/** Rate limits count requests per key in fixed one-minute windows. */
export const RATE_WINDOW_MS = 60_000;
export const RATE_LIMIT_MIN = 1;
export const RATE_LIMIT_MAX = 10_000;
export const DEFAULT_RATE_LIMIT = 120;
/** last_used_at is written at most this often per key: not one write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

const KEY_PREFIX = 'tamna_';
/** `tamna_` and 32 random bytes in base64url: 256 bits, so a plain SHA-256 is enough. */
const KEY_PATTERN = /^tamna_[A-Za-z0-9_-]{43}$/;

export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

export function createApiKeys(deps: ApiKeysDeps) {
  const { db, clock } = deps;

  return {
    /**
     * Makes a key for `name` with `rateLimit` requests a minute. The key is returned this
     * once; only its hash is stored.
     */
    async create(input: {
      name: string;
      rateLimit: number;
      createdBy: number | null;
    }): Promise<{ id: number; key: string; name: string }> {
      const name = stripTags(input.name).replace(/\s+/g, ' ').trim();
      if (name === '')
        throw invalidInput('키 이름을 입력하세요. 예: 포털 제휴 동기화', {
          fields: { name: '키 이름을 입력하세요.' },
        });
      if ([...name].length > 100)
        throw invalidInput('키 이름은 100자 이내로 입력하세요.', {
          fields: { name: '100자 이내로 입력하세요.' },
        });
      if (
        !Number.isSafeInteger(input.rateLimit) ||
        input.rateLimit < RATE_LIMIT_MIN ||
        input.rateLimit > RATE_LIMIT_MAX
      )
        throw invalidInput(
          `분당 요청 한도는 ${RATE_LIMIT_MIN}에서 ${RATE_LIMIT_MAX.toLocaleString('en-US')} 사이의 정수로 입력하세요.`,
          { fields: { rateLimit: `${RATE_LIMIT_MIN}–${RATE_LIMIT_MAX} 사이의 정수` } },
        );
      const key = KEY_PREFIX + randomBytes(32).toString('base64url');
      const row = await db
        .insertInto('api_keys')
        .values({
          name,
          key_hash: hashApiKey(key),
          key_prefix: key.slice(0, 10),
          rate_limit: input.rateLimit,
          created_by: input.createdBy,
          created_at: clock.now(),
          last_used_at: null,
          revoked_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { id: Number(row.id), key, name };
    },

    async list(): Promise<ApiKeySummary[]> {
      const rows = await db
        .selectFrom('api_keys as k')
        .leftJoin('users as u', 'u.id', 'k.created_by')
        .select([
          'k.id',
          'k.name',
          'k.key_prefix',
          'k.rate_limit',
          'k.created_at',
          'u.name as createdBy',
          'k.last_used_at',
          'k.revoked_at',
        ])
        .orderBy('k.revoked_at', (ob) => ob.desc().nullsFirst())
        .orderBy('k.id', 'desc')
        .execute();
      return rows.map((r) => ({
        id: Number(r.id),
        name: r.name,
        prefix: r.key_prefix,
        rateLimit: r.rate_limit,
        createdAt: r.created_at,
        createdBy: r.createdBy,
        lastUsedAt: r.last_used_at,
        revokedAt: r.revoked_at,
      }));
    },

    /** Revokes a key at once, on every app server (each request looks the key up). */
    async revoke(id: number): Promise<boolean> {
      const result = await db
        .updateTable('api_keys')
        .set({ revoked_at: clock.now() })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /** The client a key belongs to, or null for anything that is not a live key. */
    async authenticate(key: string): Promise<ApiClient | null> {
      if (!KEY_PATTERN.test(key)) return null;
      const row = await db
        .selectFrom('api_keys')
        .select(['id', 'name', 'rate_limit', 'last_used_at', 'revoked_at'])
        .where('key_hash', '=', hashApiKey(key))
        .executeTakeFirst();
      if (row === undefined || row.revoked_at !== null) return null;
      const now = clock.now();
      if (row.last_used_at === null || now - row.last_used_at >= LAST_USED_RESOLUTION_MS) {
        await db
          .updateTable('api_keys')
          .set({ last_used_at: now })
          .where('id', '=', row.id)
          .execute();
      }
      return { id: Number(row.id), name: row.name, rateLimit: row.rate_limit };
    },

    /**
     * Counts one request of `client` and says whether it is within the limit. The counter
     * lives in the database and is raised by one atomic upsert, so parallel requests and
     * several app servers share one count.
     */
    async consume(client: ApiClient): Promise<RateDecision> {
      const now = clock.now();
      const windowStart = now - (now % RATE_WINDOW_MS);
      const row = await db
        .insertInto('api_key_usage')
        .values({ key_id: client.id, window_start: windowStart, requests: 1 })
        .onConflict((oc) =>
          oc
            .columns(['key_id', 'window_start'])
            .doUpdateSet((eb) => ({ requests: eb('api_key_usage.requests', '+', 1) })),
        )
        .returning('requests')
        .executeTakeFirstOrThrow();
      const used = Number(row.requests);
      return {
        allowed: used <= client.rateLimit,
        limit: client.rateLimit,
        remaining: Math.max(0, client.rateLimit - used),
        resetAt: windowStart + RATE_WINDOW_MS,
      };
    },

    /** Drops counters of windows long past. */
    async prune(): Promise<void> {
      await db
        .deleteFrom('api_key_usage')
        .where('window_start', '<', clock.now() - 2 * RATE_WINDOW_MS)
        .execute();
    },
  };
}

export type ApiKeys = ReturnType<typeof createApiKeys>;
