import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../dialect.ts';

/** A week in epoch milliseconds: the width of a count bucket. */
export const COUNT_WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Published articles per section and week of publication, kept by triggers on `articles`
 * in the transaction of every change (the desk, the importer, a restore, plain SQL alike).
 * A section page sums a few hundred rows instead of counting a section's articles, and
 * finds page N by walking the weeks to the one holding its first article: the listing
 * query then skips at most a week's articles instead of (N − 1) × 20. Counts include
 * scheduled articles (published, time still ahead); readers' pages subtract those, which
 * are few and found by index.
 *
 * The admin's article list filtered by origin (통신, 보도자료, …) walks each status's
 * articles of that origin newest first: (status, origin, updated_at, id). Without it, a rare
 * origin meant reading every article of the status.
 *
 * The backfill reads the (section_id, status, published_at) index, not the table; the new
 * index is one pass over the table.
 */
export const sectionWeekCounts = (dialect: DialectName): Migration => ({
  up: (db) => up(db, dialect),
  down: (db) => down(db, dialect),
});

const WEEK = sql.lit(COUNT_WEEK_MS);

/**
 * Counts every published article into an empty `section_week_counts` at once: the
 * backfill, and what a bulk load does after writing its articles with the triggers off.
 */
export async function countSectionWeeks(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const week =
    dialect === 'postgres'
      ? sql`published_at / ${WEEK}`
      : sql`cast(published_at / ${WEEK} as integer)`;
  await sql`insert into section_week_counts (section_id, week, published)
    select section_id, ${week}, count(*) from articles
    where status = 'published' and published_at is not null
    group by section_id, ${week}`.execute(db);
}

async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const big = dialect === 'postgres' ? ('bigint' as const) : ('integer' as const);
  await db.schema
    .createTable('section_week_counts')
    .addColumn('section_id', big, (c) => c.notNull().references('sections.id').onDelete('cascade'))
    // floor(published_at / COUNT_WEEK_MS)
    .addColumn('week', big, (c) => c.notNull())
    .addColumn('published', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('section_week_counts_pk', ['section_id', 'week'])
    .execute();

  // Triggers first: on PostgreSQL creating one locks articles against writes until this
  // migration commits, so no publish falls between the backfill and the triggers.
  if (dialect === 'postgres') {
    await sql`create function section_week_counts_track() returns trigger language plpgsql as $$
      begin
        if tg_op <> 'INSERT' and old.status = 'published' and old.published_at is not null then
          update section_week_counts set published = published - 1
          where section_id = old.section_id and week = old.published_at / ${WEEK};
        end if;
        if tg_op <> 'DELETE' and new.status = 'published' and new.published_at is not null then
          insert into section_week_counts (section_id, week, published)
          values (new.section_id, new.published_at / ${WEEK}, 1)
          on conflict (section_id, week) do update set published = section_week_counts.published + 1;
        end if;
        return null;
      end $$`.execute(db);
    await sql`create trigger articles_section_week_counts
      after insert or delete or update of status, section_id, published_at on articles
      for each row execute function section_week_counts_track()`.execute(db);
  } else {
    // cast(): published_at is an integer, but a real number would make a bucket of its own.
    const add = (row: 'new') =>
      sql`insert into section_week_counts (section_id, week, published)
        select ${sql.raw(row)}.section_id, cast(${sql.raw(row)}.published_at / ${WEEK} as integer), 1
        where ${sql.raw(row)}.status = 'published' and ${sql.raw(row)}.published_at is not null
        on conflict (section_id, week) do update set published = published + 1;`;
    const remove = (row: 'old') =>
      sql`update section_week_counts set published = published - 1
        where ${sql.raw(row)}.status = 'published' and ${sql.raw(row)}.published_at is not null
          and section_id = ${sql.raw(row)}.section_id
          and week = cast(${sql.raw(row)}.published_at / ${WEEK} as integer);`;
    await sql`create trigger articles_section_week_counts_insert after insert on articles
      begin ${add('new')} end`.execute(db);
    await sql`create trigger articles_section_week_counts_delete after delete on articles
      begin ${remove('old')} end`.execute(db);
    await sql`create trigger articles_section_week_counts_update
      after update of status, section_id, published_at on articles
      begin ${remove('old')} ${add('new')} end`.execute(db);
  }

  await countSectionWeeks(db, dialect);

  await db.schema
    .createIndex('articles_status_origin_updated_idx')
    .on('articles')
    .columns(['status', 'origin', 'updated_at', 'id'])
    .execute();

  if (dialect === 'postgres') {
    // A dozen sections never reach autovacuum's 50 changes, so PostgreSQL never analyzed
    // them and guessed one visible section: the 많이 본 뉴스 and 관련기사 queries then
    // walked every published article through the sections (15 and 36 ms an article page at
    // 20,000 articles, growing with the archive; under 1 ms and 3 ms once analyzed). Any
    // change now has them analyzed again.
    await sql`alter table sections set (autovacuum_analyze_threshold = 0, autovacuum_analyze_scale_factor = 0)`.execute(
      db,
    );
    await sql`analyze sections`.execute(db);
  }
}

async function down(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  if (dialect === 'postgres')
    await sql`alter table sections reset (autovacuum_analyze_threshold, autovacuum_analyze_scale_factor)`.execute(
      db,
    );
  await db.schema.dropIndex('articles_status_origin_updated_idx').execute();
  if (dialect === 'postgres') {
    await sql`drop trigger articles_section_week_counts on articles`.execute(db);
    await sql`drop function section_week_counts_track()`.execute(db);
  } else {
    for (const name of ['insert', 'delete', 'update'])
      await sql`drop trigger ${sql.raw(`articles_section_week_counts_${name}`)}`.execute(db);
  }
  await db.schema.dropTable('section_week_counts').execute();
}
