/**
 * `tamna serve` with TAMNA_WORKERS=2 on SQLite, as production runs it (bin/tamna.js): one
 * port, two worker processes. A session made on one worker works on the other; an edit
 * made on one is on the other's cached page within a second (the primary relays it); a
 * reader whose beacons reach both counts once; a worker killed with SIGKILL is replaced
 * while the port keeps answering; SIGTERM drains both (/readyz 503), writes their counts
 * and exits 0.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { connectDatabase } from '../src/db/index.ts';
import {
  answeredBy,
  BIN,
  client,
  freePort,
  oneTimePassword,
  ServerProcess,
  status,
  tamna,
  within,
  type Client,
} from '../src/testing/servers.ts';

const BROWSER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tamna-workers-'));
const opened: Client[] = [];
let server: ServerProcess | null = null;
afterAll(async () => {
  for (const c of opened) c.close();
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The worker processes of the primary `pid` (Linux: /proc). */
function workerPids(pid: number): number[] {
  const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return children === '' ? [] : children.split(/\s+/).map(Number);
}

it('runs two workers on one port that share sessions, changes and counts, and replaces a dead one', async () => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    TAMNA_DATA_DIR: path.join(dir, 'data'),
    TAMNA_LOG_LEVEL: 'warn',
    TAMNA_TRUST_PROXY: 'loopback',
    TAMNA_WORKERS: '2',
    TAMNA_SHUTDOWN_DRAIN_SECONDS: '1',
  };
  delete env.DATABASE_URL;
  const admin = oneTimePassword(
    await tamna(['user', 'add', '--role', 'admin', '--email', 'admin@tamnailbo.example'], env),
  );
  server = new ServerProcess(Number(env.PORT), env);
  await server.start();
  const started = server;
  await within(30_000, () => /2 workers\)\.\n/.test(started.output), 'both workers listening');
  expect(workerPids(started.pid)).toHaveLength(2);

  // Two connections kept open, each served by its own worker.
  const twoWorkers = async (): Promise<[Client, Client]> => {
    const pinned = () => {
      const c = client(started.port, { pinned: true });
      opened.push(c);
      return c;
    };
    const one = pinned();
    const first = answeredBy(await one.get('/healthz'));
    let other = pinned();
    for (let tries = 0; answeredBy(await other.get('/healthz')) === first; tries++) {
      // A worker just started may not take connections yet.
      expect(tries, 'a second connection reaches the other worker').toBeLessThan(100);
      other.close();
      await new Promise((r) => setTimeout(r, 50));
      other = pinned();
    }
    return [one, other];
  };
  const [a, b] = await twoWorkers();
  const first = answeredBy(await a.get('/healthz'));

  // A session made on one worker is good on the other.
  await a.signIn('admin@tamnailbo.example', admin);
  b.session = a.session;
  const home = await b.get('/admin');
  expect(home.status).toBe(200);
  expect(answeredBy(home)).not.toBe(first);

  expect((await a.form('/admin/sections', { name: '사회', slug: 'society' })).status).toBe(303);
  const sectionId = /<option value="(\d+)"[^>]*>사회/.exec(
    (await a.get('/admin/articles/new')).body,
  )?.[1];
  const created = await a.form('/admin/articles', {
    sectionId: sectionId ?? '',
    title: '워커 시험 기사',
    bodyHtml: '<p>첫 원고</p>',
  });
  const id = /\/admin\/articles\/(\d+)\?ok=created/.exec(created.headers.location ?? '')?.[1];
  expect(id, created.body).toBeDefined();
  expect((await a.form(`/admin/articles/${id}/publish`)).headers.location).toMatch(/ok=published/);

  // The other worker caches the page; an edit on the first is on it within a second.
  for (let i = 0; i < 2; i++) expect((await b.get(`/news/${id}`)).body).toContain('워커 시험 기사');
  const saved = await a.form(`/admin/articles/${id}`, {
    sectionId: sectionId ?? '',
    title: '워커 시험 기사 고침',
    bodyHtml: '<p>고친 원고</p>',
  });
  expect(saved.headers.location).toMatch(/ok=saved/);
  const visibleMs = await within(
    1_000,
    async () => (await b.get(`/news/${id}`)).body.includes('워커 시험 기사 고침'),
    'the edit on the other worker',
  );
  expect(visibleMs).toBeLessThan(1_000);
  process.stdout.write(
    `workers: an edit on one worker was on the other's page after ${visibleMs.toFixed(0)} ms\n`,
  );

  // A worker dies. A connection handed to it in the moment it died is lost with it (as in
  // any crash); once the primary has seen it go, the port answers throughout, from the
  // surviving worker and then also from the new one.
  const [victim] = workerPids(started.pid);
  process.kill(victim as number, 'SIGKILL');
  await within(
    5_000,
    () => /worker \d \(pid \d+\) was killed by SIGKILL; starting a new one/.test(started.output),
    'the primary noticing',
  );
  const answers: number[] = [];
  await within(
    20_000,
    async () => {
      answers.push(await status(started.port, '/healthz'));
      const pids = workerPids(started.pid);
      return pids.length === 2 && !pids.includes(victim as number);
    },
    'a new worker',
  );
  expect(
    answers.filter((s) => s !== 200),
    JSON.stringify(answers),
  ).toEqual([]);

  // Readers: one reader's beacons reach both workers (counted once); 20 others, one each.
  const [c1, c2] = await twoWorkers();
  const beacon = (c: Client, reader: string) =>
    c.post(`/beacon/view?a=${id}`, '', { 'user-agent': BROWSER_UA, 'x-forwarded-for': reader });
  expect((await beacon(c1, '198.51.100.1')).status).toBe(204);
  expect((await beacon(c2, '198.51.100.1')).status).toBe(204);
  for (let n = 2; n <= 21; n++)
    expect((await beacon(n % 2 === 0 ? c1 : c2, `198.51.100.${n}`)).status).toBe(204);

  // SIGTERM: both workers drain (not ready), write their counts and close; exit 0.
  started.child?.kill('SIGTERM');
  await within(900, async () => (await status(started.port, '/readyz')) === 503, 'draining');
  const exit = await started.stop();
  expect(exit).toEqual({ code: 0, signal: null });
  const db = await connectDatabase({
    kind: 'sqlite',
    file: path.join(dir, 'data', 'tamna.sqlite'),
  });
  try {
    const views = await db.db
      .selectFrom('article_views')
      .select((eb) => eb.fn.sum<number>('views').as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(views.n)).toBe(21);
  } finally {
    await db.close();
  }
}, 60_000);

it('stops with one message and exit code 1 when the workers cannot listen', async () => {
  const port = await freePort();
  const squatter = net.createServer();
  await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      TAMNA_DATA_DIR: path.join(dir, 'busy'),
      TAMNA_LOG_LEVEL: 'warn',
      TAMNA_WORKERS: '2',
    };
    delete env.DATABASE_URL;
    const child = spawn(BIN, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(output.match(/already in use/g), output).toHaveLength(1);
  } finally {
    await new Promise((r) => squatter.close(r));
  }
}, 60_000);
