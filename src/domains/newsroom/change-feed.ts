import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { Clock } from '../../shared/clock.ts';

const KEEP_MS = 24 * 60 * 60 * 1000;

/**
 * Cache tags of every content change, in the database. Other processes that share the
 * database (the import CLI, other app servers) append here; every server reads new rows
 * every few seconds and drops those tags from its page cache, so no change waits for a
 * page to expire, with or without Redis.
 */
export function createChangeFeed(deps: { db: Kysely<Database>; clock: Clock }) {
  const { db, clock } = deps;
  return {
    async record(tags: readonly string[]): Promise<number> {
      const row = await db
        .insertInto('change_feed')
        .values({ tags: tags.join(','), at: clock.now() })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async latestId(): Promise<number> {
      const row = await db
        .selectFrom('change_feed')
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirst();
      return Number(row?.id ?? 0);
    },

    async since(id: number, limit = 500): Promise<{ id: number; tags: string[] }[]> {
      const rows = await db
        .selectFrom('change_feed')
        .select(['id', 'tags'])
        .where('id', '>', id)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ id: r.id, tags: r.tags === '' ? [] : r.tags.split(',') }));
    },

    async prune(): Promise<void> {
      await db
        .deleteFrom('change_feed')
        .where('at', '<', clock.now() - KEEP_MS)
        .execute();
    },
  };
}

export type ChangeFeed = ReturnType<typeof createChangeFeed>;
