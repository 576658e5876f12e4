import path from 'node:path';
import type { Config } from '../config/index.ts';
import {
  connectDatabase,
  LATEST_SCHEMA,
  MIGRATION_NAMES,
  migrateToLatest,
  type DatabaseHandle,
} from '../db/index.ts';
import { AppError } from '../shared/errors.ts';
import { listMedia, megabytes } from './backup.ts';
import { checkTarget, loadInto, prepareTarget } from './load.ts';
import { seconds } from './progress.ts';
import { withSnapshot, type Snapshot } from './snapshot.ts';
import { countRows, readRows, TableChecksum, type Row } from './tables.ts';

export interface CopyOptions {
  dryRun: boolean;
  log: (line: string) => void;
  /** Runs after each table is written (tests interrupt a copy here). */
  afterTable?: (table: string) => void | Promise<void>;
}

/**
 * `tamna db copy --to postgres://…`: the newspaper's database, as of one moment, into an
 * empty database: migrated to the same schema, every table in dependency order with its
 * ids, the id counters set, every row read back and compared (count and checksum per
 * table), all in one transaction. Media files stay where they are. With `dryRun`, only
 * reports what would be copied and whether the target is ready; returns false when it is
 * not (the real run would refuse).
 */
export async function copyDatabase(
  config: Config,
  to: Config['database'],
  options: CopyOptions,
): Promise<boolean> {
  const { log } = options;
  const started = Date.now();
  if (sameDatabase(config.database, to))
    throw new AppError('INVALID_INPUT', 'The target is the database Tamna is using now.');
  return withSnapshot(config.database, async (snapshot) => {
    if (!MIGRATION_NAMES.includes(snapshot.schemaVersion))
      throw new AppError(
        'INVALID_INPUT',
        `The database has schema ${snapshot.schemaVersion}, newer than this Tamna knows (${LATEST_SCHEMA}); copy it with the Tamna that runs it.`,
      );
    log(
      `${options.dryRun ? 'Dry run, nothing is written. ' : ''}Source: ${snapshot.describe}, schema ${snapshot.schemaVersion}, a snapshot taken now.`,
    );
    if (options.dryRun) return dryRun(config, to, snapshot, log);

    const target = await connectDatabase(to);
    try {
      await prepareTarget(target, snapshot.schemaVersion);
      log(`Copying ${snapshot.tables.length} tables into ${target.describe} (one transaction):`);
      const sums = new Map<string, TableChecksum>();
      await loadInto(
        target,
        {
          tables: snapshot.tables,
          sequences: snapshot.sequences,
          async *rows(name: string): AsyncGenerator<Row[]> {
            const table = snapshot.tables.find((t) => t.name === name);
            if (table === undefined) return;
            const sum = new TableChecksum(table.columns);
            sums.set(name, sum);
            for await (const page of readRows(snapshot.db, table)) {
              for (const row of page) sum.add(row);
              yield page;
            }
          },
          expected(name: string) {
            const sum = sums.get(name);
            return { rows: sum?.rows ?? 0, checksum: sum?.digest() ?? '' };
          },
        },
        { log, afterTable: options.afterTable },
      );
      if (snapshot.schemaVersion !== LATEST_SCHEMA) await migrateToLatest(target);
      const rows = [...sums.values()].reduce((total, s) => total + s.rows, 0);
      log(
        `Copied ${rows.toLocaleString('en-US')} rows of ${snapshot.tables.length} tables to ${target.describe} in ${seconds(started)}; every table verified.`,
      );
      log(mediaNote(config, await listMedia(path.join(config.dataDir, 'media'))));
      log(
        `Anything written after the snapshot is not in the copy: copy with the server stopped, then start it with DATABASE_URL=${target.describe}.`,
      );
      return true;
    } finally {
      await target.close();
    }
  });
}

function sameDatabase(a: Config['database'], b: Config['database']): boolean {
  if (a.kind === 'sqlite' && b.kind === 'sqlite')
    return path.resolve(a.file) === path.resolve(b.file);
  if (a.kind === 'postgres' && b.kind === 'postgres') {
    const ua = new URL(a.url);
    const ub = new URL(b.url);
    return (
      ua.host === ub.host &&
      ua.pathname === ub.pathname &&
      ua.searchParams.get('options') === ub.searchParams.get('options')
    );
  }
  return false;
}

async function dryRun(
  config: Config,
  to: Config['database'],
  snapshot: Snapshot,
  log: (line: string) => void,
): Promise<boolean> {
  let ready = true;
  let target: DatabaseHandle | null = null;
  try {
    target = await connectDatabase(to);
    const current = await checkTarget(target, snapshot.schemaVersion);
    log(
      `Target: ${target.describe}, ${current === null ? 'no tables yet' : `empty, schema ${current}`}: ready (it would be migrated to ${snapshot.schemaVersion}).`,
    );
  } catch (error) {
    ready = false;
    log(`Target: not ready: ${(error as Error).message}`);
  } finally {
    await target?.close();
  }
  let total = 0;
  const width = Math.max(...snapshot.tables.map((t) => t.name.length));
  log('Would copy, in this order (with ids):');
  for (const table of snapshot.tables) {
    const rows = await countRows(snapshot.db, table.name);
    total += rows;
    const counter = snapshot.sequences[table.name];
    log(
      `  ${table.name.padEnd(width)} ${rows.toLocaleString('en-US').padStart(10)} rows${counter === undefined ? '' : `, next id after ${counter.toLocaleString('en-US')}`}`,
    );
  }
  log(`  ${snapshot.tables.length} tables, ${total.toLocaleString('en-US')} rows in all.`);
  log(mediaNote(config, await listMedia(path.join(config.dataDir, 'media'))));
  return ready;
}

function mediaNote(config: Config, media: ReadonlyArray<{ size: number }>): string {
  const bytes = media.reduce((total, m) => total + m.size, 0);
  return `Media: ${media.length.toLocaleString('en-US')} files (${megabytes(bytes)}) stay in ${path.join(config.dataDir, 'media')}; keep TAMNA_DATA_DIR pointing there after the switch.`;
}
