import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectDatabase, type DatabaseHandle, type DialectName } from '../db/index.ts';

/**
 * The PostgreSQL the storage suite runs against. In CI it must be there: a missing
 * server fails the run instead of silently skipping half the suite.
 */
export const postgresUrl =
  process.env.TAMNA_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const testDialects: DialectName[] = ['sqlite', 'postgres'];

/** A fresh, empty database: in-memory SQLite, or a new schema in the test PostgreSQL. */
export async function freshDatabase(dialect: DialectName): Promise<DatabaseHandle> {
  if (dialect === 'sqlite') return connectDatabase({ kind: 'sqlite', file: ':memory:' });
  const schema = await freshPostgresSchema();
  const handle = await connectDatabase({ kind: 'postgres', url: schema.url });
  return {
    ...handle,
    async close() {
      await handle.close();
      await schema.drop();
    },
  };
}

/**
 * A new, empty schema in the test PostgreSQL and a DATABASE_URL that uses it, for code
 * that connects by itself (the backup and copy commands, child processes).
 */
export async function freshPostgresSchema(): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    await admin.query(`create schema ${schema}`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgresUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async drop() {
      const cleanup = new pg.Client({ connectionString: postgresUrl });
      await cleanup.connect();
      try {
        await cleanup.query(`drop schema ${schema} cascade`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
