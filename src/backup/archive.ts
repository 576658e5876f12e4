import { createHash } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { constants, createGzip, type Gzip, type ZlibParams } from 'node:zlib';
import { END_OF_ARCHIVE, fileHeader, padding } from './tar.ts';

export interface ArchivedFile {
  path: string;
  size: number;
  sha256: string;
}

/**
 * Writes a .tar.gz under a temporary name, renamed to `file` only once complete and on
 * disk: a failed or interrupted backup never leaves a half-written archive under the name
 * a restore (or a rotation script) would pick up.
 */
export class ArchiveWriter {
  readonly files: ArchivedFile[] = [];
  private readonly tmp: string;
  private readonly gzip: Gzip;
  private readonly written: Promise<void>;
  private readonly mtime = Math.floor(Date.now() / 1000);

  constructor(readonly file: string) {
    this.tmp = `${file}.tmp-${process.pid}`;
    // Large buffers: a wait for the disk per 16 KB (the default) slows a big archive down.
    this.gzip = createGzip({ chunkSize: 128 * 1024 });
    this.written = pipeline(
      this.gzip,
      fs.createWriteStream(this.tmp, { flags: 'wx', flush: true, highWaterMark: 1 << 20 }),
    );
    // A failure surfaces from `written` (awaited in finish/abort) and from the write that
    // meets it; this keeps it from also being an unhandled rejection meanwhile.
    this.written.catch(() => {});
  }

  /**
   * From here on, compress fast: photos (JPEG, WebP) do not get smaller, and the default
   * level spends three times as long finding that out.
   */
  async compressFaster(): Promise<void> {
    await new Promise<void>((resolve) =>
      // Gzip has Zlib's params() at run time; the type declarations leave it out.
      (this.gzip as Gzip & ZlibParams).params(1, constants.Z_DEFAULT_STRATEGY, () => resolve()),
    );
  }

  /** Adds one file of exactly `size` bytes; returns its SHA-256. */
  async add(path: string, size: number, content: Buffer | AsyncIterable<Buffer>): Promise<string> {
    const hash = createHash('sha256');
    await this.write(fileHeader(path, size, this.mtime));
    let seen = 0;
    for await (const chunk of Buffer.isBuffer(content) ? [content] : content) {
      seen += chunk.length;
      if (seen > size) break;
      hash.update(chunk);
      await this.write(chunk);
    }
    if (seen !== size)
      throw new Error(`${path} changed while it was being archived (${seen} bytes, not ${size}).`);
    await this.write(padding(size));
    const sha256 = hash.digest('hex');
    this.files.push({ path, size, sha256 });
    return sha256;
  }

  /** Ends the archive, flushes it to disk and gives it its name; returns its size. */
  async finish(): Promise<number> {
    await this.write(END_OF_ARCHIVE);
    this.gzip.end();
    await this.written;
    fs.renameSync(this.tmp, this.file);
    return fs.statSync(this.file).size;
  }

  async abort(): Promise<void> {
    this.gzip.destroy();
    await this.written.catch(() => {});
    fs.rmSync(this.tmp, { force: true });
  }

  private async write(chunk: Buffer): Promise<void> {
    if (chunk.length === 0) return;
    if (!this.gzip.write(chunk)) await once(this.gzip, 'drain');
  }
}
