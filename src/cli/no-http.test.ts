import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from './run.ts';

// Commands that serve no pages must not build the web server or bundle the editor: a
// bundle here would fail the command.
vi.mock('../http/client-bundle.ts', () => ({
  CLIENT_DIR: '',
  bundleClient: () => {
    throw new Error('the editor bundle was built by a command that serves no pages');
  },
}));
vi.mock('../http/server.ts', () => ({
  buildHttpServer: () => {
    throw new Error('the HTTP server was built by a command that serves no pages');
  },
}));

describe('commands without the web server', () => {
  it('import and weather refresh build only the services', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tamna-nohttp-'));
    const out: string[] = [];
    const io = {
      out: (l: string) => out.push(l),
      err: (l: string) => out.push(l),
      env: { TAMNA_DATA_DIR: dir },
    };
    const file = path.join(dir, 'a.ndjson');
    writeFileSync(
      file,
      `${JSON.stringify({ externalId: 'x1', section: '사회', title: '가져온 기사', status: 'draft' })}\n`,
    );
    expect(await runCli(['import', file], io), out.join('\n')).toBe(0);
    expect(await runCli(['weather', 'refresh'], io)).toBe(1); // no key: says so, exit 1
    expect(out.join('\n')).toContain('No KMA key is set');
    expect(out.join('\n')).not.toContain('was built by a command');
  });
});
