import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../dialect.ts';

/**
 * Bylines without an account: an author's email becomes optional (archives and outside
 * writers often have none) and an author gets an optional title (객원 기자, 외부 필자).
 * Tags keep the order they were typed in: article_tags gets a position.
 */
export const authorsAndSections = (dialect: DialectName): Migration => ({
  up: (db) => up(db, dialect),
  down,
});

async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  await db.schema
    .alterTable('article_tags')
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  if (dialect === 'postgres') {
    await sql`alter table authors alter column email drop not null`.execute(db);
    await db.schema
      .alterTable('authors')
      .addColumn('title', 'varchar(40)', (c) => c.notNull().defaultTo(''))
      .execute();
    return;
  }

  // SQLite cannot drop NOT NULL: the table is rebuilt (its documented 12-step way). Foreign
  // keys are off meanwhile, or dropping the old table would empty users.author_id (ON
  // DELETE SET NULL). Kysely runs SQLite migrations outside a transaction, so the pragma
  // takes effect; the rebuild itself is one transaction.
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`begin`.execute(db);
    try {
      const sequence = await sql<{ seq: number }>`
        select seq from sqlite_sequence where name = 'authors'`.execute(db);
      await db.schema
        .createTable('authors_next')
        .addColumn('id', 'integer', (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement())
        .addColumn('name', 'varchar(80)', (c) => c.notNull())
        .addColumn('email', 'varchar(254)', (c) => c.unique())
        .addColumn('title', 'varchar(40)', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .execute();
      await sql`insert into authors_next (id, name, email, title, created_at)
        select id, name, email, '', created_at from authors`.execute(db);
      await sql`drop table authors`.execute(db);
      await sql`alter table authors_next rename to authors`.execute(db);
      // A deleted author's id must never come back: keep the old counter.
      const seq = sequence.rows[0]?.seq;
      if (seq !== undefined)
        await sql`update sqlite_sequence set seq = max(seq, ${seq}) where name = 'authors'`.execute(
          db,
        );
      const broken = await sql`pragma foreign_key_check`.execute(db);
      if (broken.rows.length > 0) throw new Error('authors rebuild broke a foreign key');
      await sql`commit`.execute(db);
    } catch (error) {
      await sql`rollback`.execute(db);
      throw error;
    }
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

// Emails stay optional on the way down: authors without one may exist by then.
async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('authors').dropColumn('title').execute();
  await db.schema.alterTable('article_tags').dropColumn('position').execute();
}
