import { createHash } from 'node:crypto';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database, DialectName } from '../db/index.ts';
import { AppError } from '../shared/errors.ts';

/**
 * What a backup, a restore and a copy know about a database's tables: read from the
 * database itself (SQLite's pragmas, PostgreSQL's catalog), so a table added by a later
 * migration is carried without anyone listing it here.
 */

/**
 * How a column's values are written and compared; the database-independent row format.
 * `bytes` (SQLite's BLOB, PostgreSQL's bytea: a 기사제보's attached files) travels as
 * base64 text, so a row stays one line of JSON.
 */
export type ColumnKind = 'integer' | 'real' | 'text' | 'bytes';
export const COLUMN_KINDS = ['integer', 'real', 'text', 'bytes'] as const;

export interface Column {
  name: string;
  kind: ColumnKind;
}

export interface TableInfo {
  name: string;
  /** Stored columns, in the table's order; PostgreSQL's generated tsvectors are left out. */
  columns: Column[];
  primaryKey: string[];
  /**
   * Foreign-key columns written empty first and filled in once every table is there: those
   * referring to their own table (a section's parent), and nullable ones that close a cycle
   * between tables (an author's photo, whose uploader is a user, who has a byline).
   */
  deferred: string[];
  /**
   * Every foreign-key column: which table it refers to (written first), and whether it may
   * be empty.
   */
  foreignKeys: Array<{ column: string; table: string; nullable: boolean }>;
}

/** One row's values in its table's column order: JSON's own types. */
export type RowValue = string | number | null;
export type Row = RowValue[];

/**
 * The readers' salts and the day's fingerprints are kept only for the day they count and
 * must never outlive it in an archive (with the salt, a fingerprint can be tested against
 * a guessed address); a restored site starts a new day of them.
 */
const EPHEMERAL = ['reader_salts', 'reader_fingerprints'];

/**
 * Kept by triggers from other tables: the articles' triggers count them again as a load
 * writes them (copied as well, every article would count twice), and article_search's
 * trigger writes each article's match vector (PostgreSQL, migration 0019).
 */
const DERIVED = ['section_week_counts', 'article_search_match'];

/**
 * Not application data: Kysely's migration bookkeeping (the target is migrated by the app's
 * own migrator) and SQLite's internals. SQLite's FTS index (article_search_fts and its
 * shadow tables) is virtual or shadow, never a plain table, so it is never listed: the
 * triggers on article_search fill it again.
 */
const NOT_DATA = new Set(['kysely_migration', 'kysely_migration_lock', ...EPHEMERAL, ...DERIVED]);

type Db = Kysely<Database>;

/** Every application table, in dependency order (a table after those it refers to). */
export async function listTables(db: Db, dialect: DialectName): Promise<TableInfo[]> {
  const tables = dialect === 'sqlite' ? await sqliteTables(db) : await postgresTables(db);
  return dependencyOrder(tables.filter((t) => !NOT_DATA.has(t.name)));
}

async function sqliteTables(db: Db): Promise<TableInfo[]> {
  const names = await sql<{ name: string }>`
    select name from pragma_table_list
    where schema = 'main' and type = 'table' and substr(name, 1, 7) != 'sqlite_'
    order by name`.execute(db);
  const tables: TableInfo[] = [];
  for (const { name } of names.rows) {
    const columns = await sql<{
      name: string;
      type: string;
      pk: number;
      hidden: number;
      notnull: number;
    }>`
      select name, type, pk, hidden, "notnull" from pragma_table_xinfo(${name}) order by cid`.execute(
      db,
    );
    const keys = await sql<{ table: string; from: string }>`
      select "table", "from" from pragma_foreign_key_list(${name})`.execute(db);
    const stored = columns.rows.filter((c) => c.hidden === 0);
    tables.push({
      name,
      columns: stored.map((c) => ({ name: c.name, kind: sqliteKind(name, c.name, c.type) })),
      primaryKey: stored
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      deferred: unique(keys.rows.filter((k) => k.table === name).map((k) => k.from)),
      foreignKeys: keys.rows.map((k) => ({
        column: k.from,
        table: k.table,
        nullable: stored.find((c) => c.name === k.from)?.notnull === 0,
      })),
    });
  }
  return tables;
}

function sqliteKind(table: string, column: string, declared: string): ColumnKind {
  // SQLite's own affinity rules (https://sqlite.org/datatype3.html#determination_of_column_affinity).
  const type = declared.toUpperCase();
  if (type.includes('INT')) return 'integer';
  if (type.includes('CHAR') || type.includes('CLOB') || type.includes('TEXT')) return 'text';
  if (type.includes('REAL') || type.includes('FLOA') || type.includes('DOUB')) return 'real';
  if (type.includes('BLOB')) return 'bytes';
  throw unsupported(table, column, declared);
}

// PostgreSQL's own catalog rather than information_schema, and only the current schema's
// tables, looked up by oid: fast even when the catalog is large (or bloated, on a test
// server whose schemas come and go).
const OUR_TABLES = sql`array(
  select oid from pg_class
  where relnamespace = (select oid from pg_namespace where nspname = current_schema())
    and relkind in ('r', 'p'))`;

async function postgresTables(db: Db): Promise<TableInfo[]> {
  const columns = await sql<{
    table: string;
    name: string;
    type: string;
    generated: string;
    notNull: boolean;
  }>`
    select c.relname as "table", a.attname as "name", format_type(a.atttypid, null) as "type",
      a.attgenerated as "generated", a.attnotnull as "notNull"
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    where a.attrelid = any(${OUR_TABLES}) and a.attnum > 0 and not a.attisdropped
    order by c.relname, a.attnum`.execute(db);
  const constraints = await sql<{
    kind: string;
    table: string;
    ref: string | null;
    column: string;
  }>`
    select k.contype as "kind", c.relname as "table", r.relname as "ref", a.attname as "column"
    from pg_constraint k
    join pg_class c on c.oid = k.conrelid
    left join pg_class r on r.oid = k.confrelid
    join pg_attribute a on a.attrelid = k.conrelid and a.attnum = any(k.conkey)
    where k.conrelid = any(${OUR_TABLES}) and k.contype in ('p', 'f')
    order by c.relname, k.conname, array_position(k.conkey, a.attnum)`.execute(db);
  // Tables that are not data are left before their columns are judged: a derived table may
  // hold what a backup cannot carry (article_search_match's tsvector).
  const names = unique(columns.rows.map((c) => c.table)).filter((name) => !NOT_DATA.has(name));
  return names.map((name) => {
    const own = constraints.rows.filter((k) => k.table === name);
    const foreign = own.filter((k) => k.kind === 'f');
    return {
      name,
      columns: columns.rows
        // Generated columns (article_search's head vector) are the database's to compute.
        .filter((c) => c.table === name && c.generated === '')
        .map((c) => ({ name: c.name, kind: postgresKind(name, c.name, c.type) })),
      primaryKey: own.filter((k) => k.kind === 'p').map((k) => k.column),
      deferred: unique(foreign.filter((f) => f.ref === name).map((f) => f.column)),
      foreignKeys: foreign.flatMap((f) =>
        f.ref === null
          ? []
          : [
              {
                column: f.column,
                table: f.ref,
                nullable: !columns.rows.some(
                  (c) => c.table === name && c.name === f.column && c.notNull,
                ),
              },
            ],
      ),
    };
  });
}

function postgresKind(table: string, column: string, type: string): ColumnKind {
  if (type === 'bigint' || type === 'integer' || type === 'smallint') return 'integer';
  if (type === 'real' || type === 'double precision') return 'real';
  if (type === 'text' || type === 'character varying' || type === 'character') return 'text';
  if (type === 'bytea') return 'bytes';
  throw unsupported(table, column, type);
}

function unsupported(table: string, column: string, type: string): AppError {
  return new AppError(
    'INVALID_INPUT',
    `Column ${table}.${column} has the type ${type}, which backups do not know how to carry.`,
  );
}

const unique = (items: string[]): string[] => [...new Set(items)].sort();

/**
 * Tables ordered so that each comes after the tables it refers to (name order among equals).
 * Where foreign keys go round in a circle, the first table (by name) whose references to the
 * circle may all be empty is written with those columns deferred.
 */
export function dependencyOrder(tables: TableInfo[]): TableInfo[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const ordered: TableInfo[] = [];
  const pending = [...tables].sort((a, b) => (a.name < b.name ? -1 : 1));
  const waitingOn = (t: TableInfo) =>
    t.foreignKeys.filter((k) => k.table !== t.name && byName.has(k.table) && !done.has(k.table));
  // Only a table on the circle itself is broken, never one merely waiting for it.
  const reachesItself = (start: TableInfo): boolean => {
    const seen = new Set<string>();
    const next = waitingOn(start).map((k) => k.table);
    while (next.length > 0) {
      const name = next.pop() as string;
      if (name === start.name) return true;
      if (seen.has(name)) continue;
      seen.add(name);
      const table = byName.get(name);
      if (table !== undefined) next.push(...waitingOn(table).map((k) => k.table));
    }
    return false;
  };
  while (pending.length > 0) {
    let index = pending.findIndex((t) => waitingOn(t).length === 0);
    if (index === -1) {
      index = pending.findIndex(
        (t) =>
          reachesItself(t) &&
          waitingOn(t).every((k) => k.nullable && !t.primaryKey.includes(k.column)),
      );
      const breaker = pending[index];
      if (breaker !== undefined)
        pending[index] = {
          ...breaker,
          deferred: unique([...breaker.deferred, ...waitingOn(breaker).map((k) => k.column)]),
        };
    }
    if (index === -1)
      throw new Error(
        `Foreign keys form a cycle among ${pending.map((t) => t.name).join(', ')}; no order writes them.`,
      );
    const [next] = pending.splice(index, 1) as [TableInfo];
    done.add(next.name);
    ordered.push(next);
  }
  return ordered;
}

/**
 * The rows of a table in primary-key order, a page at a time (keyset pagination: each page
 * starts after the last key of the one before, so a large table costs one index walk).
 * Inside a transaction, every page comes from that transaction's snapshot.
 */
export async function* readRows(
  db: Db,
  table: TableInfo,
  columns: readonly Column[] = table.columns,
  pageSize = 500,
): AsyncGenerator<Row[]> {
  if (table.primaryKey.length === 0)
    throw new Error(`Table ${table.name} has no primary key; its rows cannot be read in order.`);
  const list = sql.join(columns.map((c) => sql.id(c.name)));
  const key = table.primaryKey.map((k) => sql.id(k));
  const keyList = sql.join(key);
  const keyIndexes = table.primaryKey.map((k) => {
    const index = columns.findIndex((c) => c.name === k);
    if (index === -1) throw new Error(`Table ${table.name}: key column ${k} is not read.`);
    return index;
  });
  let after: Row | null = null;
  for (;;) {
    let where: RawBuilder<unknown> = sql``;
    if (after !== null) {
      const last: Row = after;
      const values = sql.join(keyIndexes.map((i) => sql`${last[i]}`));
      where =
        key.length === 1
          ? sql`where ${keyList} > ${values}`
          : sql`where (${keyList}) > (${values})`;
    }
    const result = await sql<Record<string, unknown>>`
      select ${list} from ${sql.table(table.name)} ${where}
      order by ${keyList} limit ${pageSize}`.execute(db);
    if (result.rows.length === 0) return;
    const page = result.rows.map((record) => toRow(table.name, columns, record));
    yield page;
    if (page.length < pageSize) return;
    after = page[page.length - 1] as Row;
  }
}

function toRow(table: string, columns: readonly Column[], record: Record<string, unknown>): Row {
  return columns.map((c) => {
    const value = record[c.name];
    if (c.kind === 'bytes' && value instanceof Uint8Array)
      return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
    if (value === null || typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    throw new Error(`Table ${table}, column ${c.name}: a value of an unexpected type.`);
  });
}

/** A row's values as the database takes them: `bytes` columns back from base64. */
export function toStored(columns: readonly Column[], row: Row): Array<RowValue | Buffer> {
  return row.map((value, i) =>
    columns[i]?.kind === 'bytes' && typeof value === 'string'
      ? Buffer.from(value, 'base64')
      : value,
  );
}

/** Rows in one count per table, for reports and for the empty-target check. */
export async function countRows(db: Db, table: string): Promise<number> {
  const result = await sql<{ n: number | string }>`
    select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

const MOD = 1n << 256n;

/**
 * A table's checksum: the sum, modulo 2^256, of the SHA-256 of each row in a canonical form
 * (values by column name; reals as the nearest 32-bit float, so PostgreSQL's `real` and
 * SQLite's 8-byte REAL agree). A sum does not depend on the order rows are read in, so the
 * two databases need not sort text keys alike.
 */
export class TableChecksum {
  rows = 0;
  private sum = 0n;
  private readonly order: Array<{ index: number; real: boolean }>;

  constructor(columns: readonly Column[]) {
    this.order = columns
      .map((c, index) => ({ name: c.name, index, real: c.kind === 'real' }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  add(row: Row): void {
    const canonical = this.order.map(({ index, real }) => {
      const value = row[index] ?? null;
      return real && typeof value === 'number' ? Math.fround(value) : value;
    });
    const digest = createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
    this.sum = (this.sum + BigInt(`0x${digest}`)) % MOD;
    this.rows++;
  }

  digest(): string {
    return this.sum.toString(16).padStart(64, '0');
  }
}

/** The checksum and count of every row of a table, read through `db`. */
export async function checksumTable(
  db: Db,
  table: TableInfo,
  columns: readonly Column[] = table.columns,
): Promise<{ rows: number; checksum: string }> {
  const sum = new TableChecksum(columns);
  for await (const page of readRows(db, table, columns)) for (const row of page) sum.add(row);
  return { rows: sum.rows, checksum: sum.digest() };
}

/**
 * The counters that hand out ids (SQLite's AUTOINCREMENT, PostgreSQL's serial sequences):
 * table -> the last id handed out, so a restored paper never reuses the number of a
 * deleted article.
 */
export async function readSequences(db: Db, dialect: DialectName): Promise<Record<string, number>> {
  const sequences: Record<string, number> = {};
  if (dialect === 'sqlite') {
    const exists = await sql`
      select 1 from sqlite_master where type = 'table' and name = 'sqlite_sequence'`.execute(db);
    if (exists.rows.length === 0) return sequences;
    const rows = await sql<{ name: string; seq: number }>`
      select name, seq from sqlite_sequence`.execute(db);
    for (const { name, seq } of rows.rows) if (seq > 0) sequences[name] = seq;
    return sequences;
  }
  for (const { table, sequence } of await serialColumns(db)) {
    const row = await sql<{ value: number | string | null }>`
      select pg_sequence_last_value(${sequence}::regclass) as "value"`.execute(db);
    const value = Number(row.rows[0]?.value ?? 0);
    if (value > 0) sequences[table] = Math.max(sequences[table] ?? 0, value);
  }
  return sequences;
}

/** PostgreSQL columns whose values come from a sequence (serial or identity). */
async function serialColumns(
  db: Db,
): Promise<Array<{ table: string; column: string; sequence: string }>> {
  const rows = await sql<{ table: string; column: string; sequence: string | null }>`
    select c.relname as "table", a.attname as "column",
      pg_get_serial_sequence(quote_ident(c.relname), a.attname) as "sequence"
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    where a.attrelid = any(${OUR_TABLES}) and a.attnum > 0 and not a.attisdropped
      and (a.atthasdef or a.attidentity <> '')`.execute(db);
  return rows.rows.flatMap((r) =>
    r.sequence === null ? [] : [{ table: r.table, column: r.column, sequence: r.sequence }],
  );
}

/**
 * Sets the id counters after rows were written with their ids: each continues after the
 * larger of the highest id now stored and the counter the source had.
 */
export async function writeSequences(
  db: Db,
  dialect: DialectName,
  tables: readonly string[],
  sequences: Readonly<Record<string, number>>,
): Promise<void> {
  const wanted = new Set(tables);
  if (dialect === 'sqlite') {
    for (const table of tables) {
      const value = sequences[table];
      if (value === undefined) continue;
      const updated = await sql`
        update sqlite_sequence set seq = max(seq, ${value}) where name = ${table}`.execute(db);
      if (Number(updated.numAffectedRows ?? 0) === 0)
        await sql`insert into sqlite_sequence (name, seq) values (${table}, ${value})`.execute(db);
    }
    return;
  }
  for (const { table, column, sequence } of await serialColumns(db)) {
    if (!wanted.has(table)) continue;
    const max = await sql<{ value: number | string | null }>`
      select max(${sql.id(column)}) as "value" from ${sql.table(table)}`.execute(db);
    const value = Math.max(Number(max.rows[0]?.value ?? 0), sequences[table] ?? 0);
    // setval(seq, 1, false) makes the next id 1: a table that never had a row.
    await sql`select setval(${sequence}::regclass, ${Math.max(value, 1)}, ${value > 0})`.execute(
      db,
    );
  }
}
