import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresDialect,
  type LogEvent,
  SqliteDialect,
  type SqliteDatabase as SqliteDatabaseLike,
} from 'kysely';
import pg from 'pg';
import type { Config } from '../config/index.ts';
import { AppError } from '../shared/errors.ts';
import type { DialectName } from './dialect.ts';
import { listenOn, type ListenHooks, type NotificationListener } from './notify.ts';
import type { Database } from './schema.ts';

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Human-readable location for logs, without credentials. */
  describe: string;
  /** Calls `listener` with every query's time in seconds (metrics). */
  onQuery(listener: QueryListener): void;
  /**
   * PostgreSQL only: listens on a NOTIFY channel over a dedicated connection (see
   * notify.ts); SQLite has no such thing, so there it is absent.
   */
  listen?: (
    channel: string,
    onPayload: (payload: string) => void,
    hooks?: ListenHooks,
  ) => NotificationListener;
  close(): Promise<void>;
}

// pg returns int8 as strings to avoid precision loss; our bigints are epoch milliseconds
// and serial ids, all far below 2^53, so numbers are exact and what the code expects.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export type QueryListener = (seconds: number, failed: boolean) => void;

/** Kysely's log option, feeding the listeners added later through onQuery. */
function queryLog(): { log: (event: LogEvent) => void; onQuery(listener: QueryListener): void } {
  const listeners: QueryListener[] = [];
  return {
    log(event) {
      for (const listener of listeners)
        listener(event.queryDurationMillis / 1000, event.level === 'error');
    },
    onQuery: (listener) => void listeners.push(listener),
  };
}

export interface ConnectOptions {
  /** PostgreSQL: connections in the query pool (10; fewer per worker when there are several). */
  poolSize?: number;
}

export async function connectDatabase(
  config: Config['database'],
  options: ConnectOptions = {},
): Promise<DatabaseHandle> {
  return config.kind === 'sqlite'
    ? connectSqlite(config.file)
    : connectPostgres(config.url, options.poolSize ?? 10);
}

/**
 * The query pool of one of `workers` server processes: together about what one process
 * had (10), at least 3 each, so a server's share of PostgreSQL's connections (100 by
 * default, shared by every app server) does not grow with its cores.
 */
export function poolSizeFor(workers: number): number {
  return workers <= 1 ? 10 : Math.max(3, Math.ceil(10 / workers));
}

function connectSqlite(file: string): DatabaseHandle {
  if (file !== ':memory:') {
    const dir = path.dirname(file);
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.accessSync(dir, fs.constants.W_OK);
    } catch {
      throw new AppError(
        'CONFIG',
        `Cannot write to the data directory ${dir}; create it with write permission or set TAMNA_DATA_DIR to a writable folder.`,
      );
    }
  }
  let sqlite: SqliteDatabase.Database;
  try {
    sqlite = new SqliteDatabase(file);
    // WAL lets readers continue while a writer commits; NORMAL sync is durable across
    // application crashes and is what WAL is designed for.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // SQLite's own default is 2 MB. A common word's posting list alone is several MB, so each
    // search read it from the OS again, one system call a page: 11 ms instead of 2 for the
    // newest 2,000 matches of 제주 at 100,000 articles (`npm run bench:search`). Filled only
    // as pages are read, so a small paper's server stays small.
    sqlite.pragma('cache_size = -16384');
  } catch (error) {
    throw new AppError(
      'CONFIG',
      `Cannot open the SQLite database ${file}: ${(error as Error).message}.`,
      undefined,
      {
        cause: error,
      },
    );
  }
  const queries = queryLog();
  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }),
    log: queries.log,
  });
  return {
    db,
    dialect: 'sqlite',
    describe: `sqlite:${file}`,
    onQuery: queries.onQuery,
    close: () => db.destroy(),
  };
}

/**
 * Transactions take SQLite's write lock when they begin (BEGIN IMMEDIATE), waiting up to
 * busy_timeout for it. With a plain BEGIN a transaction that reads and then writes, in one
 * of several processes on the same file (workers of `tamna serve`, the import command),
 * fails at once with SQLITE_BUSY when another process committed in between, since its
 * snapshot is out of date; waiting at the start cannot fail that way. Within one process
 * Kysely runs one transaction at a time on the one connection, so nothing changes there.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection: DatabaseConnection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
}

/**
 * Kysely prepares every query anew; on a page built from a dozen small queries, SQLite's
 * parse and plan step cost about as much as running them. Queries are built from a fixed
 * set of shapes with bound parameters, so keeping prepared statements by SQL text is safe
 * and bounded. A statement still being iterated (a stream) is busy and not reused.
 */
function withStatementCache(sqlite: SqliteDatabase.Database, limit = 500): SqliteDatabaseLike {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      const cached = statements.get(sql);
      if (cached !== undefined && !cached.busy) return cached;
      const statement = sqlite.prepare(sql);
      if (cached === undefined) {
        statements.set(sql, statement);
        if (statements.size > limit) {
          const oldest = statements.keys().next().value;
          if (oldest !== undefined) statements.delete(oldest);
        }
      }
      return statement;
    },
  };
}

async function connectPostgres(url: string, poolSize: number): Promise<DatabaseHandle> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5000,
  });
  // An idle client that loses its connection emits 'error' on the pool; without a listener
  // that would crash the process instead of letting the next query reconnect.
  pool.on('error', () => {});
  const safe = redact(url);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw new AppError(
      'CONFIG',
      `Cannot connect to PostgreSQL at ${safe}: ${(error as Error).message}. Check that the server is running and DATABASE_URL is right.`,
      undefined,
      { cause: error },
    );
  }
  const queries = queryLog();
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: queries.log });
  return {
    db,
    dialect: 'postgres',
    describe: safe,
    onQuery: queries.onQuery,
    listen: (channel, onPayload, hooks) => listenOn(url, channel, onPayload, hooks),
    close: () => db.destroy(),
  };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}
