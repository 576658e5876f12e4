import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Takes the named background job until `until` unless another owner holds it past `now`.
 * One statement, so two app servers racing for the same job cannot both win.
 */
export async function claimJob(
  db: Kysely<Database>,
  job: { name: string; owner: string; now: number; until: number },
): Promise<boolean> {
  const row = await db
    .insertInto('job_claims')
    .values({ name: job.name, owner: job.owner, until: job.until })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ owner: job.owner, until: job.until })
        .where((eb) =>
          eb.or([eb('job_claims.until', '<=', job.now), eb('job_claims.owner', '=', job.owner)]),
        ),
    )
    .returning('owner')
    .executeTakeFirst();
  return row?.owner === job.owner;
}
