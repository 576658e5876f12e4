import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../dialect.ts';

/**
 * Portal readiness. Each article records its origin (자체기사, 통신, 보도자료, 기고, 광고성
 * 기사), when it first went out, and a revision counter that grows with every change
 * readers see. A change sequence orders every change a portal partner must hear about: one
 * counter row, taken last in each writing transaction, hands out the numbers in commit
 * order, so a partner reading "everything after n" never skips a change that committed late.
 */
export const articleOrigin = (dialect: DialectName): Migration => ({
  up: (db) => up(db, dialect),
  down,
});

async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const time = dialect === 'postgres' ? ('bigint' as const) : ('integer' as const);
  const articles = () => db.schema.alterTable('articles');
  // Existing articles were the paper's own reporting as far as anyone recorded.
  await articles()
    .addColumn('origin', 'varchar(20)', (c) => c.notNull().defaultTo('own'))
    .execute();
  await articles()
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await articles().addColumn('revised_at', time).execute();
  await articles().addColumn('first_published_at', time).execute();
  await articles()
    .addColumn('change_seq', time, (c) => c.notNull().defaultTo(0))
    .execute();
  await articles().addColumn('change_due_at', time).execute();

  await db.schema
    .createTable('article_change_counter')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('value', time, (c) => c.notNull())
    .execute();

  // What we know of the past: the last update stands for the last visible change, the
  // publish time for the first one; a scheduled piece changes for partners when it comes out.
  const now = Date.now();
  await sql`update articles set
      revised_at = updated_at,
      first_published_at = published_at,
      change_seq = id,
      change_due_at = case when status = 'published' and published_at > ${now}
        then published_at else null end`.execute(db);
  await sql`insert into article_change_counter (id, value)
      select 1, coalesce(max(id), 0) from articles`.execute(db);

  await db.schema
    .createIndex('articles_change_seq_idx')
    .on('articles')
    .columns(['change_seq'])
    .execute();
  await db.schema
    .createIndex('articles_change_due_idx')
    .on('articles')
    .columns(['change_due_at'])
    .execute();
  await db.schema
    .createIndex('articles_first_published_idx')
    .on('articles')
    .columns(['status', 'first_published_at', 'id'])
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('articles_first_published_idx').execute();
  await db.schema.dropIndex('articles_change_due_idx').execute();
  await db.schema.dropIndex('articles_change_seq_idx').execute();
  await db.schema.dropTable('article_change_counter').execute();
  for (const column of [
    'change_due_at',
    'change_seq',
    'first_published_at',
    'revised_at',
    'revision',
    'origin',
  ])
    await db.schema.alterTable('articles').dropColumn(column).execute();
}
