import { copyDatabase } from '../backup/index.ts';
import { parseDatabaseUrl, type Config } from '../config/index.ts';
import type { CliIo } from './run.ts';

export type DbCommand = { action: 'copy'; to: string; dryRun: boolean } | { usage: string };

const USAGE = 'db needs "copy --to postgres://user@host:5432/dbname [--dry-run]"';

export function parseDbCommand(
  positionals: string[],
  values: { to?: string | undefined; dryRun: boolean },
): DbCommand {
  if (positionals.length !== 1 || positionals[0] !== 'copy') return { usage: USAGE };
  if (values.to === undefined || values.to.trim() === '')
    return {
      usage:
        'db copy needs --to with the new database, e.g. --to postgres://tamna@db.example.kr:5432/tamna',
    };
  return { action: 'copy', to: values.to.trim(), dryRun: values.dryRun };
}

/** `tamna db copy --to URL [--dry-run]`: moves the newspaper's database, e.g. SQLite to PostgreSQL. */
export async function dbCommand(
  config: Config,
  command: Exclude<DbCommand, { usage: string }>,
  io: CliIo,
): Promise<number> {
  const to = parseDatabaseUrl(command.to, config.dataDir, process.cwd(), '--to');
  const ok = await copyDatabase(config, to, { dryRun: command.dryRun, log: io.out });
  return ok ? 0 : 1;
}
