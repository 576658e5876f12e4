import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Newsroom } from '../app.ts';
import { runCli, type CliIo } from '../cli/run.ts';
import { connectDatabase, schemaVersion } from '../db/index.ts';
import {
  everyRow,
  newArticle,
  openNewsroom,
  paperAt,
  seedNewspaper,
  type TestPaper,
} from '../testing/backup.ts';
import { copyDatabase } from './index.ts';
import { nonEmptyTables } from './load.ts';

// The embedded newspaper being moved to PostgreSQL.
let source: TestPaper;
let newsroom: Newsroom;
let rows: Record<string, string[]>;
let deletedArticleId: number;
beforeAll(async () => {
  source = await paperAt('sqlite');
  newsroom = await openNewsroom(source);
  ({ deletedArticleId } = await seedNewspaper(newsroom));
  rows = await everyRow(source.config);
});
afterAll(async () => {
  await newsroom.close();
  await source.close();
});

const targets: TestPaper[] = [];
afterEach(async () => {
  for (const target of targets.splice(0)) await target.close();
});
async function postgresTarget(): Promise<TestPaper> {
  const target = await paperAt('postgres');
  targets.push(target);
  return target;
}
const url = (target: TestPaper): string =>
  target.config.database.kind === 'postgres' ? target.config.database.url : '';

function cli(): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      env: { TAMNA_DATA_DIR: source.dataDir, TAMNA_LOG_LEVEL: 'silent' },
    },
  };
}

async function targetSchema(target: TestPaper): Promise<string | null> {
  const handle = await connectDatabase(target.config.database);
  try {
    return await schemaVersion(handle.db, handle.dialect);
  } finally {
    await handle.close();
  }
}

describe('tamna db copy --to postgres://…', () => {
  it('reports what a dry run would copy, changing nothing', async () => {
    const target = await postgresTarget();
    const run = cli();
    expect(await runCli(['db', 'copy', '--to', url(target), '--dry-run'], run.io)).toBe(0);
    const text = run.out.join('\n');
    expect(text).toMatch(
      /^Dry run, nothing is written\. Source: sqlite:.*tamna\.sqlite, schema \d{4}_\w+/,
    );
    expect(text).toMatch(/Target: postgres:\/\/.*, no tables yet: ready/);
    expect(text).toMatch(
      new RegExp(
        `\\n  articles +${rows.articles?.length} rows, next id after ${deletedArticleId}\\n`,
      ),
    );
    expect(text).toMatch(/Media: 3 files \(0\.1 MB\) stay in .*media; keep TAMNA_DATA_DIR/);
    expect(await targetSchema(target)).toBeNull();
  });

  it('copies every table with its ids and counters, verified; refuses a second copy', async () => {
    const target = await postgresTarget();
    const run = cli();
    expect(await runCli(['db', 'copy', '--to', url(target)], run.io)).toBe(0);
    expect(run.out.join('\n')).toMatch(
      /Verified every row of \d+ tables[\s\S]*Copied \d+ rows of \d+ tables to postgres:.* every table verified\.[\s\S]*Media: 3 files/,
    );
    expect(await everyRow(target.config)).toEqual(rows);
    // Media stay where they are: the same data directory serves the PostgreSQL paper, whose
    // next article continues after the last number the SQLite paper handed out.
    const moved = await openNewsroom(
      { ...target, config: { ...target.config, dataDir: source.dataDir } },
      { migrate: false },
    );
    try {
      expect(await newArticle(moved)).toBe(deletedArticleId + 1);
    } finally {
      await moved.close();
    }

    const again = cli();
    expect(await runCli(['db', 'copy', '--to', url(target)], again.io)).toBe(1);
    expect(again.err).toHaveLength(1);
    expect(again.err[0]).toMatch(
      /^tamna: The target is not empty: the database postgres:.* has rows in .*articles \(\d+\).*Nothing was changed\.$/,
    );
    const dry = cli();
    expect(await runCli(['db', 'copy', '--to', url(target), '--dry-run'], dry.io)).toBe(1);
    expect(dry.out.join('\n')).toMatch(/Target: not ready: The target is not empty/);
  });

  it('an interrupted copy leaves the target empty', async () => {
    const target = await postgresTarget();
    await expect(
      copyDatabase(source.config, target.config.database, {
        dryRun: false,
        log: () => {},
        afterTable(table) {
          if (table === 'article_tags') throw new Error('the connection dropped');
        },
      }),
    ).rejects.toThrow('the connection dropped');
    const handle = await connectDatabase(target.config.database);
    try {
      expect(await nonEmptyTables(handle.db, handle.dialect)).toEqual([]);
    } finally {
      await handle.close();
    }
  });

  it('answers a wrong command line in one line', async () => {
    const cases: Array<[string[], number, RegExp]> = [
      [
        ['db', 'copy'],
        2,
        /^tamna: db copy needs --to with the new database, e\.g\. --to postgres:/,
      ],
      [['db', 'move', '--to', 'postgres://x@y/z'], 2, /^tamna: db needs "copy --to postgres:/],
      [
        ['db', 'copy', '--to', 'mysql://db/news'],
        1,
        /^tamna: --to="mysql:\/\/db\/news" is not supported; use postgres:\/\/user@host:5432\/dbname or sqlite:\.\/path\/file\.sqlite\.$/,
      ],
      [
        ['db', 'copy', '--to', `sqlite:${path.join(source.dataDir, 'tamna.sqlite')}`],
        1,
        /^tamna: The target is the database Tamna is using now\.$/,
      ],
    ];
    for (const [argv, code, message] of cases) {
      const run = cli();
      expect(await runCli(argv, run.io)).toBe(code);
      expect(run.err).toHaveLength(1);
      expect(run.err[0]).toMatch(message);
    }
    expect(fs.existsSync(path.join(source.dataDir, 'tamna.sqlite'))).toBe(true);
  });
});
