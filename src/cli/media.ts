import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/index.ts';
import {
  copyMediaLibrary,
  createLocalMediaStorage,
  createS3MediaStorage,
  failureReason,
  type CopyProgress,
} from '../domains/media/index.ts';
import { AppError } from '../shared/errors.ts';
import type { CliIo } from './run.ts';

export type MediaCommand = { action: 'copy'; to: 's3'; dryRun: boolean } | { usage: string };

const USAGE = 'media needs "copy --to s3 [--dry-run]", e.g. tamna media copy --to s3';

export function parseMediaCommand(
  positionals: string[],
  values: { to?: string; 'dry-run'?: boolean },
): MediaCommand {
  const [action, ...rest] = positionals;
  if (action !== 'copy' || rest.length > 0) return { usage: USAGE };
  if (values.to !== 's3')
    return {
      usage:
        values.to === undefined
          ? `media copy needs --to s3 (the bucket of the TAMNA_MEDIA_S3_* settings)`
          : `media copy --to ${JSON.stringify(values.to)}: the only target is s3`,
    };
  return { action: 'copy', to: 's3', dryRun: values['dry-run'] === true };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

/** Failures listed one per line; the rest are counted. */
const FAILURES_SHOWN = 20;

/**
 * `tamna media copy --to s3 [--dry-run]`: copies the local media folder (originals and
 * renditions) into the bucket of the TAMNA_MEDIA_S3_* settings, skipping what is already
 * there, so it can be stopped and run again. Needs no database.
 */
export async function mediaCommand(
  config: Config,
  command: Exclude<MediaCommand, { usage: string }>,
  io: CliIo,
): Promise<number> {
  const settings = config.media.s3;
  if (settings === null)
    throw new AppError(
      'CONFIG',
      'media copy --to s3 needs the bucket to copy into: set TAMNA_MEDIA_S3_BUCKET and the other TAMNA_MEDIA_S3_* settings (see the README, "Media on object storage").',
    );
  const folder = path.join(config.dataDir, 'media');
  if (!existsSync(folder))
    throw new AppError(
      'CONFIG',
      `There is no media folder at ${folder}: nothing to copy. Is TAMNA_DATA_DIR the data directory the server used?`,
    );
  const from = createLocalMediaStorage(folder, undefined, { create: false });
  const to = createS3MediaStorage(settings);
  try {
    try {
      await to.check();
    } catch (error) {
      throw new AppError(
        'CONFIG',
        `Cannot use the ${to.where}: ${failureReason(error)}.`,
        undefined,
        { cause: error },
      );
    }
    io.out(
      `${command.dryRun ? 'Comparing' : 'Copying'} ${folder} with the ${to.where}${command.dryRun ? ' (dry run: nothing is written)' : ''}...`,
    );
    const started = Date.now();
    let shownAt = started;
    let shownDone = 0;
    const progress = (p: CopyProgress) => {
      const now = Date.now();
      // A line every 2 s or 10% (and the last): readable in a terminal and in a log.
      if (p.done !== p.total && now - shownAt < 2_000 && p.done - shownDone < p.total / 10) return;
      shownAt = now;
      shownDone = p.done;
      io.out(
        `${p.done} of ${p.total} files (${Math.round((p.done / Math.max(p.total, 1)) * 100)}%): ${p.copied} ${command.dryRun ? 'to copy' : 'copied'}, ${p.skipped} already there${p.failed > 0 ? `, ${p.failed} failed` : ''}`,
      );
    };
    const summary = await copyMediaLibrary({
      from,
      to,
      dryRun: command.dryRun,
      onProgress: progress,
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    for (const f of summary.failures.slice(0, FAILURES_SHOWN))
      io.err(`tamna: not copied: ${f.key}: ${f.reason}`);
    if (summary.failures.length > FAILURES_SHOWN)
      io.err(`tamna: ... and ${summary.failures.length - FAILURES_SHOWN} more not copied.`);
    if (summary.ignored.length > 0)
      io.out(
        `Left out ${summary.ignored.length} file(s) whose names are not media keys (e.g. ${summary.ignored[0]}).`,
      );
    if (command.dryRun) {
      io.out(
        `Dry run in ${seconds} s: ${summary.copied} of ${summary.total} files would be copied (${formatBytes(summary.bytesCopied)}), ${summary.skipped} are already in the bucket${summary.failed > 0 ? `, ${summary.failed} could not be checked` : ''}.`,
      );
      return summary.failed > 0 ? 1 : 0;
    }
    io.out(
      `${summary.stopped ? 'Stopped' : 'Done'} in ${seconds} s: ${summary.copied} copied (${formatBytes(summary.bytesCopied)}), ${summary.skipped} already in the bucket, ${summary.failed} failed, of ${summary.total} files (${formatBytes(summary.bytesTotal)}).`,
    );
    if (summary.stopped) {
      io.err(
        `tamna: the bucket stopped answering after ${summary.done} of ${summary.total} files; run the same command again to go on from there.`,
      );
      return 1;
    }
    if (summary.failed > 0) {
      io.err(
        'tamna: run the same command again to retry the files not copied (those copied are skipped).',
      );
      return 1;
    }
    io.out(
      `The bucket holds the whole library. Restart the servers with these TAMNA_MEDIA_S3_* settings, then run this once more to pick up uploads made in between; ${folder} is no longer read and can be archived.`,
    );
    return 0;
  } finally {
    to.close();
  }
}
