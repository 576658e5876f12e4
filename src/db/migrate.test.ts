import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freshDatabase, postgresUrl } from '../testing/databases.ts';
import { migrateToLatest } from './migrate.ts';

/**
 * CI failed three times with `schema "…" does not exist` (or a missing column) while
 * migrating: Kysely's PostgreSQL introspection reads every schema in the database, and
 * another test dropped its own at that moment; retrying did not always outlast the churn.
 * The migration must not depend on other schemas staying put.
 */
describe('migrations on a PostgreSQL database whose other schemas come and go', () => {
  it('migrate while other schemas are created and dropped', async () => {
    // Two connections without a pause, so that some schema is always coming or going.
    const churners = [0, 1].map(() => new pg.Client({ connectionString: postgresUrl }));
    await Promise.all(churners.map((c) => c.connect()));
    let running = true;
    const churning = churners.map(async (churn, c) => {
      for (let n = 0; running; n++) {
        const name = `churn_${process.pid}_${c}_${n}`;
        await churn.query(`create schema ${name}`);
        await churn.query(
          `create table ${name}.t (${Array.from({ length: 30 }, (_, i) => `c${i} int`).join(', ')})`,
        );
        // A column and a table dropped on their own as well: Kysely's introspection then
        // names a missing column or relation.
        await churn.query(`alter table ${name}.t drop column c0`);
        await churn.query(`drop table ${name}.t`);
        await churn.query(`create table ${name}.u (c int)`);
        await churn.query(`drop schema ${name} cascade`);
      }
    });
    try {
      for (let i = 0; i < 12; i++) {
        const handle = await freshDatabase('postgres');
        try {
          expect((await migrateToLatest(handle)).length).toBeGreaterThan(0);
        } finally {
          await handle.close();
        }
      }
    } finally {
      running = false;
      await Promise.all(churning);
      await Promise.all(churners.map((c) => c.end()));
    }
  }, 60_000);
});
