import { sql, type Kysely } from 'kysely';
import {
  connectDatabase,
  LATEST_SCHEMA,
  MIGRATION_NAMES,
  migrateTo,
  schemaVersion,
  type Database,
  type DatabaseHandle,
  type DialectName,
} from '../db/index.ts';
import { AppError } from '../shared/errors.ts';
import { progressTicker, seconds } from './progress.ts';
import {
  checksumTable,
  countRows,
  listTables,
  toStored,
  writeSequences,
  type Column,
  type Row,
  type TableInfo,
} from './tables.ts';

type Db = Kysely<Database>;

/** What a restore or a copy writes: tables with their rows, and what they must add up to. */
export interface LoadSource {
  tables: ReadonlyArray<{ name: string; columns: readonly Column[] }>;
  sequences: Readonly<Record<string, number>>;
  rows(table: string): AsyncIterable<Row[]>;
  /** How many rows a table has, when known beforehand (for progress lines). */
  count?(table: string): number | undefined;
  /** Asked once every row is written: the count and TableChecksum the source had. */
  expected(table: string): { rows: number; checksum: string };
}

export interface LoadOptions {
  log: (line: string) => void;
  /** Runs after each table is written (tests interrupt a load here). */
  afterTable?: (table: string) => void | Promise<void>;
  /** The last step before the commit (a restore moves its media into place here). */
  beforeCommit?: () => Promise<void>;
}

/**
 * Writes every row of `source` into an empty database in one transaction, ids kept: tables
 * in dependency order, then id counters, then a read-back of every table compared with
 * the source's checksums. Any failure rolls everything back, so the database is left
 * empty or complete, never half-filled.
 */
export async function loadInto(
  target: DatabaseHandle,
  source: LoadSource,
  options: LoadOptions,
): Promise<void> {
  const { log } = options;
  await target.db.transaction().execute(async (trx) => {
    // Checked again inside the transaction: nothing may have arrived since the first look.
    await assertEmpty(trx, target);
    const targetTables = new Map(
      (await listTables(trx, target.dialect)).map((table) => [table.name, table]),
    );
    const order: Array<{ target: TableInfo; columns: readonly Column[] }> = [];
    for (const table of source.tables) {
      const there = targetTables.get(table.name);
      const want = table.columns.map((c) => c.name).sort();
      const have = there?.columns.map((c) => c.name).sort();
      if (there === undefined || JSON.stringify(want) !== JSON.stringify(have))
        throw new AppError(
          'INVALID_INPUT',
          `The database's table ${table.name} does not match the source (${there === undefined ? 'missing' : `columns ${have?.join(', ')}`}; the source has ${want.join(', ')}).`,
        );
      order.push({ target: there, columns: table.columns });
    }
    const byName = new Map(order.map((o) => [o.target.name, o]));
    const ordered = [...targetTables.values()].flatMap((t) => byName.get(t.name) ?? []);

    // Rows the migrations themselves put there (the default ticker places, the banner
    // slots) give way to the source's.
    for (const { target: table } of [...ordered].reverse())
      await sql`delete from ${sql.table(table.name)}`.execute(trx);

    const fillIns: Array<() => Promise<void>> = [];
    for (const { target: table, columns } of ordered) {
      const started = Date.now();
      const fts = target.dialect === 'sqlite' ? await suspendFtsTriggers(trx, table.name) : null;
      const tick = progressTicker(log);
      const total = source.count?.(table.name);
      const { count: rows, fillIn } = await insertRows(
        trx,
        table,
        columns,
        source.rows(table.name),
        (written) =>
          tick(
            () =>
              `  ${table.name}: ${written.toLocaleString('en-US')}${total === undefined ? '' : ` of ${total.toLocaleString('en-US')}`} rows so far`,
          ),
      );
      await fts?.rebuild();
      if (rows > 0)
        log(`  ${table.name}: ${rows.toLocaleString('en-US')} rows (${seconds(started)})`);
      fillIns.push(fillIn);
      await options.afterTable?.(table.name);
    }
    for (const fillIn of fillIns) await fillIn();
    await writeSequences(
      trx,
      target.dialect,
      ordered.map((o) => o.target.name),
      source.sequences,
    );

    const started = Date.now();
    log('Reading every row back to compare it with the source...');
    for (const { target: table, columns } of ordered) {
      const got = await checksumTable(trx, table, columns);
      const want = source.expected(table.name);
      if (got.rows !== want.rows || got.checksum !== want.checksum)
        throw new AppError(
          'UNAVAILABLE',
          `Verification failed: ${table.name} has ${got.rows} rows after writing, the source had ${want.rows}${got.rows === want.rows ? ' (their contents differ)' : ''}. Nothing was kept.`,
        );
    }
    log(`Verified every row of ${ordered.length} tables (${seconds(started)}).`);
    await options.beforeCommit?.();
  });
}

/** Inserts many rows per statement, within both databases' limits on bound values. */
async function insertRows(
  db: Db,
  table: TableInfo,
  columns: readonly Column[],
  pages: AsyncIterable<Row[]>,
  progress: (written: number) => void,
): Promise<{ count: number; fillIn: () => Promise<void> }> {
  const perStatement = Math.max(1, Math.min(500, Math.floor(30_000 / columns.length)));
  const names = sql.join(columns.map((c) => sql.id(c.name)));
  // A column referring to its own table (a section's parent) may point at a later row, and
  // one closing a circle of tables at a table not yet written: it is written empty first and
  // filled in once every row is there.
  const deferred = table.deferred.map((name) => columns.findIndex((c) => c.name === name));
  const keyIndexes = table.primaryKey.map((k) => columns.findIndex((c) => c.name === k));
  const later: Row[] = [];
  let count = 0;
  let batch: Row[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const values = batch.map(
      (row) => sql`(${sql.join(toStored(columns, row).map((v) => sql`${v}`))})`,
    );
    try {
      await sql`insert into ${sql.table(table.name)} (${names}) values ${sql.join(values)}`.execute(
        db,
      );
    } catch (error) {
      throw new AppError(
        'UNAVAILABLE',
        `Could not write the rows of ${table.name}: ${(error as Error).message}. Nothing was kept.`,
        undefined,
        { cause: error },
      );
    }
    count += batch.length;
    batch = [];
    progress(count);
  };
  for await (const page of pages) {
    for (const row of page) {
      if (row.length !== columns.length)
        throw new AppError(
          'INVALID_INPUT',
          `A row of ${table.name} has the wrong number of values.`,
        );
      if (deferred.some((i) => i >= 0 && row[i] !== null)) {
        later.push(row);
        batch.push(row.map((v, i) => (deferred.includes(i) ? null : v)));
      } else {
        batch.push(row);
      }
      if (batch.length >= perStatement) await flush();
    }
  }
  await flush();
  // Run once every table is written: a deferred column may point at a later table.
  const fillIn = async () => {
    for (const row of later) {
      const set = sql.join(deferred.map((i) => sql`${sql.id(columns[i]?.name ?? '')} = ${row[i]}`));
      const where = sql.join(
        keyIndexes.map((i) => sql`${sql.id(columns[i]?.name ?? '')} = ${row[i]}`),
        sql` and `,
      );
      await sql`update ${sql.table(table.name)} set ${set} where ${where}`.execute(db);
    }
  };
  return { count, fillIn };
}

/**
 * SQLite: a table feeding an FTS5 index (article_search) keeps it in step with triggers,
 * one index update per row. For a load, the triggers are set aside and the index rebuilt
 * once from the table: the same index, about four times faster (measured on the benchmark
 * paper's 20,000 articles). Inside the load's transaction, so a failure undoes it too.
 */
async function suspendFtsTriggers(
  db: Db,
  table: string,
): Promise<{ rebuild(): Promise<void> } | null> {
  const indexes = (
    await sql<{ name: string; sql: string }>`
      select name, sql from sqlite_master where type = 'table' and sql like 'create virtual table%'`.execute(
      db,
    )
  ).rows.filter((index) => {
    const content = /\bcontent\s*=\s*'([^']+)'/i.exec(index.sql)?.[1];
    return /\busing\s+fts5\b/i.test(index.sql) && content === table;
  });
  if (indexes.length === 0) return null;
  const triggers = (
    await sql<{ name: string; sql: string }>`
      select name, sql from sqlite_master where type = 'trigger' and tbl_name = ${table}`.execute(
      db,
    )
  ).rows.filter((trigger) => indexes.some((index) => trigger.sql.includes(index.name)));
  for (const trigger of triggers) await sql`drop trigger ${sql.id(trigger.name)}`.execute(db);
  return {
    async rebuild() {
      for (const trigger of triggers) await sql.raw(trigger.sql).execute(db);
      for (const index of indexes)
        await sql`insert into ${sql.table(index.name)} (${sql.id(index.name)}) values ('rebuild')`.execute(
          db,
        );
    },
  };
}

/**
 * Refuses a target that holds rows, or whose schema is newer than the source's (its tables
 * would not take the source's rows); returns its schema version.
 */
export async function checkTarget(
  target: DatabaseHandle,
  sourceSchema: string,
): Promise<string | null> {
  const found = await nonEmptyTables(target.db, target.dialect);
  if (found.length > 0) throw notEmpty(target.describe, found);
  const current = await schemaVersion(target.db, target.dialect);
  if (current !== null && MIGRATION_NAMES.indexOf(current) > MIGRATION_NAMES.indexOf(sourceSchema))
    throw new AppError(
      'CONFLICT',
      `The database ${target.describe} is empty but already has schema ${current}, newer than the source's ${sourceSchema}: use a database that was never migrated (a new one, or a new SQLite file); it is brought up to date afterwards. Nothing was changed.`,
    );
  return current;
}

/** checkTarget, then the target migrated to the source's schema, ready for loadInto. */
export async function prepareTarget(target: DatabaseHandle, sourceSchema: string): Promise<void> {
  const current = await checkTarget(target, sourceSchema);
  if (current !== sourceSchema) await migrateTo(target, sourceSchema);
}

/** Tables holding rows, for the refusal message; empty when the database may be written. */
export async function nonEmptyTables(
  db: Db,
  dialect: DialectName,
): Promise<Array<{ table: string; rows: number }>> {
  const version = await schemaVersion(db, dialect);
  const tables = await listTables(db, dialect);
  const known = MIGRATION_NAMES.includes(version ?? LATEST_SCHEMA);
  const found: Array<{ table: string; rows: number }> = [];
  for (const table of tables) {
    const rows = await countRows(db, table.name);
    if (rows === 0) continue;
    const seeds = known
      ? (await migrationSeeds(version ?? LATEST_SCHEMA)).get(table.name)
      : undefined;
    if (seeds !== undefined && seeds.rows === rows) {
      const sum = await checksumTable(db, table);
      if (sum.checksum === seeds.checksum) continue;
    }
    found.push({ table: table.name, rows });
  }
  return found;
}

async function assertEmpty(db: Db, handle: DatabaseHandle): Promise<void> {
  const found = await nonEmptyTables(db, handle.dialect);
  if (found.length > 0) throw notEmpty(handle.describe, found);
}

export function notEmpty(
  describe: string,
  tables: ReadonlyArray<{ table: string; rows: number }>,
  more: string[] = [],
): AppError {
  const listed = [...tables]
    .sort((a, b) => b.rows - a.rows)
    .slice(0, 6)
    .map((t) => `${t.table} (${t.rows.toLocaleString('en-US')})`)
    .join(', ');
  const parts = [
    ...(tables.length > 0
      ? [
          `the database ${describe} has rows in ${listed}${tables.length > 6 ? ` and ${tables.length - 6} more tables` : ''}`,
        ]
      : []),
    ...more,
  ];
  return new AppError(
    'CONFLICT',
    `The target is not empty: ${parts.join('; ')}. Use a new, empty database and data directory (or move these aside). Nothing was changed.`,
  );
}

const seedCache = new Map<string, Promise<Map<string, { rows: number; checksum: string }>>>();

/**
 * The rows a newly migrated database already holds (the default ticker places, the banner
 * slots), found by migrating an in-memory database: a database holding only these is empty.
 */
function migrationSeeds(version: string): Promise<Map<string, { rows: number; checksum: string }>> {
  let seeds = seedCache.get(version);
  if (seeds === undefined) {
    seeds = (async () => {
      const scratch = await connectDatabase({ kind: 'sqlite', file: ':memory:' });
      try {
        await migrateTo(scratch, version);
        const found = new Map<string, { rows: number; checksum: string }>();
        for (const table of await listTables(scratch.db, 'sqlite')) {
          const sum = await checksumTable(scratch.db, table);
          if (sum.rows > 0) found.set(table.name, sum);
        }
        return found;
      } finally {
        await scratch.close();
      }
    })();
    seedCache.set(version, seeds);
  }
  return seeds;
}
