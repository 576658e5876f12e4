/**
 * `npm run bench:restart`: a rolling restart under load behind nginx gives readers no error.
 *
 *   1. A fresh PostgreSQL schema with the demo paper (`tamna seed --demo`), and two app
 *      servers on it (`bin/tamna.js serve`, as systemd starts them), one data directory.
 *   2. nginx in front with deploy/nginx/tamna.conf itself (TLS, HTTP/2, the upstream of the
 *      two servers; ports, certificate and paths replaced by src/testing/nginx.ts).
 *   3. wrk over HTTPS through nginx: the front page, article pages, a section and an asset,
 *      as readers do (gzip and brotli accepted). First a baseline run with no restart, then
 *      the measured run: after a few seconds each server in turn gets SIGTERM (as systemd's
 *      `systemctl restart` does), is started again and waited for until /readyz answers 200,
 *      before the next one; the load goes on a few seconds after the last one is back.
 *   4. Reports requests, status classes (every response must be 2xx: no 5xx, no socket
 *      error), latency, and from nginx's access log how many requests it had to send to the
 *      other server and why.
 *
 * Flags: --baseline=10 (seconds of the run without restarts), --connections=16,
 * --drain=0 (TAMNA_SHUTDOWN_DRAIN_SECONDS of the app servers), --help.
 * PostgreSQL: TAMNA_BENCH_PG_URL, else TAMNA_TEST_PG_URL, else postgres://postgres@127.0.0.1:5432/test.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { connectDatabase } from '../src/db/index.ts';
import { startNginxFront, stopNginx, upstreamFailTimeout } from '../src/testing/nginx.ts';
import {
  cleanups,
  fmtInt,
  fmtMs,
  freePort,
  killAll,
  parseBenchFlags,
  parseWrk,
  productionRuntime,
  runtimeLabel,
  runWrk,
  stopChild,
  track,
  verdict,
  type WrkResult,
} from './support.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');
const BIN = path.join(repoRoot, 'bin', 'tamna.js');
const USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
/**
 * Seconds of load before the first restart, and between one server's ready and the next:
 * more than nginx's fail_timeout, after which it tries a server it had skipped again.
 */
const SETTLE_SECONDS = Math.max(4, 2 * upstreamFailTimeout());

const usage = 'Usage: npm run bench:restart -- [--baseline=10] [--connections=16] [--drain=0]';
const flags = {
  baseline: { min: 3, max: 120 },
  connections: { min: 1, max: 1000 },
  drain: { min: 0, max: 60 },
} as const;

const log = (line = '') => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function status(port: number, urlPath: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.setTimeout(5_000, () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** `bin/tamna.js <args>` as production runs it (the flags on its first line). */
function tamnaProcess(args: string[], env: Record<string, string>): ChildProcess {
  const runtime = productionRuntime(BIN);
  return spawn(process.execPath, [...runtime.args, BIN, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...runtime.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function runTamna(args: string[], env: Record<string, string>): Promise<string> {
  const child = tamnaProcess(args, env);
  track(child);
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`tamna ${args.join(' ')} exited ${code}:\n${out}`);
  return out;
}

class AppServer {
  child: ChildProcess | null = null;
  output = '';
  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  /** Starts `tamna serve` and waits until /readyz answers 200; milliseconds it took. */
  async start(): Promise<number> {
    const started = performance.now();
    const child = tamnaProcess(['serve'], { ...this.env, PORT: String(this.port) });
    track(child);
    this.child = child;
    const collect = (c: Buffer) => (this.output = (this.output + c.toString()).slice(-20_000));
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`server ${this.name} exited during start:\n${this.output}`);
      if (performance.now() - started > 90_000)
        throw new Error(`server ${this.name} not ready within 90 s:\n${this.output}`);
      if ((await status(this.port, '/readyz')) === 200) return performance.now() - started;
      await sleep(100);
    }
  }

  /** SIGTERM, as systemd stops it; the exit code and milliseconds to exit. */
  async stop(): Promise<{ code: number | null; ms: number }> {
    const started = performance.now();
    const code = this.child === null ? null : await stopChild(this.child, 30_000);
    return { code, ms: performance.now() - started };
  }
}

/** Reader requests over a list of paths; counts every status class per thread. */
function readerScript(paths: readonly string[]): string {
  return `-- Generated by bench/rolling-restart.ts.
local paths = { ${paths.map((p) => JSON.stringify(p)).join(', ')} }
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  n = 0
  c2, c3, c4, c5, c502, c503, c504 = 0, 0, 0, 0, 0, 0, 0
end

function request()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1], {
    ["User-Agent"] = "${USER_AGENT}",
    ["Accept-Encoding"] = "gzip, deflate, br",
  })
end

function response(status, headers, body)
  if status < 300 then c2 = c2 + 1
  elseif status < 400 then c3 = c3 + 1
  elseif status < 500 then c4 = c4 + 1
  else
    c5 = c5 + 1
    if status == 502 then c502 = c502 + 1 end
    if status == 503 then c503 = c503 + 1 end
    if status == 504 then c504 = c504 + 1 end
  end
end

function done(summary, latency, requests)
  local t2, t3, t4, t5, t502, t503, t504 = 0, 0, 0, 0, 0, 0, 0
  for _, t in ipairs(threads) do
    t2 = t2 + t:get("c2")
    t3 = t3 + t:get("c3")
    t4 = t4 + t:get("c4")
    t5 = t5 + t:get("c5")
    t502 = t502 + t:get("c502")
    t503 = t503 + t:get("c503")
    t504 = t504 + t:get("c504")
  end
  io.write(string.format("TAMNA_STATUS 2xx=%d 3xx=%d 4xx=%d 5xx=%d 502=%d 503=%d 504=%d max_us=%d\\n",
    t2, t3, t4, t5, t502, t503, t504, latency.max))
end
`;
}

interface ReaderRun extends WrkResult {
  classes: Record<'2xx' | '3xx' | '4xx' | '5xx' | '502' | '503' | '504', number>;
  maxMs: number;
}

function parseReaderRun(out: string): ReaderRun {
  const m =
    /TAMNA_STATUS 2xx=(\d+) 3xx=(\d+) 4xx=(\d+) 5xx=(\d+) 502=(\d+) 503=(\d+) 504=(\d+) max_us=(\d+)/.exec(
      out,
    );
  if (m === null) throw new Error(`the wrk script reported no counts:\n${out}`);
  const n = (i: number) => Number(m[i]);
  return {
    ...parseWrk(out),
    classes: {
      '2xx': n(1),
      '3xx': n(2),
      '4xx': n(3),
      '5xx': n(4),
      '502': n(5),
      '503': n(6),
      '504': n(7),
    },
    maxMs: n(8) / 1000,
  };
}

const wrkArgs = (url: string, seconds: number, connections: number, script: string) => [
  '-t2',
  `-c${connections}`,
  `-d${seconds}s`,
  '--latency',
  '-s',
  script,
  url,
];

/** A wrk run of a fixed length. */
async function wrkRun(
  url: string,
  seconds: number,
  connections: number,
  script: string,
): Promise<ReaderRun> {
  return parseReaderRun(await runWrk(wrkArgs(url, seconds, connections, script), seconds));
}

/**
 * A wrk run that lasts until `stop()`: wrk prints its summary (and the script's counts) on
 * SIGINT, so the load covers the restarts however long they take.
 */
function openEndedWrk(url: string, connections: number, script: string) {
  const child = spawn('wrk', wrkArgs(url, 3600, connections, script), {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    async stop(): Promise<ReaderRun> {
      child.kill('SIGINT');
      await exited;
      return parseReaderRun(out);
    },
  };
}

/** What nginx's access log (the site's `tamna` format) says about the upstream tries. */
function upstreamTries(logFile: string): {
  lines: number;
  retried: number;
  reasons: Map<string, number>;
  served5xx: number;
} {
  const text = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
  let lines = 0;
  let retried = 0;
  let served5xx = 0;
  const reasons = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = / (\d{3}) \d+ .* ups=(\S+(?:, \S+)*) rt=/.exec(line);
    if (m === null) continue;
    lines++;
    if (Number(m[1]) >= 500) served5xx++;
    const tries = (m[2] ?? '').split(', ');
    if (tries.length > 1) {
      retried++;
      for (const failed of tries.slice(0, -1)) reasons.set(failed, (reasons.get(failed) ?? 0) + 1);
    }
  }
  return { lines, retried, reasons, served5xx };
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseBenchFlags(argv, flags, usage);
  if ('print' in parsed) {
    (parsed.exitCode === 0 ? process.stdout : process.stderr).write(parsed.print);
    return parsed.exitCode;
  }
  const baselineSeconds = parsed.values.baseline ?? 10;
  const connections = parsed.values.connections ?? 16;
  const drain = parsed.values.drain ?? 0;
  const version = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (version.error !== undefined) {
    process.stderr.write('bench: wrk is not installed (apt-get install wrk).\n');
    return 1;
  }
  const nginxVersion = spawnSync('/usr/sbin/nginx', ['-v'], { encoding: 'utf8' }).stderr.trim();
  log(
    `Tamna rolling restart behind nginx — node ${process.version}${runtimeLabel(BIN)}, ${os.cpus().length} CPUs, ${nginxVersion}, ${(version.stdout + version.stderr).split('\n')[0]?.trim()}`,
  );

  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tamna-restart-'));
  cleanups.push(() => fs.rmSync(runDir, { recursive: true, force: true }));
  const pgUrl =
    process.env.TAMNA_BENCH_PG_URL ??
    process.env.TAMNA_TEST_PG_URL ??
    'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_restart_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const dropSchema = async () => {
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  };
  const url = new URL(pgUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const env: Record<string, string> = {
    DATABASE_URL: url.toString(),
    TAMNA_DATA_DIR: path.join(runDir, 'data'),
    HOST: '127.0.0.1',
    TAMNA_SITE_URL: 'https://news.example.kr',
    TAMNA_TRUST_PROXY: 'loopback',
    TAMNA_LOG_LEVEL: 'warn',
    TAMNA_SHUTDOWN_DRAIN_SECONDS: String(drain),
    // Two single-process servers, as measured before workers existed.
    TAMNA_WORKERS: '1',
  };

  const servers: AppServer[] = [];
  let nginx: ChildProcess | null = null;
  try {
    const seeded = performance.now();
    await runTamna(['seed', '--demo'], env);
    log(
      `database: the demo paper in PostgreSQL schema ${schema} (${((performance.now() - seeded) / 1000).toFixed(1)} s to seed)`,
    );

    for (const name of ['A', 'B']) servers.push(new AppServer(name, await freePort(), env));
    const startMs = await Promise.all(servers.map((s) => s.start()));
    log(
      `app servers: ${servers.map((s, i) => `${s.name} on :${s.port} (ready in ${((startMs[i] ?? 0) / 1000).toFixed(1)} s)`).join(', ')}; TAMNA_SHUTDOWN_DRAIN_SECONDS=${drain}`,
    );

    const handle = await connectDatabase({ kind: 'postgres', url: env.DATABASE_URL ?? '' });
    let paths: string[];
    try {
      const articles = await handle.db
        .selectFrom('articles')
        .select('id')
        .where('status', '=', 'published')
        .orderBy('id', 'desc')
        .limit(6)
        .execute();
      const section = await handle.db
        .selectFrom('sections')
        .select('slug')
        .where('hidden', '=', 0)
        .orderBy('position')
        .executeTakeFirstOrThrow();
      paths = ['/', ...articles.map((a) => `/news/${a.id}`), `/section/${section.slug}`];
    } finally {
      await handle.close();
    }
    const front = await new Promise<string>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: servers[0]?.port, path: '/' }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve(body));
        })
        .on('error', reject);
    });
    const asset = /href="(\/assets\/[^"]+\.css)"/.exec(front)?.[1];
    if (asset !== undefined) paths.push(asset);
    for (const p of paths) {
      const code = await status(servers[0]?.port ?? 0, p);
      if (code !== 200) throw new Error(`GET ${p} answered ${code}, not 200`);
    }
    const script = path.join(runDir, 'readers.lua');
    fs.writeFileSync(script, readerScript(paths));

    const proxy = await startNginxFront(
      path.join(runDir, 'nginx'),
      servers.map((s) => s.port),
    );
    nginx = proxy.child;
    track(nginx);
    const { httpsPort, dir: nginxDir } = proxy;
    const target = `https://127.0.0.1:${httpsPort}`;
    log(
      `nginx: deploy/nginx/tamna.conf on ${target}, upstream ${servers.map((s) => `:${s.port}`).join(' ')}; wrk -t2 -c${connections} over ${paths.length} paths (${paths.join(' ')})`,
    );

    // Warm-up (JIT, page caches, nginx's asset cache), not reported.
    await wrkRun(target, 3, connections, script);
    const baseline = await wrkRun(target, baselineSeconds, connections, script);
    const accessLog = path.join(nginxDir, 'tamna.access.log');
    fs.truncateSync(accessLog, 0);

    // The measured run: wrk in the background, the servers restarted one after the other.
    const events: string[] = [];
    const loadStart = performance.now();
    const at = () => `${((performance.now() - loadStart) / 1000).toFixed(1)} s`;
    const measured = openEndedWrk(target, connections, script);
    await sleep(SETTLE_SECONDS * 1000);
    for (const server of servers) {
      events.push(`${at()}: SIGTERM to ${server.name}`);
      const stopped = await server.stop();
      events.push(
        `${at()}: ${server.name} exited with ${stopped.code} after ${(stopped.ms / 1000).toFixed(1)} s`,
      );
      if (stopped.code !== 0) throw new Error(`server ${server.name} exited with ${stopped.code}`);
      const ready = await server.start();
      events.push(`${at()}: ${server.name} ready again (${(ready / 1000).toFixed(1)} s to start)`);
      await sleep(SETTLE_SECONDS * 1000);
    }
    const run = await measured.stop();
    const duration = (performance.now() - loadStart) / 1000;
    events.push(`${at()}: load stopped`);
    const tries = upstreamTries(accessLog);

    log();
    for (const event of events) log(`  ${event}`);
    log();
    log('Results');
    const row = (label: string, r: ReaderRun) =>
      log(
        `  ${label.padEnd(24)} ${fmtInt(r.requests).padStart(8)} requests  ${fmtInt(r.requestsPerSec).padStart(6)} req/s   p50 ${fmtMs(r.p50Ms).padStart(8)}   p99 ${fmtMs(r.p99Ms).padStart(8)}   max ${fmtMs(r.maxMs).padStart(9)}   2xx ${fmtInt(r.classes['2xx'])}  3xx ${r.classes['3xx']}  4xx ${r.classes['4xx']}  5xx ${r.classes['5xx']}${r.classes['5xx'] > 0 ? ` (502: ${r.classes['502']}, 503: ${r.classes['503']}, 504: ${r.classes['504']})` : ''}  socket errors ${r.errors}`,
      );
    row(`baseline (${baselineSeconds} s)`, baseline);
    row(`rolling restart (${duration.toFixed(0)} s)`, run);
    const reasons = [...tries.reasons].map(([k, v]) => `${k}: ${v}`).join(', ');
    log(
      `  nginx: ${fmtInt(tries.lines)} requests logged, ${tries.retried} sent to the other server after ${reasons === '' ? 'no failure' : `a failed try (${reasons})`}, ${tries.served5xx} answered 5xx`,
    );
    log();
    const noErrors =
      run.classes['5xx'] === 0 &&
      run.errors === 0 &&
      run.classes['2xx'] === run.requests &&
      baseline.classes['2xx'] === baseline.requests;
    log(
      `  every reader answered 2xx during the rolling restart (no 5xx, no socket error): ${verdict(noErrors)}`,
    );
    return noErrors ? 0 : 1;
  } finally {
    if (nginx !== null) await stopNginx(nginx);
    await Promise.all(servers.map((s) => s.stop()));
    await dropSchema().catch((error: unknown) =>
      process.stderr.write(`bench: schema ${schema} not dropped: ${(error as Error).message}\n`),
    );
  }
}

main(process.argv.slice(3)).then(
  (code) => {
    killAll();
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
    killAll();
    process.exit(1);
  },
);
