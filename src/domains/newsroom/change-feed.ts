import { sql, type Kysely } from 'kysely';
import type { Database, DialectName } from '../../db/index.ts';
import type { Clock } from '../../shared/clock.ts';

const KEEP_MS = 24 * 60 * 60 * 1000;

/** The PostgreSQL NOTIFY channel that says "the change feed has a new row". */
export const CHANGE_CHANNEL = 'tamna_changes';

/**
 * An id the feed skipped is looked for this long: on PostgreSQL a row can commit after
 * a row with a higher id (two servers inserting at once), so a reader that moved past it
 * must still see it. A rolled-back insert leaves a gap that never fills; it expires.
 */
const GAP_WAIT_MS = 30_000;
/** Gaps remembered at most: a jump larger than this is a sequence reset, not a race. */
const MAX_GAPS = 1_000;
const BATCH = 500;

export interface Change {
  id: number;
  tags: string[];
}

/**
 * Cache tags of every content change, in the database. Other processes that share the
 * database (the import CLI, other app servers, other workers) append here; every server
 * reads new rows and drops those tags from its page cache, so no change waits for a page
 * to expire, with or without Redis. On PostgreSQL the insert also sends a NOTIFY
 * (`tamna_changes`, payload `<schema>:<id>`) in the same statement, so listening servers
 * read at once; polling stays as the fallback.
 */
export function createChangeFeed(deps: {
  db: Kysely<Database>;
  clock: Clock;
  dialect?: DialectName;
}) {
  const { db, clock } = deps;
  const notify = deps.dialect === 'postgres';

  async function since(
    id: number,
    missing: readonly number[] = [],
    limit = BATCH,
  ): Promise<Change[]> {
    const rows = await db
      .selectFrom('change_feed')
      .select(['id', 'tags'])
      .where((eb) =>
        missing.length === 0
          ? eb('id', '>', id)
          : eb.or([eb('id', '>', id), eb('id', 'in', [...missing])]),
      )
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.id, tags: r.tags === '' ? [] : r.tags.split(',') }));
  }

  return {
    async record(tags: readonly string[]): Promise<number> {
      const values = { tags: tags.join(','), at: clock.now() };
      if (notify) {
        // One statement: the row and its notification commit together (NOTIFY is sent at
        // commit), so a listener that hears of it finds the row.
        const result = await sql<{ id: number }>`
          with row as (
            insert into change_feed (tags, at) values (${values.tags}, ${values.at}) returning id
          )
          select id, pg_notify(${CHANGE_CHANNEL}, current_schema() || ':' || id) from row`.execute(
          db,
        );
        const row = result.rows[0];
        if (row === undefined) throw new Error('change feed: the insert returned no id');
        return Number(row.id);
      }
      const row = await db
        .insertInto('change_feed')
        .values(values)
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

    since,

    /**
     * A reader of rows after `from`, in id order, that also picks up rows committed late
     * below its position (see GAP_WAIT_MS). Not safe for concurrent `next` calls.
     */
    reader(from: number) {
      let cursor = from;
      const gaps = new Map<number, number>();
      return {
        get position(): number {
          return cursor;
        },
        /** Every change committed since the last call (in batches, until none is left). */
        async next(): Promise<Change[]> {
          const now = clock.now();
          for (const [id, until] of gaps) if (until <= now) gaps.delete(id);
          const out: Change[] = [];
          for (;;) {
            const batch = await since(cursor, [...gaps.keys()]);
            let fresh = 0;
            for (const change of batch) {
              if (gaps.delete(change.id)) {
                out.push(change);
                continue;
              }
              if (change.id <= cursor) continue;
              for (let gap = Math.max(cursor + 1, change.id - MAX_GAPS); gap < change.id; gap++)
                gaps.set(gap, now + GAP_WAIT_MS);
              while (gaps.size > MAX_GAPS) {
                const oldest = gaps.keys().next().value;
                if (oldest === undefined) break;
                gaps.delete(oldest);
              }
              cursor = change.id;
              out.push(change);
              fresh++;
            }
            if (batch.length < BATCH || fresh === 0) return out;
          }
        },
      };
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
export type ChangeFeedReader = ReturnType<ChangeFeed['reader']>;
