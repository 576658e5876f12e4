import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../dialect.ts';

/**
 * The CDN purge queue: one row per cache tag or address to purge at the CDN, written when a
 * change is committed and sent by whichever app server claims it first (a lease in
 * claimed_by/claimed_until), retried with backoff until it is acknowledged or its deadline
 * passes. A pending row not yet claimed absorbs a later purge of the same target.
 */
export const cdnPurgeQueue = (dialect: DialectName): Migration => ({
  up: (db) => up(db, dialect),
  down,
});

async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const isPostgres = dialect === 'postgres';
  const id = isPostgres ? ('bigserial' as const) : ('integer' as const);
  const pk = (c: ColumnDefinitionBuilder) =>
    isPostgres ? c.primaryKey() : c.primaryKey().autoIncrement();
  const time = isPostgres ? ('bigint' as const) : ('integer' as const);

  await db.schema
    .createTable('cdn_purges')
    .addColumn('id', id, pk)
    // 'tag' (a cache tag as the app spells it) | 'url' (an absolute address)
    .addColumn('kind', 'varchar(8)', (c) => c.notNull())
    .addColumn('target', 'varchar(2000)', (c) => c.notNull())
    // 'pending' | 'sent' | 'failed'
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', time, (c) => c.notNull())
    // Not sent before this: the change has reached every server's page cache by then, or
    // the backoff after a failed attempt is over.
    .addColumn('due_at', time, (c) => c.notNull())
    // Retries stop here; the row is then 'failed' for the admin to see.
    .addColumn('deadline_at', time, (c) => c.notNull())
    .addColumn('claimed_by', 'varchar(64)')
    .addColumn('claimed_until', time)
    .addColumn('last_attempt_at', time)
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'varchar(500)')
    .addColumn('sent_at', time)
    .execute();
  await db.schema
    .createIndex('cdn_purges_due_idx')
    .on('cdn_purges')
    .columns(['state', 'due_at'])
    .execute();
  await db.schema
    .createIndex('cdn_purges_target_idx')
    .on('cdn_purges')
    .columns(['target', 'state'])
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('cdn_purges').execute();
}
