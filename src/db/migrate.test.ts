import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freshDatabase, postgresUrl } from '../testing/databases.ts';
import { migrateToLatest } from './migrate.ts';

/**
 * CI failed once with `schema "t_…" does not exist` while migrating: Kysely's PostgreSQL
 * introspection reads every schema in the database, and another test dropped its own at
 * that moment. The migration must not depend on other schemas staying put.
 */
describe('migrations on a PostgreSQL database whose other schemas come and go', () => {
  it('migrate while other schemas are created and dropped', async () => {
    const churn = new pg.Client({ connectionString: postgresUrl });
    await churn.connect();
    let running = true;
    const churning = (async () => {
      for (let n = 0; running; n++) {
        const name = `churn_${process.pid}_${n}`;
        await churn.query(`create schema ${name}`);
        await churn.query(
          `create table ${name}.t (${Array.from({ length: 30 }, (_, i) => `c${i} int`).join(', ')})`,
        );
        // A table dropped on its own as well: introspection then names a missing relation.
        await churn.query(`drop table ${name}.t`);
        await churn.query(`create table ${name}.u (c int)`);
        await churn.query(`drop schema ${name} cascade`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
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
      await churning;
      await churn.end();
    }
  }, 60_000);
});
