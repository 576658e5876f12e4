import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../dialect.ts';

/**
 * The readers' day, shared by every app server: the day's random salt (and the next
 * day's, made ahead so midnight needs no query), and the fingerprints of the (reader,
 * article) pairs counted that day, so a reader whose beacons reach two servers or two
 * workers counts once. Both are deleted when their day is over; backups leave them out.
 */
export const sharedReaderDay = (dialect: DialectName): Migration => ({
  up: (db) => up(db, dialect),
  down,
});

async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const big = dialect === 'postgres' ? ('bigint' as const) : ('integer' as const);
  await db.schema
    .createTable('reader_salts')
    // The KST day's first instant, epoch ms.
    .addColumn('day', big, (c) => c.primaryKey())
    .addColumn('salt', 'varchar(64)', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('reader_fingerprints')
    .addColumn('day', big, (c) => c.notNull())
    // 53 bits of sha256(salt, address, browser, article): exact in a JavaScript number.
    .addColumn('fingerprint', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('reader_fingerprints_pk', ['day', 'fingerprint'])
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('reader_fingerprints').execute();
  await db.schema.dropTable('reader_salts').execute();
}
