import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../dialect.ts';

/**
 * Banner slots and campaigns (advertiser, image or HTML tag, targeting, pause), their daily
 * impressions and clicks, and reader counts per article per hour.
 */
export const adsAndReaders = (dialect: DialectName): Migration => ({
  up: (db) => up(db, dialect),
  down,
});

// The slots the templates know, with the sizes a sales sheet quotes.
// prettier-ignore
const SLOTS: ReadonlyArray<readonly [id: string, name: string, width: number, height: number, paragraph: number | null, position: number]> = [
  ['header-top', '상단 전체 배너', 970, 90, null, 0],
  ['masthead-side', '제호 옆', 300, 90, null, 1],
  ['rail-1', '오른쪽 1', 300, 250, null, 2],
  ['rail-2', '오른쪽 2', 300, 250, null, 3],
  ['rail-3', '오른쪽 3', 300, 600, null, 4],
  ['article-inline', '기사 본문 중간', 640, 120, 3, 5],
  ['above-footer', '하단 전체 배너', 970, 90, null, 6],
  ['mobile-sticky', '모바일 하단 고정', 320, 50, null, 7],
];

async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const isPostgres = dialect === 'postgres';
  const time = isPostgres ? ('bigint' as const) : ('integer' as const);
  const ref = isPostgres ? ('bigint' as const) : ('integer' as const);
  const counter = isPostgres ? ('bigint' as const) : ('integer' as const);
  const zero = (c: ColumnDefinitionBuilder) => c.notNull().defaultTo(0);

  await db.schema
    .createTable('banner_slots')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(60)', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    // For the in-article slot: after which paragraph.
    .addColumn('paragraph', 'integer')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db
    .insertInto('banner_slots' as never)
    .values(
      SLOTS.map(([id, name, width, height, paragraph, position]) => ({
        id,
        name,
        width,
        height,
        paragraph,
        position,
        enabled: 1,
      })) as never,
    )
    .execute();

  const banners = () => db.schema.alterTable('banners');
  await banners()
    .addColumn('advertiser', 'varchar(100)', (c) => c.notNull().defaultTo(''))
    .execute();
  await banners()
    .addColumn('kind', 'varchar(10)', (c) => c.notNull().defaultTo('image'))
    .execute();
  await banners().addColumn('html_tag', 'text').execute();
  await banners()
    .addColumn('device', 'varchar(10)', (c) => c.notNull().defaultTo('all'))
    .execute();
  await banners()
    .addColumn('sections', 'varchar(500)', (c) => c.notNull().defaultTo(''))
    .execute();
  await banners().addColumn('paused', 'integer', zero).execute();
  await banners().addColumn('updated_at', time, zero).execute();

  await db.schema
    .createTable('banner_daily')
    .addColumn('banner_id', ref, (c) => c.notNull())
    // KST day as YYYYMMDD.
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('impressions', counter, zero)
    .addColumn('clicks', counter, zero)
    .addPrimaryKeyConstraint('banner_daily_pk', ['banner_id', 'day'])
    .execute();

  await db.schema
    .createTable('article_views')
    .addColumn('article_id', ref, (c) => c.notNull())
    // Start of the hour, epoch ms.
    .addColumn('hour', time, (c) => c.notNull())
    .addColumn('views', counter, zero)
    .addPrimaryKeyConstraint('article_views_pk', ['article_id', 'hour'])
    .execute();
  await db.schema
    .createIndex('article_views_hour_idx')
    .on('article_views')
    .columns(['hour'])
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['article_views', 'banner_daily', 'banner_slots']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  for (const column of [
    'advertiser',
    'kind',
    'html_tag',
    'device',
    'sections',
    'paused',
    'updated_at',
  ]) {
    await db.schema.alterTable('banners').dropColumn(column).execute();
  }
}
