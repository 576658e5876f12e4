import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../dialect.ts';

/**
 * The paper's machine interfaces: keys for the read-only content API (only their hashes
 * stored) with per-minute request counters, and webhooks: endpoints, the events the desk
 * queues in the transaction of its change, one delivery per event and endpoint (claimed by
 * one app server at a time), and every attempt with its status and latency.
 */
export const apiAndWebhooks = (dialect: DialectName): Migration => ({
  up: (db) => up(db, dialect),
  down,
});

async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const isPostgres = dialect === 'postgres';
  const id = isPostgres ? ('bigserial' as const) : ('integer' as const);
  const pk = (c: ColumnDefinitionBuilder) =>
    isPostgres ? c.primaryKey() : c.primaryKey().autoIncrement();
  const time = isPostgres ? ('bigint' as const) : ('integer' as const);
  const ref = isPostgres ? ('bigint' as const) : ('integer' as const);

  await db.schema
    .createTable('api_keys')
    .addColumn('id', id, pk)
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    // SHA-256 of the key: a leaked database opens no API access.
    .addColumn('key_hash', 'varchar(64)', (c) => c.notNull().unique())
    // The key's first characters, so a list can tell keys apart without holding them.
    .addColumn('key_prefix', 'varchar(16)', (c) => c.notNull())
    .addColumn('rate_limit', 'integer', (c) => c.notNull())
    .addColumn('created_by', ref, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('last_used_at', time)
    .addColumn('revoked_at', time)
    .execute();

  await db.schema
    .createTable('api_key_usage')
    .addColumn('key_id', ref, (c) => c.notNull().references('api_keys.id').onDelete('cascade'))
    .addColumn('window_start', time, (c) => c.notNull())
    .addColumn('requests', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('api_key_usage_pk', ['key_id', 'window_start'])
    .execute();

  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', id, pk)
    .addColumn('url', 'varchar(2000)', (c) => c.notNull())
    .addColumn('description', 'varchar(200)', (c) => c.notNull().defaultTo(''))
    // Subscribed event types between commas: ',article.published,article.updated,'.
    .addColumn('events', 'varchar(300)', (c) => c.notNull())
    // Kept as is: signing needs the secret itself, not a hash of it.
    .addColumn('secret', 'varchar(100)', (c) => c.notNull())
    // After a rotation the old secret signs too for a day, so receivers can switch over.
    .addColumn('previous_secret', 'varchar(100)')
    .addColumn('previous_secret_until', time)
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('disabled_at', time)
    .addColumn('disabled_reason', 'varchar(500)')
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failing_since', time)
    .addColumn('last_success_at', time)
    .addColumn('last_failure_at', time)
    .addColumn('created_by', ref, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('webhook_events')
    .addColumn('id', id, pk)
    .addColumn('type', 'varchar(40)', (c) => c.notNull())
    .addColumn('article_id', ref, (c) => c.references('articles.id').onDelete('cascade'))
    // A test ping goes to one endpoint only.
    .addColumn('endpoint_id', ref, (c) => c.references('webhook_endpoints.id').onDelete('cascade'))
    // JSON: what the change was (the time it went out, the notice's kind).
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    // When it may go out: a scheduled article's time, a settled autosave.
    .addColumn('due_at', time, (c) => c.notNull())
    .addColumn('dispatched_at', time)
    // The JSON body every endpoint receives, fixed when the event is dispatched.
    .addColumn('payload', 'text')
    .execute();
  await db.schema
    .createIndex('webhook_events_due_idx')
    .on('webhook_events')
    .columns(['dispatched_at', 'due_at'])
    .execute();
  await db.schema
    .createIndex('webhook_events_article_idx')
    .on('webhook_events')
    .columns(['article_id', 'type', 'dispatched_at'])
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', id, pk)
    .addColumn('event_id', ref, (c) =>
      c.notNull().references('webhook_events.id').onDelete('cascade'),
    )
    .addColumn('endpoint_id', ref, (c) =>
      c.notNull().references('webhook_endpoints.id').onDelete('cascade'),
    )
    // 'pending' | 'delivered' | 'failed'
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', time, (c) => c.notNull())
    // Retries stop here (a day after the first attempt was due).
    .addColumn('deadline_at', time, (c) => c.notNull())
    .addColumn('claimed_by', 'varchar(64)')
    .addColumn('claimed_until', time)
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'varchar(500)')
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('finished_at', time)
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_due_idx')
    .on('webhook_deliveries')
    .columns(['state', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_endpoint_idx')
    .on('webhook_deliveries')
    .columns(['endpoint_id', 'id'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_event_idx')
    .on('webhook_deliveries')
    .column('event_id')
    .execute();

  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', id, pk)
    .addColumn('delivery_id', ref, (c) =>
      c.notNull().references('webhook_deliveries.id').onDelete('cascade'),
    )
    .addColumn('at', time, (c) => c.notNull())
    // Null when no HTTP answer came (refused, timed out, blocked address).
    .addColumn('status', 'integer')
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('error', 'varchar(500)')
    // The start of the receiver's answer, for the admin's log.
    .addColumn('response_excerpt', 'varchar(300)')
    .execute();
  await db.schema
    .createIndex('webhook_attempts_delivery_idx')
    .on('webhook_attempts')
    .columns(['delivery_id', 'id'])
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('webhook_attempts').execute();
  await db.schema.dropTable('webhook_deliveries').execute();
  await db.schema.dropTable('webhook_events').execute();
  await db.schema.dropTable('webhook_endpoints').execute();
  await db.schema.dropTable('api_key_usage').execute();
  await db.schema.dropTable('api_keys').execute();
}
