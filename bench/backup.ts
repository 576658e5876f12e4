/**
 * `npm run bench:backup`: how long `tamna backup`, `tamna restore` and `tamna db copy` take
 * per 10,000 articles, and how large the archive is.
 *
 *   1. Takes the cached benchmark database (20,000 published articles with bylines, tags,
 *      photos rows and search rows; bench/generate.ts) as the newspaper, in a temporary
 *      data directory outside the repository.
 *   2. Database alone (no media files): backs it up, restores the archive into a new SQLite
 *      file and into a new PostgreSQL schema, backs the PostgreSQL copy up, and copies the
 *      SQLite database into another PostgreSQL schema with `db copy`.
 *   3. Media alone: --media-mb of incompressible files (photos do not compress) beside an
 *      empty database, backed up and restored: the media's share, in MB/s.
 *
 * Every run is the real command's code, verification included (every restored or copied
 * row is read back and compared with the source's checksums).
 *
 * Flags: --articles=20000 (the cached database's size), --media-mb=200, --help.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copyDatabase, createBackup, restoreBackup } from '../src/backup/index.ts';
import { loadConfig, type Config } from '../src/config/index.ts';
import { connectDatabase, migrateToLatest } from '../src/db/index.ts';
import { freshPostgresSchema } from '../src/testing/databases.ts';
import { ensureBenchDatabase } from './generate.ts';
import { parseBenchFlags } from './support.ts';

const usage = 'Usage: npm run bench:backup -- [--articles=20000] [--media-mb=200]';
const parsed = parseBenchFlags(
  process.argv.slice(3),
  { articles: { min: 1000, max: 200_000 }, 'media-mb': { min: 0, max: 10_000 } },
  usage,
);
if ('print' in parsed) {
  process.stdout.write(parsed.print);
  process.exit(parsed.exitCode);
}
const articles = parsed.values.articles ?? 20_000;
const mediaMb = parsed.values['media-mb'] ?? 200;

const log = (line: string) => process.stdout.write(`${line}\n`);
const quiet = () => {};
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tamna-bench-backup-'));
const schemas: Array<{ drop(): Promise<void> }> = [];

function paper(name: string, databaseUrl?: string): Config {
  const dataDir = path.join(work, name);
  fs.mkdirSync(dataDir, { recursive: true });
  return loadConfig({
    TAMNA_DATA_DIR: dataDir,
    TAMNA_LOG_LEVEL: 'silent',
    ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
  });
}

async function migrateEmpty(config: Config): Promise<void> {
  const handle = await connectDatabase(config.database);
  try {
    await migrateToLatest(handle);
  } finally {
    await handle.close();
  }
}

async function postgresPaper(name: string): Promise<Config> {
  const schema = await freshPostgresSchema();
  schemas.push(schema);
  return paper(name, schema.url);
}

interface Timed<T> {
  seconds: number;
  /** CPU time of this process (PostgreSQL's own work is in its server process). */
  cpu: number;
  result: T;
}

async function timed<T>(run: () => Promise<T>): Promise<Timed<T>> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await run();
  const used = process.cpuUsage(cpu);
  return {
    seconds: (performance.now() - started) / 1000,
    cpu: (used.user + used.system) / 1e6,
    result,
  };
}

const per10k = (seconds: number) => (seconds * 10_000) / articles;
const mb = (bytes: number) => bytes / 1024 / 1024;
const fixed = (n: number) => n.toFixed(1).padStart(6);

try {
  const bench = await ensureBenchDatabase({ articles, log });
  if (bench.file === null) throw new Error('the backup benchmark starts from the SQLite file');
  log(
    `Benchmark database: ${articles.toLocaleString('en-US')} articles, ${mb(fs.statSync(bench.file).size).toFixed(0)} MB (${path.basename(bench.file)})`,
  );
  const source = paper('source');
  if (source.database.kind !== 'sqlite') throw new Error('the source is the embedded SQLite');
  fs.copyFileSync(bench.file, source.database.file);

  const rows: Array<[string, Timed<unknown>]> = [];
  const archive = path.join(work, 'db.tar.gz');
  const backup = await timed(() => createBackup(source, archive, quiet));
  rows.push(['backup, SQLite', backup]);
  const toSqlite = await timed(() =>
    restoreBackup(paper('restored-sqlite'), archive, { log: quiet }),
  );
  rows.push(['restore into SQLite', toSqlite]);
  const pgPaper = await postgresPaper('restored-pg');
  const toPostgres = await timed(() => restoreBackup(pgPaper, archive, { log: quiet }));
  rows.push(['restore into PostgreSQL', toPostgres]);
  const pgArchive = path.join(work, 'pg.tar.gz');
  const pgBackup = await timed(() => createBackup(pgPaper, pgArchive, quiet));
  rows.push(['backup, PostgreSQL', pgBackup]);
  const copyTarget = await postgresPaper('copied');
  const copy = await timed(() =>
    copyDatabase(source, copyTarget.database, { dryRun: false, log: quiet }),
  );
  rows.push(['db copy SQLite -> PostgreSQL', copy]);

  log('');
  log(
    `Database only (${backup.result.rows.toLocaleString('en-US')} rows in ${backup.result.tables} tables; every restored row verified):`,
  );
  log('                                   seconds   per 10,000 articles   CPU of this process');
  for (const [name, run] of rows)
    log(
      `  ${name.padEnd(30)} ${fixed(run.seconds)} s   ${fixed(per10k(run.seconds))} s              ${fixed(run.cpu)} s`,
    );
  log(
    `  archive size                   ${fixed(mb(backup.result.bytes))} MB  ${fixed(per10k(mb(backup.result.bytes)))} MB (PostgreSQL's: ${mb(pgBackup.result.bytes).toFixed(1)} MB)`,
  );

  if (mediaMb > 0) {
    // Media alone: a paper with an empty (migrated) database and files of 300 KB, the size
    // of a newspaper photo with its renditions, in folders by month.
    const photos = paper('photos');
    await migrateEmpty(photos);
    const media = path.join(photos.dataDir, 'media');
    const fileSize = 300 * 1024;
    const count = Math.ceil((mediaMb * 1024 * 1024) / fileSize);
    for (let i = 0; i < count; i++) {
      const dir = path.join(media, 'photos', `2025-${String((i % 12) + 1).padStart(2, '0')}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `photo-${i}.jpg`), randomBytes(fileSize));
    }
    const withMedia = path.join(work, 'media.tar.gz');
    const backupMedia = await timed(() => createBackup(photos, withMedia, quiet));
    const restoreMedia = await timed(() =>
      restoreBackup(paper('restored-photos'), withMedia, { log: quiet }),
    );
    const megabytes = mb(backupMedia.result.mediaBytes);
    log('');
    log(
      `Media alone: ${count.toLocaleString('en-US')} files, ${megabytes.toFixed(0)} MB, incompressible like JPEG/WebP (an empty database):`,
    );
    for (const [name, run] of [
      ['backup', backupMedia],
      ['restore', restoreMedia],
    ] as const)
      log(
        `  ${name.padEnd(8)} ${fixed(run.seconds)} s   ${fixed(megabytes / run.seconds)} MB/s   CPU ${run.cpu.toFixed(1)} s`,
      );
    log(`  archive  ${fixed(mb(backupMedia.result.bytes))} MB`);
  }
  log('');
  log(
    `Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), load average ${os.loadavg()[0]?.toFixed(1)}`,
  );
} finally {
  for (const schema of schemas) await schema.drop().catch(() => {});
  fs.rmSync(work, { recursive: true, force: true });
}
