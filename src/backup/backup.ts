import { createHash } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/index.ts';
import { AppError } from '../shared/errors.ts';
import { ArchiveWriter } from './archive.ts';
import {
  FORMAT,
  FORMAT_VERSION,
  HEADER_FILE,
  MANIFEST_FILE,
  MEDIA_PREFIX,
  safeMediaPath,
  tableFile,
  tamnaVersion,
  type BackupHeader,
  type Manifest,
} from './manifest.ts';
import { progressTicker, seconds } from './progress.ts';
import { withSnapshot } from './snapshot.ts';
import { readRows, TableChecksum } from './tables.ts';

export interface BackupResult {
  file: string;
  bytes: number;
  tables: number;
  rows: number;
  mediaFiles: number;
  mediaBytes: number;
  seconds: number;
}

/**
 * `tamna backup FILE`: the database as of one moment and every media file, in one
 * .tar.gz with a manifest of checksums, taken while the site runs. The media are listed
 * after the database snapshot, so every file a backed-up row names is in the archive
 * (files are written before the rows that name them, and never changed or deleted).
 */
export async function createBackup(
  config: Config,
  file: string,
  log: (line: string) => void,
): Promise<BackupResult> {
  const started = Date.now();
  const target = path.resolve(file);
  if (!fs.existsSync(path.dirname(target)))
    throw new AppError('INVALID_INPUT', `The folder ${path.dirname(target)} does not exist.`);
  if (fs.existsSync(target) && fs.statSync(target).isDirectory())
    throw new AppError('INVALID_INPUT', `${file} is a folder; give the backup a file name.`);
  const work = fs.mkdtempSync(`${target}.work-`);
  try {
    const { header, tables } = await withSnapshot(config.database, async (snapshot) => {
      log(`Snapshot of ${snapshot.describe} (schema ${snapshot.schemaVersion}) taken.`);
      const header: BackupHeader = {
        format: FORMAT,
        formatVersion: FORMAT_VERSION,
        appVersion: tamnaVersion(),
        schemaVersion: snapshot.schemaVersion,
        database: snapshot.dialect,
        createdAt: new Date().toISOString(),
      };
      const tables: Array<Manifest['tables'][number] & { temp: string; size: number }> = [];
      for (const table of snapshot.tables) {
        const temp = path.join(work, `${table.name}.ndjson`);
        const tableStarted = Date.now();
        const sum = new TableChecksum(table.columns);
        const out = fs.createWriteStream(temp, { highWaterMark: 1 << 20 });
        const tick = progressTicker(log);
        for await (const page of readRows(snapshot.db, table)) {
          const lines = page.map((row) => {
            sum.add(row);
            return `${JSON.stringify(row)}\n`;
          });
          if (!out.write(lines.join(''))) await once(out, 'drain');
          tick(() => `  ${table.name}: ${sum.rows.toLocaleString('en-US')} rows so far`);
        }
        out.end();
        await once(out, 'close');
        if (sum.rows > 0)
          log(
            `  ${table.name}: ${sum.rows.toLocaleString('en-US')} rows (${seconds(tableStarted)})`,
          );
        tables.push({
          name: table.name,
          columns: table.columns,
          primaryKey: table.primaryKey,
          rows: sum.rows,
          checksum: sum.digest(),
          ...(snapshot.sequences[table.name] !== undefined
            ? { sequence: snapshot.sequences[table.name] }
            : {}),
          temp,
          size: fs.statSync(temp).size,
        });
      }
      return { header, tables };
    });

    const mediaRoot = path.join(config.dataDir, 'media');
    // Media in a bucket stay there: the archive holds the database, and the bucket is kept
    // by its own versioning or replication (README, "Media on object storage").
    const inBucket = config.media.s3 !== null;
    if (inBucket)
      log(
        `Media are in the bucket ${config.media.s3?.bucket ?? ''}, not in this archive: keep them with the bucket's versioning or replication.`,
      );
    const media = inBucket ? [] : await listMedia(mediaRoot, log);
    const listedBytes = media.reduce((total, m) => total + m.size, 0);
    const archive = new ArchiveWriter(target);
    try {
      await archive.add(HEADER_FILE, ...json(header));
      for (const table of tables)
        await archive.add(
          tableFile(table.name),
          table.size,
          fs.createReadStream(table.temp, { highWaterMark: 1 << 20 }),
        );
      await archive.storeFromHere();
      const tick = progressTicker(log);
      let done = 0;
      let files = 0;
      let bytes = 0;
      for (const item of media) {
        const size = await addMediaFile(archive, mediaRoot, item);
        done += item.size;
        if (size !== null) {
          files++;
          bytes += size;
        }
        tick(
          () =>
            `  media: ${files.toLocaleString('en-US')} of ${media.length.toLocaleString('en-US')} files (${Math.round((done / Math.max(listedBytes, 1)) * 100)}%)`,
        );
      }
      if (files > 0) log(`  media: ${files.toLocaleString('en-US')} files, ${megabytes(bytes)}`);
      const manifest: Manifest = {
        ...header,
        tables: tables.map(({ temp: _temp, size: _size, ...entry }) => entry),
        media: { files, bytes },
        files: [...archive.files],
      };
      await archive.add(MANIFEST_FILE, ...json(manifest));
      return {
        file: target,
        bytes: await archive.finish(),
        tables: tables.length,
        rows: tables.reduce((total, t) => total + t.rows, 0),
        mediaFiles: files,
        mediaBytes: bytes,
        seconds: (Date.now() - started) / 1000,
      };
    } catch (error) {
      await archive.abort();
      throw error;
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function json(value: unknown): [number, Buffer] {
  const bytes = Buffer.from(`${JSON.stringify(value, null, 1)}\n`);
  return [bytes.length, bytes];
}

export const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

interface MediaFile {
  /** Relative to the media folder, with forward slashes. */
  path: string;
  size: number;
}

/**
 * Every media file, in name order. Left out: half-written uploads (`*.tmp`, renamed into
 * place when complete) and anything but regular files.
 */
export async function listMedia(
  root: string,
  log: (line: string) => void = () => {},
): Promise<MediaFile[]> {
  const found: MediaFile[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    let entries: fs.Dirent[];
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const relative = prefix + entry.name;
      if (entry.isDirectory()) await walk(path.join(dir, entry.name), `${relative}/`);
      else if (!entry.isFile() || entry.name.endsWith('.tmp')) continue;
      else if (!safeMediaPath(relative)) log(`  skipped media/${relative}: a name restore refuses`);
      else found.push({ path: relative, size: (await fsp.stat(path.join(dir, entry.name))).size });
    }
  };
  await walk(root, '');
  return found;
}

/** Archives one media file; returns its size, or null when it is gone since the listing. */
async function addMediaFile(
  archive: ArchiveWriter,
  root: string,
  item: MediaFile,
): Promise<number | null> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(path.join(root, item.path), 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  // The size comes from the open file, so it matches the bytes read even if the name is
  // replaced meanwhile (uploads write a new file and rename it over the old one).
  try {
    const { size } = await handle.stat();
    await archive.add(
      MEDIA_PREFIX + item.path,
      size,
      handle.createReadStream({ autoClose: false }),
    );
    return size;
  } finally {
    await handle.close();
  }
}

/** The SHA-256 of a file on disk (tests compare restored media with these). */
export async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
