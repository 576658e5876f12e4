import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { createGunzip } from 'node:zlib';
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
import { removeLeftovers } from './leftovers.ts';
import { loadInto, nonEmptyTables, notEmpty, prepareTarget } from './load.ts';
import {
  FORMAT,
  FORMAT_VERSION,
  HEADER_FILE,
  headerSchema,
  MANIFEST_FILE,
  manifestSchema,
  MEDIA_PREFIX,
  safeMediaPath,
  tableFile,
  tamnaVersion,
  type BackupHeader,
  type Manifest,
} from './manifest.ts';
import { seconds } from './progress.ts';
import type { Row } from './tables.ts';
import { readTar, TarFormatError } from './tar.ts';

export interface RestoreResult {
  schemaVersion: string;
  tables: number;
  rows: number;
  mediaFiles: number;
  seconds: number;
}

export interface RestoreOptions {
  log: (line: string) => void;
  /** Runs after each table is written (tests interrupt a restore here). */
  afterTable?: (table: string) => void | Promise<void>;
}

/** Staging folders are named after the restoring process, to clear those of dead ones. */
const STAGING_PREFIX = '.tamna-restore-';

/**
 * `tamna restore FILE` into an empty database and data directory. In order:
 *
 *  1. The target is checked empty: no rows (beyond what migrations put there) and no media
 *     files; otherwise one line names what is there.
 *  2. The archive is read into a staging folder inside the data directory, and every file
 *     checked against the manifest. A truncated, corrupted or too new archive is refused
 *     here: nothing outside the staging folder has been touched, and it is removed.
 *  3. The database is migrated to the backup's schema, and every row written in one
 *     transaction, read back and compared with the manifest's checksums; the media folder
 *     is renamed into place just before the commit. A failure rolls the rows back and takes
 *     the media away again: the target is empty or complete, never half-filled.
 *  4. A backup from an older schema is then migrated to this version's.
 */
export async function restoreBackup(
  config: Config,
  file: string,
  options: RestoreOptions,
): Promise<RestoreResult> {
  const { log } = options;
  const started = Date.now();
  const archive = path.resolve(file);
  if (!fs.existsSync(archive) || !fs.statSync(archive).isFile())
    throw new AppError('INVALID_INPUT', `There is no backup file ${file}.`);
  const mediaRoot = path.join(config.dataDir, 'media');
  await assertTargetEmpty(config, mediaRoot);

  const createdDataDir = fs.mkdirSync(config.dataDir, { recursive: true }) !== undefined;
  removeLeftovers(config.dataDir, STAGING_PREFIX);
  const staging = path.join(config.dataDir, `${STAGING_PREFIX}${process.pid}`);
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging);
  let target: DatabaseHandle | null = null;
  let mediaMoved = false;
  try {
    const stagingStarted = Date.now();
    const { manifest } = await stageArchive(archive, file, staging, log);
    log(
      `Checked ${manifest.files.length.toLocaleString('en-US')} files against the manifest (${seconds(stagingStarted)}): backup of ${manifest.createdAt}, ${manifest.database}, schema ${manifest.schemaVersion}.`,
    );

    target = await connectDatabase(config.database);
    await prepareTarget(target, manifest.schemaVersion);
    log(`Writing ${manifest.tables.length} tables into ${target.describe} (one transaction):`);
    const stagedMedia = path.join(staging, 'media');
    await loadInto(target, stagedSource(staging, manifest), {
      log,
      afterTable: options.afterTable,
      async beforeCommit() {
        if (!fs.existsSync(stagedMedia)) return;
        // An empty media folder (a server started once) gives way; a full one fails here
        // and the rows roll back.
        try {
          if (fs.existsSync(mediaRoot)) fs.rmdirSync(mediaRoot);
        } catch (error) {
          throw new AppError(
            'CONFLICT',
            `The target is not empty: the media folder ${mediaRoot} holds files (${(error as Error).message}). Nothing was changed.`,
          );
        }
        fs.renameSync(stagedMedia, mediaRoot);
        mediaMoved = true;
      },
    });
    // Committed: the media belong to the restored paper now, whatever happens next.
    mediaMoved = false;
    if (manifest.schemaVersion !== LATEST_SCHEMA) {
      const applied = await migrateToLatest(target).catch((error: unknown) => {
        throw new AppError(
          'UNAVAILABLE',
          `The backup is restored (schema ${manifest.schemaVersion}), but bringing it up to ${LATEST_SCHEMA} failed: ${(error as Error).message} Run "tamna migrate" once the cause is fixed.`,
          undefined,
          { cause: error },
        );
      });
      log(`Migrated from ${manifest.schemaVersion} to ${LATEST_SCHEMA}: ${applied.join(', ')}.`);
    }
    return {
      schemaVersion: manifest.schemaVersion,
      tables: manifest.tables.length,
      rows: manifest.tables.reduce((total, t) => total + t.rows, 0),
      mediaFiles: manifest.media.files,
      seconds: (Date.now() - started) / 1000,
    };
  } catch (error) {
    if (mediaMoved) fs.rmSync(mediaRoot, { recursive: true, force: true });
    await target?.close();
    target = null;
    fs.rmSync(staging, { recursive: true, force: true });
    // A data directory made for this restore goes too, unless the database now lives in it.
    if (createdDataDir && fs.readdirSync(config.dataDir).length === 0) fs.rmdirSync(config.dataDir);
    throw error;
  } finally {
    await target?.close();
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

async function assertTargetEmpty(config: Config, mediaRoot: string): Promise<void> {
  const media = await listMedia(mediaRoot);
  const more =
    media.length > 0
      ? [
          `the media folder ${mediaRoot} has ${media.length.toLocaleString('en-US')} ${media.length === 1 ? 'file' : 'files'}`,
        ]
      : [];
  const { database } = config;
  const fresh = database.kind === 'sqlite' && !fs.existsSync(database.file);
  let tables: Array<{ table: string; rows: number }> = [];
  let describe = '';
  if (!fresh) {
    const handle = await connectDatabase(database);
    try {
      describe = handle.describe;
      tables = await nonEmptyTables(handle.db, handle.dialect);
    } finally {
      await handle.close();
    }
  }
  if (tables.length > 0 || more.length > 0) throw notEmpty(describe, tables, more);
}

/** Refusals of the archive itself: one line, naming the file as the operator typed it. */
function refuse(file: string, why: string): AppError {
  return new AppError('INVALID_INPUT', `${file} ${why}. Nothing was changed.`);
}

interface Staged {
  size: number;
  sha256: string;
}

/**
 * Reads the archive into `staging`, checking as it goes: the header first (a backup this
 * version cannot restore is refused before anything else is read), then every file, then
 * the manifest against what was read.
 */
async function stageArchive(
  archive: string,
  file: string,
  staging: string,
  log: (line: string) => void,
): Promise<{ header: BackupHeader; manifest: Manifest }> {
  const input = fs.createReadStream(archive, { highWaterMark: 1 << 20 });
  const gunzip = createGunzip({ chunkSize: 128 * 1024 });
  input.on('error', (error) => gunzip.destroy(error));
  input.pipe(gunzip);

  const staged = new Map<string, Staged>();
  let header: BackupHeader | null = null;
  let manifestBytes: Buffer | null = null;
  let ended = false;
  let current: {
    name: string;
    size: number;
    hash: Hash;
    out: fs.WriteStream | null;
    memory: Buffer[] | null;
  } | null = null;
  let mediaBytes = 0;
  let lastLog = Date.now();

  const closeCurrent = async () => {
    if (current === null) return;
    const { name, size, hash, out, memory } = current;
    current = null;
    if (out !== null) {
      out.end();
      await finished(out);
    }
    staged.set(name, { size, sha256: hash.digest('hex') });
    if (name === HEADER_FILE) header = parseHeader(file, Buffer.concat(memory ?? []));
    if (name === MANIFEST_FILE) manifestBytes = Buffer.concat(memory ?? []);
  };

  try {
    for await (const event of readTar(gunzip)) {
      if (event.kind === 'data') {
        if (current === null) continue;
        current.hash.update(event.chunk);
        if (current.memory !== null) current.memory.push(event.chunk);
        else if (current.out !== null && !current.out.write(event.chunk))
          await once(current.out, 'drain');
        continue;
      }
      await closeCurrent();
      if (event.kind === 'end') {
        ended = true;
        continue;
      }
      const { name, size } = event;
      if (staged.has(name)) throw refuse(file, `is corrupted: ${name} appears twice`);
      if (header === null && name !== HEADER_FILE)
        throw refuse(file, 'is not a Tamna backup (it does not start with tamna-backup.json)');
      if (manifestBytes !== null) throw refuse(file, `is corrupted: ${name} follows the manifest`);
      let destination: string | null = null;
      if (name === HEADER_FILE || name === MANIFEST_FILE) {
        if (size > (name === HEADER_FILE ? 64 * 1024 : 512 * 1024 * 1024))
          throw refuse(file, `is corrupted: ${name} is too large`);
      } else if (/^tables\/[a-z_][a-z0-9_]{0,62}\.ndjson$/.test(name)) {
        destination = path.join(staging, name);
      } else if (name.startsWith(MEDIA_PREFIX) && safeMediaPath(name.slice(MEDIA_PREFIX.length))) {
        destination = path.join(staging, name);
        mediaBytes += size;
      } else {
        throw refuse(
          file,
          `is corrupted or not a Tamna backup: unexpected entry ${JSON.stringify(name)}`,
        );
      }
      if (destination !== null) fs.mkdirSync(path.dirname(destination), { recursive: true });
      current = {
        name,
        size,
        hash: createHash('sha256'),
        out: destination === null ? null : stagingFile(destination),
        memory: destination === null ? [] : null,
      };
      if (Date.now() - lastLog > 5_000) {
        lastLog = Date.now();
        log(
          `  read ${staged.size.toLocaleString('en-US')} files, ${megabytes(mediaBytes)} of media`,
        );
      }
    }
    await closeCurrent();
  } catch (error) {
    const open = current as { out: fs.WriteStream | null } | null;
    open?.out?.destroy();
    if (error instanceof AppError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (
      code === 'Z_BUF_ERROR' ||
      (error instanceof TarFormatError && /ends inside/.test(error.message))
    )
      throw refuse(file, 'is truncated: the archive ends early');
    if (code?.startsWith('Z_') || error instanceof TarFormatError)
      throw refuse(file, `is corrupted (${(error as Error).message})`);
    throw error;
  } finally {
    input.destroy();
    gunzip.destroy();
  }
  if (header === null) throw refuse(file, 'is not a Tamna backup (it is empty)');
  if (!ended || manifestBytes === null) throw refuse(file, 'is truncated: the archive ends early');

  let manifest: Manifest;
  try {
    manifest = manifestSchema.parse(JSON.parse((manifestBytes as Buffer).toString('utf8')));
  } catch {
    throw refuse(file, 'is corrupted: its manifest cannot be read');
  }
  const head = header as BackupHeader;
  for (const key of Object.keys(head) as Array<keyof BackupHeader>)
    if (manifest[key] !== head[key])
      throw refuse(file, `is corrupted: the manifest's ${key} differs from the header's`);
  const listed = new Set<string>([MANIFEST_FILE]);
  for (const entry of manifest.files) {
    const got = staged.get(entry.path);
    if (got === undefined) throw refuse(file, `is corrupted: ${entry.path} is missing`);
    if (got.size !== entry.size || got.sha256 !== entry.sha256)
      throw refuse(file, `is corrupted: ${entry.path} does not match its checksum`);
    listed.add(entry.path);
  }
  for (const name of staged.keys())
    if (!listed.has(name)) throw refuse(file, `is corrupted: ${name} is not in the manifest`);
  for (const table of manifest.tables)
    if (!listed.has(tableFile(table.name)))
      throw refuse(file, `is corrupted: the rows of ${table.name} are missing`);
  return { header: head, manifest };
}

/** A staged file; its errors surface where it is written to or closed, never unhandled. */
function stagingFile(destination: string): fs.WriteStream {
  const out = fs.createWriteStream(destination, { flags: 'wx', highWaterMark: 1 << 20 });
  out.on('error', () => {});
  return out;
}

function parseHeader(file: string, bytes: Buffer): BackupHeader {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw refuse(file, 'is corrupted: its header cannot be read');
  }
  const format = (raw as { format?: unknown; formatVersion?: unknown } | null) ?? {};
  if (format.format !== FORMAT) throw refuse(file, 'is not a Tamna backup');
  if (typeof format.formatVersion === 'number' && format.formatVersion > FORMAT_VERSION)
    throw refuse(
      file,
      `was made by a newer Tamna (backup format ${format.formatVersion}; this Tamna ${tamnaVersion()} reads format ${FORMAT_VERSION}): upgrade Tamna, then restore`,
    );
  const parsed = headerSchema.safeParse(raw);
  if (!parsed.success) throw refuse(file, 'is corrupted: its header cannot be read');
  const { schemaVersion: version } = parsed.data;
  if (!MIGRATION_NAMES.includes(version))
    throw refuse(
      file,
      version > LATEST_SCHEMA
        ? `is from a newer Tamna (schema ${version}; this Tamna ${tamnaVersion()} knows up to ${LATEST_SCHEMA}): upgrade Tamna, then restore`
        : `has a schema this Tamna does not know (${version})`,
    );
  return parsed.data;
}

/** The staged rows, a page at a time, checked line by line against the manifest's columns. */
function stagedSource(staging: string, manifest: Manifest) {
  const byName = new Map(manifest.tables.map((t) => [t.name, t]));
  return {
    tables: manifest.tables,
    sequences: Object.fromEntries(
      manifest.tables.flatMap((t) => (t.sequence === undefined ? [] : [[t.name, t.sequence]])),
    ),
    async *rows(table: string): AsyncGenerator<Row[]> {
      const info = byName.get(table);
      if (info === undefined) return;
      const lines = readline.createInterface({
        input: fs.createReadStream(path.join(staging, tableFile(table))),
        crlfDelay: Infinity,
      });
      let page: Row[] = [];
      for await (const line of lines) {
        if (line === '') continue;
        let row: unknown;
        try {
          row = JSON.parse(line);
        } catch {
          row = null;
        }
        if (
          !Array.isArray(row) ||
          row.length !== info.columns.length ||
          !row.every((v) => v === null || typeof v === 'string' || typeof v === 'number')
        )
          throw new AppError('INVALID_INPUT', `A row of ${table} in the backup is malformed.`);
        page.push(row as Row);
        if (page.length >= 500) {
          yield page;
          page = [];
        }
      }
      if (page.length > 0) yield page;
    },
    count: (table: string) => byName.get(table)?.rows,
    expected(table: string) {
      const info = byName.get(table);
      return { rows: info?.rows ?? 0, checksum: info?.checksum ?? '' };
    },
  };
}
