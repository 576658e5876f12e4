import { parseArgs } from 'node:util';
import { loadConfig } from '../config/index.ts';
import { isAppError } from '../shared/errors.ts';
import { backupCommand, restoreCommand } from './backup.ts';
import { dbCommand, parseDbCommand } from './db.ts';
import { importCommand } from './import.ts';
import { mediaCommand, parseMediaCommand } from './media.ts';
import { migrateCommand } from './migrate.ts';
import { seedCommand } from './seed.ts';
import { parseSearchCommand, searchCommand } from './search.ts';
import { serveCommand } from './serve.ts';
import { parseUserCommand, userCommand } from './user.ts';
import { parseWeatherCommand, weatherCommand } from './weather.ts';

export const HELP = `탐나 (Tamna) — 지역 인터넷신문 발행 플랫폼

Usage: tamna <command> [options]

Commands:
  serve [--demo-if-empty]   Start the web server (migrates the database first).
                            --demo-if-empty fills an empty database with demo content.
  migrate                   Bring the database schema up to date.
  seed --demo               Fill an empty database with the demo newspaper.
  user add --email EMAIL --role ROLE [--name NAME]
                            Add a staff account; prints a one-time password that must be
                            changed at first sign-in. ROLE is admin (관리자), desk (데스크),
                            reporter (기자) or contributor (외부 필자).
  user list                 List staff accounts.
  user passwd --email EMAIL Give an account a new one-time password and end its sessions.
  user disable --email EMAIL
                            Disable an account and end its sessions (enable undoes it).
  import FILE.ndjson        Import an archive: one JSON article per line (see README).
                            Updates articles imported before (same externalId); prints
                            each bad line with its number and reason, and a summary.
  weather refresh           Fetch the weather from KMA now and print what was stored or
                            why a source failed (the server also does this every 10 min).
  weather grid LAT LON      Print the KMA forecast grid cell (nx ny) of a position.
  search reindex            Rebuild the search index of every article (progress lines).
  search query WORDS [--json]
                            Print the published articles a search finds, best first;
                            --json prints [{"id","externalId","title","score"}].
  backup FILE.tar.gz        Back up the database and media files into one archive while
                            the site runs (a consistent snapshot; manifest with checksums).
  restore FILE.tar.gz       Restore a backup into an empty database and data directory;
                            every checksum is verified first, and a failed restore leaves
                            the target empty.
  db copy --to URL [--dry-run]
                            Copy the database (e.g. the embedded SQLite) into an empty one,
                            e.g. postgres://user@host:5432/tamna, ids kept, every table
                            verified; --dry-run reports what would be copied.
  media copy --to s3 [--dry-run]
                            Copy the media folder (originals and renditions) into the
                            bucket of the TAMNA_MEDIA_S3_* settings, skipping files
                            already there: stop it any time and run it again to resume.
                            --dry-run only reports what would be copied.
  help, --help              Show this help.

Environment:
  HOST              address to listen on (default 127.0.0.1)
  PORT              port to listen on (default 3000)
  DATABASE_URL      postgres://user@host:5432/db, or sqlite:./file (default: SQLite under the data directory)
  TAMNA_DATA_DIR    data directory for the SQLite file and media (default ./data)
  TAMNA_SITE_URL    public absolute URL of the site, for canonical links (default http://HOST:PORT)
  TAMNA_LOG_LEVEL   fatal|error|warn|info|debug|trace|silent (default info)
  TAMNA_WORKERS     server processes serve runs on its port (default: one per core; 1 = one process)
  TAMNA_KMA_AUTH_KEY     KMA API hub key (apihub.kma.go.kr): station observations
  TAMNA_KMA_SERVICE_KEY  data portal key (data.go.kr 단기예보): places by coordinates, /weather
  TAMNA_SEARCH_RECENCY   how much newer articles gain in search ranking, 0–5 (default 0.3)
  TAMNA_SEARCH_TIMEOUT_MS  a search running longer is stopped with a message (default 2000)
  TAMNA_MEDIA_S3_BUCKET  keep media in this S3-compatible bucket instead of the data directory;
                         with TAMNA_MEDIA_S3_ENDPOINT, _REGION, _ACCESS_KEY_ID, _SECRET_ACCESS_KEY,
                         _PUBLIC_BASE_URL (a CDN), _PREFIX, _FORCE_PATH_STYLE, _TIMEOUT_MS (README)
`;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: Record<string, string | undefined>;
}

const defaultIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
};

class UsageError extends Error {
  /** The newsroom's commands (user, import) answer in Korean; operators' ones in English. */
  constructor(
    message: string,
    readonly korean = false,
  ) {
    super(message);
  }
}

/** Node's parseArgs complaints, in Korean for the newsroom's commands. */
function koreanArgsError(error: Error & { code?: string }): string {
  const option = /'(-{1,2}[^' ]+)/.exec(error.message)?.[1] ?? '';
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `없는 옵션입니다: ${option}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return `${option} 다음에 값을 적으세요`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return '필요 없는 값이 있습니다';
    default:
      return '명령을 읽을 수 없습니다';
  }
}

const KOREAN_COMMANDS: ReadonlySet<string> = new Set(['user', 'import']);

const commands = {
  serve: { options: { 'demo-if-empty': { type: 'boolean' } } },
  migrate: { options: {} },
  import: { options: {}, positionals: true },
  seed: { options: { demo: { type: 'boolean' } } },
  user: {
    options: { email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' } },
    // user add | list | passwd | disable | enable
    positionals: true,
  },
  weather: { options: {}, positionals: true },
  search: { options: { json: { type: 'boolean' } }, positionals: true },
  backup: { options: {}, positionals: true },
  restore: { options: {}, positionals: true },
  db: { options: { to: { type: 'string' }, 'dry-run': { type: 'boolean' } }, positionals: true },
  media: {
    options: { to: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    positionals: true,
  },
} as const;

type CommandName = keyof typeof commands;

/** Runs one command; returns the process exit code. Errors become one clear line. */
export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.out(HELP);
    return name === undefined ? 2 : 0;
  }
  try {
    if (!(name in commands)) throw new UsageError(`unknown command "${name}"`);
    const command = name as CommandName;
    let values: Record<string, unknown>;
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({
        args: rest,
        options: commands[command].options,
        strict: true,
        allowPositionals: 'positionals' in commands[command],
      }));
    } catch (error) {
      if (KOREAN_COMMANDS.has(command)) throw new UsageError(koreanArgsError(error as Error), true);
      throw new UsageError((error as Error).message.replace(/\. To specify.*$/s, ''));
    }
    const config = loadConfig(io.env);
    switch (command) {
      case 'serve':
        return await serveCommand(config, { demoIfEmpty: values['demo-if-empty'] === true }, io);
      case 'migrate':
        return await migrateCommand(config, io);
      case 'import': {
        if (positionals.length !== 1)
          throw new UsageError(
            '가져올 파일 하나를 적으세요. 예: tamna import articles.ndjson',
            true,
          );
        return await importCommand(config, positionals[0] as string, io);
      }
      case 'seed':
        if (values.demo !== true)
          throw new UsageError('seed needs --demo (the only seed data there is)');
        return await seedCommand(config, io);
      case 'user': {
        const parsed = parseUserCommand(positionals, values as Record<string, string | undefined>);
        if ('usage' in parsed) throw new UsageError(parsed.usage, true);
        return await userCommand(config, parsed, io);
      }
      case 'search': {
        const parsed = parseSearchCommand(positionals, values.json === true);
        if ('usage' in parsed) throw new UsageError(parsed.usage);
        return await searchCommand(config, parsed, io);
      }
      case 'backup':
      case 'restore': {
        if (positionals.length !== 1)
          throw new UsageError(
            `${command} needs one file, e.g. tamna ${command} tamna-backup.tar.gz`,
          );
        const file = positionals[0] as string;
        return command === 'backup'
          ? await backupCommand(config, file, io)
          : await restoreCommand(config, file, io);
      }
      case 'db': {
        const parsed = parseDbCommand(positionals, {
          to: values.to as string | undefined,
          dryRun: values['dry-run'] === true,
        });
        if ('usage' in parsed) throw new UsageError(parsed.usage);
        return await dbCommand(config, parsed, io);
      }
      case 'media': {
        const parsed = parseMediaCommand(
          positionals,
          values as { to?: string; 'dry-run'?: boolean },
        );
        if ('usage' in parsed) throw new UsageError(parsed.usage);
        return await mediaCommand(config, parsed, io);
      }
      case 'weather': {
        const parsed = parseWeatherCommand(positionals);
        if ('usage' in parsed) throw new UsageError(parsed.usage);
        return await weatherCommand(config, parsed, io);
      }
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(
        error.korean
          ? `tamna: ${error.message}. 사용법: tamna --help`
          : `tamna: ${error.message}. Run "tamna --help" for usage.`,
      );
      return 2;
    }
    if (isAppError(error)) {
      io.err(`tamna: ${error.message}`);
      return 1;
    }
    io.err(`tamna: unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    if (error instanceof Error && error.stack) io.err(error.stack);
    return 1;
  }
}
