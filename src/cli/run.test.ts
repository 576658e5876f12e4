import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from './run.ts';

function capture(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: { TAMNA_LOG_LEVEL: 'silent', ...env },
  };
  return { io, out, err };
}

describe('tamna CLI', () => {
  it('prints help', async () => {
    const c = capture();
    expect(await runCli(['--help'], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/serve \[--demo-if-empty\][\s\S]*migrate[\s\S]*seed --demo/);
  });

  it.each([
    [['publish'], /^tamna: unknown command "publish"\. Run "tamna --help" for usage\.$/],
    [
      ['serve', '--port', '3000'],
      /^tamna: Unknown option '--port'\. Run "tamna --help" for usage\.$/,
    ],
    [['seed'], /^tamna: seed needs --demo/],
  ])('refuses bad arguments %j with one line and exit code 2', async (argv, message) => {
    const c = capture();
    expect(await runCli(argv, c.io)).toBe(2);
    expect(c.err).toHaveLength(1);
    expect(c.err[0]).toMatch(message);
  });

  it('refuses bad configuration with one line and exit code 1', async () => {
    const c = capture({ PORT: 'eighty' });
    expect(await runCli(['migrate'], c.io)).toBe(1);
    expect(c.err).toEqual(['tamna: PORT="eighty" must be a number.']);
  });

  it('explains an unreachable PostgreSQL', async () => {
    const c = capture({ DATABASE_URL: 'postgres://tamna:secret@127.0.0.1:1/news' });
    expect(await runCli(['migrate'], c.io)).toBe(1);
    expect(c.err).toHaveLength(1);
    expect(c.err[0]).toMatch(
      /^tamna: Cannot connect to PostgreSQL at postgres:\/\/tamna:\*\*\*@127\.0\.0\.1:1\/news: .*Check that the server is running/,
    );
    expect(c.err[0]).not.toContain('secret');
  });

  it('explains an unwritable data directory', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'tamna-cli-')), 'a-file');
    writeFileSync(file, '');
    const c = capture({ TAMNA_DATA_DIR: path.join(file, 'data') });
    expect(await runCli(['migrate'], c.io)).toBe(1);
    expect(c.err).toHaveLength(1);
    expect(c.err[0]).toMatch(
      /^tamna: Cannot write to the data directory .*a-file\/data; .*TAMNA_DATA_DIR/,
    );
  });

  it('migrates a new SQLite database, then reports it up to date', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tamna-cli-'));
    const first = capture({ TAMNA_DATA_DIR: dir });
    expect(await runCli(['migrate'], first.io)).toBe(0);
    expect(first.out[0]).toMatch(/^Applied 0001_initial, 0002_newsroom to sqlite:/);
    const second = capture({ TAMNA_DATA_DIR: dir });
    expect(await runCli(['migrate'], second.io)).toBe(0);
    expect(second.out[0]).toMatch(/is up to date\.$/);
  });

  it('runs as the installed bin with a clear message and non-zero exit', async () => {
    const bin = path.resolve(import.meta.dirname, '../../bin/tamna.js');
    const result = await promisify(execFile)(process.execPath, [bin, 'nonsense'], {
      env: { ...process.env },
    }).catch((e: { code: number; stderr: string }) => e);
    expect('code' in result ? result.code : 0).toBe(2);
    expect(result.stderr.trim()).toBe(
      'tamna: unknown command "nonsense". Run "tamna --help" for usage.',
    );
  });
});
