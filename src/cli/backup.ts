import { createBackup, restoreBackup } from '../backup/index.ts';
import type { Config } from '../config/index.ts';
import type { CliIo } from './run.ts';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** `tamna backup FILE`: the database and media as of now, while the site keeps running. */
export async function backupCommand(config: Config, file: string, io: CliIo): Promise<number> {
  const result = await createBackup(config, file, io.out);
  io.out(
    `Backup written to ${result.file} (${mb(result.bytes)}): ${result.rows.toLocaleString('en-US')} rows of ${result.tables} tables, ${result.mediaFiles.toLocaleString('en-US')} media files (${mb(result.mediaBytes)}), in ${result.seconds.toFixed(1)} s.`,
  );
  return 0;
}

/** `tamna restore FILE`: into an empty database and data directory only. */
export async function restoreCommand(config: Config, file: string, io: CliIo): Promise<number> {
  const result = await restoreBackup(config, file, { log: io.out });
  io.out(
    `Restored ${result.rows.toLocaleString('en-US')} rows of ${result.tables} tables and ${result.mediaFiles.toLocaleString('en-US')} media files in ${result.seconds.toFixed(1)} s; every row and file verified.`,
  );
  return 0;
}
