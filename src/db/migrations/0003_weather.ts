import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../dialect.ts';
import { DEFAULT_TICKER_PLACES } from './0003_weather_places.ts';

/**
 * Weather from KMA: the ticker's place list (editable in the admin), each source's last
 * attempt and error, the region's stored short-range forecast, and job claims so only
 * one app server runs a background refresh at a time.
 */
export const weather = (dialect: DialectName): Migration => ({
  up: (db) => up(db, dialect),
  down,
});

async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const isPostgres = dialect === 'postgres';
  const time = isPostgres ? ('bigint' as const) : ('integer' as const);
  const degrees = isPostgres ? ('double precision' as const) : ('real' as const);

  await db.schema
    .createTable('weather_places')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(40)', (c) => c.notNull())
    .addColumn('kind', 'varchar(10)', (c) => c.notNull())
    .addColumn('station', 'integer')
    .addColumn('lat', degrees, (c) => c.notNull())
    .addColumn('lon', degrees, (c) => c.notNull())
    .addColumn('nx', 'integer')
    .addColumn('ny', 'integer')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
  // The reference page's sixteen stations, so a new paper starts with a full ticker.
  await db
    .insertInto('weather_places' as never)
    .values(
      DEFAULT_TICKER_PLACES.map(([station, name, lat, lon], position) => ({
        id: `asos:${station}`,
        name,
        kind: 'station',
        station,
        lat,
        lon,
        nx: null,
        ny: null,
        position,
        created_at: 0,
      })) as never,
    )
    .execute();

  await db.schema
    .createTable('weather_source_status')
    .addColumn('source', 'varchar(20)', (c) => c.primaryKey())
    .addColumn('attempted_at', time, (c) => c.notNull())
    .addColumn('succeeded_at', time)
    .addColumn('error', 'text')
    .addColumn('observed_at', time)
    .execute();

  await db.schema
    .createTable('weather_forecasts')
    .addColumn('region', 'varchar(60)', (c) => c.primaryKey())
    .addColumn('nx', 'integer', (c) => c.notNull())
    .addColumn('ny', 'integer', (c) => c.notNull())
    .addColumn('base_at', time, (c) => c.notNull())
    .addColumn('fetched_at', time, (c) => c.notNull())
    .addColumn('days', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('job_claims')
    .addColumn('name', 'varchar(60)', (c) => c.primaryKey())
    .addColumn('owner', 'varchar(100)', (c) => c.notNull())
    .addColumn('until', time, (c) => c.notNull())
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'job_claims',
    'weather_forecasts',
    'weather_source_status',
    'weather_places',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
