import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';

/** A database without any section has never been set up (nor seeded) for a newspaper. */
export async function isDatabaseEmpty(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('sections').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}
