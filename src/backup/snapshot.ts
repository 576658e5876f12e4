import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Config } from '../config/index.ts';
import {
  connectDatabase,
  schemaVersion,
  type Database,
  type DatabaseHandle,
  type DialectName,
} from '../db/index.ts';
import { AppError } from '../shared/errors.ts';
import { removeLeftovers } from './leftovers.ts';
import { listTables, readSequences, type TableInfo } from './tables.ts';

/** The database as it was at one moment, however much the site writes meanwhile. */
export interface Snapshot {
  dialect: DialectName;
  /** Reads through this see only the snapshot. */
  db: Kysely<Database>;
  /** Where it came from, without credentials. */
  describe: string;
  schemaVersion: string;
  /** In dependency order. */
  tables: TableInfo[];
  sequences: Record<string, number>;
}

/**
 * Runs `use` on a consistent snapshot of the database. SQLite: the online backup API copies
 * the file page by page into a temporary file beside it (in one step, so it is one read
 * transaction and never restarts; in WAL mode the server keeps writing meanwhile), and the
 * copy is read. PostgreSQL: one REPEATABLE READ, READ ONLY transaction reads everything.
 */
export async function withSnapshot<T>(
  database: Config['database'],
  use: (snapshot: Snapshot) => Promise<T>,
): Promise<T> {
  if (database.kind === 'postgres') {
    const handle = await connectDatabase(database);
    try {
      return await handle.db
        .transaction()
        .setIsolationLevel('repeatable read')
        .setAccessMode('read only')
        .execute(async (trx) => use(await describeSnapshot(trx, handle)));
    } finally {
      await handle.close();
    }
  }
  const copy = await copySqlite(database.file);
  let handle: DatabaseHandle | null = null;
  try {
    handle = await connectDatabase({ kind: 'sqlite', file: copy });
    return await use(
      await describeSnapshot(handle.db, { ...handle, describe: `sqlite:${database.file}` }),
    );
  } finally {
    await handle?.close();
    for (const suffix of ['', '-wal', '-shm', '-journal'])
      fs.rmSync(copy + suffix, { force: true });
  }
}

async function describeSnapshot(
  db: Kysely<Database>,
  handle: Pick<DatabaseHandle, 'dialect' | 'describe'>,
): Promise<Snapshot> {
  const version = await schemaVersion(db, handle.dialect);
  if (version === null)
    throw new AppError(
      'INVALID_INPUT',
      `The database ${handle.describe} has no Tamna schema yet (run "tamna migrate" or start the server once).`,
    );
  return {
    dialect: handle.dialect,
    db,
    describe: handle.describe,
    schemaVersion: version,
    tables: await listTables(db, handle.dialect),
    sequences: await readSequences(db, handle.dialect),
  };
}

const SNAPSHOT_PREFIX = '.tamna-snapshot-';

async function copySqlite(file: string): Promise<string> {
  if (file === ':memory:' || !fs.existsSync(file))
    throw new AppError('INVALID_INPUT', `There is no SQLite database at ${file}.`);
  removeLeftovers(path.dirname(file), SNAPSHOT_PREFIX);
  const copy = path.join(
    path.dirname(file),
    `${SNAPSHOT_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}.sqlite`,
  );
  const source = new SqliteDatabase(file, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    // The first step (0 pages) only starts the backup; the progress callback then asks for
    // every page at once.
    await source.backup(copy, { progress: () => 0x7fffffff });
  } catch (error) {
    fs.rmSync(copy, { force: true });
    throw new AppError(
      'UNAVAILABLE',
      `Could not copy the SQLite database ${file}: ${(error as Error).message}.`,
      undefined,
      { cause: error },
    );
  } finally {
    source.close();
  }
  return copy;
}
