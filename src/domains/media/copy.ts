import { AppError } from '../../shared/errors.ts';
import { digestsOf, isSafeKey, type MediaObjectInfo, type MediaStorage } from './storage.ts';

export interface CopyProgress {
  /** Files looked at so far, of `total`. */
  done: number;
  total: number;
  copied: number;
  /** Already in the target with the same size and checksum. */
  skipped: number;
  failed: number;
  bytesCopied: number;
}

export interface CopySummary extends CopyProgress {
  /** Bytes of every file the source holds. */
  bytesTotal: number;
  /** Files whose names no media key has (temporary files, strays): left where they are. */
  ignored: string[];
  failures: { key: string; reason: string }[];
  /** True when the copy stopped early because the target stopped answering. */
  stopped: boolean;
  dryRun: boolean;
}

export interface CopyOptions {
  from: MediaStorage;
  to: MediaStorage;
  /** Compare only: report what would be copied, write nothing. */
  dryRun?: boolean;
  /** Files in flight at once. Default 8. */
  concurrency?: number;
  /** After this many failures in a row the target is taken to be down and the copy stops. */
  maxConsecutiveFailures?: number;
  onProgress?: (progress: CopyProgress) => void;
}

/** Why a storage call failed, in the words an operator acts on. */
export function failureReason(error: unknown): string {
  if (error instanceof AppError) {
    const reason = error.details?.reason;
    return typeof reason === 'string' ? reason : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Whether the target already holds these bytes: the same size, and the same SHA-256 (what
 * Tamna writes with each object) or, for objects written by other tools, an ETag that is
 * the bytes' MD5 (what S3 gives a single-part upload).
 */
function sameBytes(target: MediaObjectInfo, bytes: Buffer): boolean {
  if (target.size !== bytes.length) return false;
  const digests = digestsOf(bytes);
  if (target.sha256 !== null) return target.sha256 === digests.sha256;
  return target.etag.replace(/^W\//, '').replace(/"/g, '') === digests.md5;
}

/**
 * Copies every original and rendition from one store to another (the local media folder
 * to a bucket). Files already in the target with the same bytes are skipped, so a copy
 * stopped half way (killed, or the network gone) is resumed by running it again.
 */
export async function copyMediaLibrary(options: CopyOptions): Promise<CopySummary> {
  const { from, to } = options;
  const dryRun = options.dryRun === true;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const maxConsecutive = Math.max(1, options.maxConsecutiveFailures ?? 5);
  const files: { key: string; size: number }[] = [];
  const ignored: string[] = [];
  for await (const file of from.list()) {
    if (isSafeKey(file.key)) files.push(file);
    else ignored.push(file.key);
  }
  // Oldest months first by name (photos/2025/01 before photos/2025/12): a stopped copy
  // has finished whole months, which is easy to reason about.
  files.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const summary: CopySummary = {
    done: 0,
    total: files.length,
    copied: 0,
    skipped: 0,
    failed: 0,
    bytesCopied: 0,
    bytesTotal: files.reduce((sum, f) => sum + f.size, 0),
    ignored: ignored.sort(),
    failures: [],
    stopped: false,
    dryRun,
  };
  let consecutiveFailures = 0;
  let next = 0;

  async function copyOne(key: string): Promise<void> {
    const [bytes, there] = await Promise.all([from.read(key), to.stat(key)]);
    // Gone since it was listed: nothing to copy.
    if (bytes === null) return;
    if (there !== null && sameBytes(there, bytes)) {
      summary.skipped++;
      return;
    }
    if (!dryRun) await to.put(key, bytes);
    summary.copied++;
    summary.bytesCopied += bytes.length;
  }

  async function worker(): Promise<void> {
    while (next < files.length && !summary.stopped) {
      const file = files[next++] as { key: string; size: number };
      try {
        await copyOne(file.key);
        consecutiveFailures = 0;
      } catch (error) {
        summary.failed++;
        summary.failures.push({ key: file.key, reason: failureReason(error) });
        // A bucket that stopped answering would fail every remaining file one timeout
        // at a time; stop instead, and let the next run pick up from here.
        if (++consecutiveFailures >= maxConsecutive) summary.stopped = true;
      }
      summary.done++;
      options.onProgress?.({
        done: summary.done,
        total: summary.total,
        copied: summary.copied,
        skipped: summary.skipped,
        failed: summary.failed,
        bytesCopied: summary.bytesCopied,
      });
    }
  }

  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  return summary;
}
