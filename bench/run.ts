/**
 * `npm run bench`: is a warm cached page close to a static file, is an uncached render
 * cheap, and does the app stay small, on a 20,000-article site?
 *
 *   1. Builds (or reuses) the benchmark database: bench/generate.ts.
 *   2. Starts the app in a child process, fetches the front page and an article once
 *      (which fills the page cache) and saves those exact bytes to disk.
 *   3. Starts two node:http baselines in child processes of their own over those files:
 *      a static file server (fs.stat + read stream; the pass/fail baseline) and an
 *      in-memory Buffer server (a stricter reference, for information).
 *   4. Runs wrk against each server in turn, never concurrently: a short warm-up, then
 *      `rounds` alternating rounds; the best round of each counts (noise only ever
 *      lowers throughput).
 *   5. Reads the app's resident memory, then fills the page cache past its byte budget
 *      with article pages in all three encodings and reads it again (both ≤ 250 MB).
 *   6. Every core: the app again with TAMNA_WORKERS = the number of cores (node:cluster)
 *      against Debian's nginx serving the same article bytes from disk with its default
 *      worker per core (worker_processes auto), and against the static file server; the
 *      warm article page, target ≥ 0.5 of nginx.
 *   7. Times uncached renders in-process with app.http.inject and the page cache off.
 *
 * Flags: --duration=8 (seconds per measured wrk run), --quick (2 s runs, one round),
 * --rounds=2, --connections=64, --threads=2, --core-threads=1 and --core-connections=16
 * (wrk for step 6), --regenerate (rebuild the database), --help.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config/index.ts';
import { startNginx, stopNginx } from '../src/testing/nginx.ts';
import {
  benchDatabaseBytes,
  ensureBenchDatabase,
  type BenchDatabase,
  type BenchDialect,
} from './generate.ts';
import { preparePostgres, measureScale } from './scale-report.ts';
import {
  appStats,
  assertAlive,
  cleanups,
  fmtInt,
  fmtMs,
  freePort,
  get,
  get200,
  killAll,
  parseBenchFlags,
  percentile,
  processMemory,
  repoRoot,
  runtimeLabel,
  parseWrk,
  runWrk,
  startServer,
  stopServer,
  TARGET_RSS_MB,
  track,
  verdict,
  type ParsedFlags,
  type Server,
  type WrkResult,
} from './support.ts';

const TARGET_WARM_RATIO = 0.7;
/** Warm article pages on every core against nginx on every core. */
const TARGET_NGINX_RATIO = 0.5;
const TARGET_ARTICLE_MEDIAN_MS = 5;
const TARGET_FRONT_MEDIAN_MS = 15;
const RENDER_SAMPLES = 300;
const BROWSER_ENCODINGS = 'gzip, deflate, br, zstd';
const RENDER_WARMUP = 50;
/** The archive size the page targets were set for, and the baseline of bigger runs. */
const BASELINE_ARTICLES = 20_000;

// ---------------------------------------------------------------------------------------
// Options

interface Options {
  duration: number;
  rounds: number;
  warmup: number;
  connections: number;
  threads: number;
  fillPages: number;
  regenerate: boolean;
  quick: boolean;
  /** wrk for the every-core comparison (the issue measured nginx with -t1 -c16). */
  coreThreads: number;
  coreConnections: number;
  /** Published articles in the benchmark database. */
  articles: number;
  dialect: BenchDialect;
}

const usage = `Usage: npm run bench -- [--articles=20000] [--db=sqlite|postgres] [--quick] [--duration=8] [--rounds=2] [--connections=64] [--threads=2] [--core-threads=1] [--core-connections=16] [--regenerate]

  --articles=N     published articles in the benchmark database (default 20000). Above
                   20,000: uncached renders, deep section pages, the admin list, memory and
                   import against the 20,000-article database of the same kind (no wrk runs:
                   warm pages come from the page cache whatever the archive's size)
  --db=KIND        sqlite (default) or postgres (TAMNA_BENCH_PG_URL, default the test
                   server; the database is created there as tamna_bench_<N>_<key>)

  --quick          2 s wrk runs, one round, smaller cache fill (a smoke test)
  --duration=N     seconds per measured wrk run (default 8)
  --rounds=N       alternating measured rounds per server (default 2; best round counts)
  --connections=N  wrk connections (default 64)
  --threads=N      wrk threads (default 2)
  --core-threads=N, --core-connections=N
                   wrk for the every-core comparison with nginx (default -t1 -c16)
  --regenerate     rebuild the cached benchmark database`;

const flags = {
  quick: { flag: true },
  duration: { min: 1, max: 120 },
  rounds: { min: 1, max: 10 },
  connections: { min: 1, max: 10_000 },
  threads: { min: 1, max: 64 },
  regenerate: { flag: true },
  'core-threads': { min: 1, max: 64 },
  'core-connections': { min: 1, max: 10_000 },
  articles: { min: 1000, max: 10_000_000 },
  db: { choices: ['sqlite', 'postgres'] },
} as const;

function optionsFrom(given: ParsedFlags<typeof flags>): Options {
  const quick = given.quick === true;
  const connections = given.connections ?? 64;
  return {
    duration: given.duration ?? (quick ? 2 : 8),
    rounds: given.rounds ?? (quick ? 1 : 2),
    warmup: quick ? 1 : 2,
    connections,
    threads: Math.min(given.threads ?? 2, connections),
    fillPages: quick ? 1000 : 4000,
    regenerate: given.regenerate === true,
    quick,
    coreThreads: given['core-threads'] ?? 1,
    coreConnections: given['core-connections'] ?? 16,
    articles: given.articles ?? BASELINE_ARTICLES,
    dialect: given.db === 'postgres' ? 'postgres' : 'sqlite',
  };
}

// ---------------------------------------------------------------------------------------
// wrk

function checkWrk(): string | null {
  const result = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (result.error !== undefined) return null;
  // wrk --version prints its banner and exits 1.
  return (result.stdout + result.stderr).split('\n')[0]?.trim() || 'wrk';
}

async function wrk(url: string, seconds: number, options: Options): Promise<WrkResult> {
  const args = [
    `-t${options.threads}`,
    `-c${options.connections}`,
    `-d${seconds}s`,
    '--latency',
    url,
  ];
  const out = await runWrk(args, seconds);
  const result = parseWrk(out);
  // A server answering errors fast is not fast: refuse the measurement.
  if (result.non2xx > 0 || result.errors > result.requests * 0.001) {
    throw new Error(
      `wrk ${url}: ${result.non2xx} non-2xx responses and ${result.errors} socket errors in ${result.requests} requests:\n${out}`,
    );
  }
  return result;
}

// ---------------------------------------------------------------------------------------
// Uncached render timing, in-process

interface Timing {
  medianMs: number;
  p99Ms: number;
  meanMs: number;
  samples: number;
}

function summarize(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    medianMs: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    meanMs: samples.reduce((s, x) => s + x, 0) / samples.length,
    samples: samples.length,
  };
}

/** Evenly spread, distinct article ids, skipping those used elsewhere. */
function spreadIds(first: number, last: number, count: number, offset: number): number[] {
  const step = (last - first + 1) / count;
  return Array.from(
    { length: count },
    (_, i) => first + (Math.floor(i * step + offset) % (last - first + 1)),
  );
}

async function measureRenders(
  databaseUrl: string,
  dataDir: string,
  firstId: number,
  lastId: number,
): Promise<{ front: Timing; article: Timing }> {
  // TAMNA_PAGE_CACHE_ENTRIES=0: every request misses and nothing is stored, but the miss
  // path still compresses and hashes the page exactly as a real miss does.
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    TAMNA_DATA_DIR: dataDir,
    TAMNA_LOG_LEVEL: 'warn',
    TAMNA_PAGE_CACHE_ENTRIES: '0',
  });
  const app = await createApp(config, { logger: pino({ level: 'warn' }) });
  try {
    await app.http.ready();
    const time = async (url: string): Promise<number> => {
      const started = performance.now();
      // Sent as a browser sends it: the miss pays for the compression its reader needs.
      const res = await app.http.inject({
        method: 'GET',
        url,
        headers: { 'accept-encoding': BROWSER_ENCODINGS },
      });
      const elapsed = performance.now() - started;
      if (res.statusCode !== 200) throw new Error(`uncached GET ${url} answered ${res.statusCode}`);
      // better-sqlite3 is synchronous, so back-to-back injects would never leave this
      // macrotask: let the event loop turn (timers, setImmediate, GC) between requests,
      // as it does between requests arriving over the network.
      await new Promise((resolve) => setImmediate(resolve));
      return elapsed;
    };
    const warmIds = spreadIds(firstId, lastId, RENDER_WARMUP, 7);
    for (let i = 0; i < RENDER_WARMUP; i++) {
      await time('/');
      await time(`/news/${warmIds[i]}`);
    }
    if (app.cache.size !== 0)
      throw new Error('the page cache stored pages during the uncached measurement');
    const front: number[] = [];
    const article: number[] = [];
    const ids = spreadIds(firstId, lastId, RENDER_SAMPLES, 3);
    // Interleaved, so drift (GC, the OS) hits both alike.
    for (let i = 0; i < RENDER_SAMPLES; i++) {
      front.push(await time('/'));
      article.push(await time(`/news/${ids[i]}`));
    }
    return { front: summarize(front), article: summarize(article) };
  } finally {
    await app.close();
  }
}

// ---------------------------------------------------------------------------------------
// Every core: TAMNA_WORKERS = cores against nginx

/** Debian's nginx serving `root` as plain files, with its default worker per core. */
async function startStaticNginx(root: string, port: number): Promise<ChildProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tamna-bench-nginx-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const temp = (name: string) => `${name}_temp_path ${path.join(dir, name)};`;
  const config = path.join(dir, 'nginx.conf');
  fs.writeFileSync(
    config,
    [
      ...(process.getuid?.() === 0 ? ['user root;'] : []),
      'worker_processes auto;',
      `pid ${path.join(dir, 'nginx.pid')};`,
      `error_log ${path.join(dir, 'error.log')} warn;`,
      'events { worker_connections 4096; }',
      'http {',
      '  sendfile on;',
      '  tcp_nopush on;',
      '  include /etc/nginx/mime.types;',
      '  default_type application/octet-stream;',
      '  access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${temp(t)}`),
      `  server { listen 127.0.0.1:${port}; root ${root}; location / { } }`,
      '}',
      '',
    ].join('\n'),
  );
  const child = await startNginx(
    { config, dir, args: ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', config] },
    port,
  );
  track(child);
  return child;
}

async function measureEveryCore(
  databaseUrl: string,
  dataDir: string,
  staticDir: string,
  articlePath: string,
  fileServer: Server,
  oneProcess: WrkResult | undefined,
  options: Options,
): Promise<{
  workers: number;
  nginxWorkers: number;
  app: WrkResult;
  nginx: WrkResult;
  file: WrkResult;
  hits: number;
  misses: number;
  workerRssMb: number[];
  primaryRssMb: number;
}> {
  if (oneProcess === undefined) throw new Error('no one-process result');
  const workers = os.availableParallelism();
  const port = await freePort();
  const app = await startServer(
    `app ×${workers}`,
    'app',
    ['serve'],
    {
      DATABASE_URL: databaseUrl,
      TAMNA_DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(port),
      TAMNA_LOG_LEVEL: 'warn',
      TAMNA_SITE_URL: 'https://news.tamna.example',
      TAMNA_WORKERS: String(workers),
    },
    port,
    'healthz',
  );
  const nginxPort = await freePort();
  const nginx = await startStaticNginx(staticDir, nginxPort);
  try {
    const expected = fs.readFileSync(path.join(staticDir, 'article.html'));
    // Every worker renders the page once (connections go to the workers in turn), then
    // serves the same bytes the one process did, from its cache.
    for (let i = 0; i < 4 * workers; i++) {
      const body = await get200(app, articlePath);
      if (!body.equals(expected))
        throw new Error(`app ×${workers} serves other bytes for ${articlePath} than one process`);
    }
    const fromNginx = await get(nginxPort, '/article.html');
    if (fromNginx.status !== 200 || !fromNginx.body.equals(expected))
      throw new Error('nginx serves other bytes for article.html');
    const nginxWorkers = spawnSync('pgrep', ['-P', String(nginx.pid)])
      .stdout.toString()
      .trim()
      .split('\n').length;
    const targets = [
      { key: 'app', url: `http://127.0.0.1:${port}${articlePath}`, server: app },
      { key: 'nginx', url: `http://127.0.0.1:${nginxPort}/article.html`, server: null },
      { key: 'file', url: `http://127.0.0.1:${fileServer.port}/article.html`, server: fileServer },
    ] as const;
    // The load of the measurement this answers (wrk -t1 -c16), unless told otherwise.
    const coreOptions = {
      ...options,
      threads: options.coreThreads,
      connections: options.coreConnections,
    };
    const bestOf = new Map<string, WrkResult>();
    const before = await appStats(app);
    let appRequests = 0;
    for (const t of targets) {
      const warm = await wrk(t.url, options.warmup, coreOptions);
      if (t.key === 'app') appRequests += warm.requests;
    }
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? targets : [...targets].reverse();
      for (const t of order) {
        if (t.server !== null) assertAlive(t.server);
        const r = await wrk(t.url, options.duration, coreOptions);
        if (t.key === 'app') appRequests += r.requests;
        const previous = bestOf.get(t.key);
        if (previous === undefined || r.requestsPerSec > previous.requestsPerSec)
          bestOf.set(t.key, r);
        process.stdout.write(
          `  article page ${(t.key === 'app' ? `app ×${workers}` : t.key).padEnd(7)} round ${round + 1}: ${fmtInt(r.requestsPerSec).padStart(7)} req/s, p99 ${fmtMs(r.p99Ms)}\n`,
        );
      }
    }
    const after = await appStats(app);
    const hits = after.cache.hits - before.cache.hits;
    const misses = after.cache.misses - before.cache.misses;
    // A page expiring in a worker during the runs (a 많이 본 뉴스 refresh) is one miss there.
    if (misses > workers || hits < appRequests - misses)
      throw new Error(
        `app ×${workers} missed its page cache during the wrk runs: ${hits} hits, ${misses} misses for ${appRequests} requests`,
      );
    const pick = (key: string) => {
      const r = bestOf.get(key);
      if (r === undefined) throw new Error(`missing wrk result ${key}`);
      return r;
    };
    return {
      workers,
      nginxWorkers,
      app: pick('app'),
      nginx: pick('nginx'),
      file: pick('file'),
      hits,
      misses,
      workerRssMb: (after.workers ?? []).map((pid) => processMemory(pid)?.rssMb ?? NaN),
      primaryRssMb: processMemory(app.pid)?.rssMb ?? NaN,
    };
  } finally {
    await stopServer(app);
    await stopNginx(nginx);
  }
}

// ---------------------------------------------------------------------------------------
// Output

const fmtKb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function log(line = ''): void {
  process.stdout.write(`${line}\n`);
}

// ---------------------------------------------------------------------------------------

async function main(argv: string[]): Promise<number> {
  const parsed = parseBenchFlags(argv, flags, usage);
  if ('print' in parsed) {
    (parsed.exitCode === 0 ? process.stdout : process.stderr).write(parsed.print);
    return parsed.exitCode;
  }
  const options = optionsFrom(parsed.values);

  const wrkVersion = checkWrk();
  if (wrkVersion === null) {
    process.stderr.write(
      'bench: wrk is not installed. Install it with `apt-get install wrk` (Debian/Ubuntu) and run again.\n',
    );
    return 1;
  }
  const started = performance.now();
  log(
    `Tamna benchmark — node ${process.version}${runtimeLabel(path.join(repoRoot, 'bin', 'tamna.js'))}, ${os.cpus().length} CPUs, ${wrkVersion}`,
  );

  const database = await ensureBenchDatabase({
    articles: options.articles,
    dialect: options.dialect,
    regenerate: options.regenerate,
    log: (line) => log(`  ${line}`),
  });
  await describeDatabase(database);
  if (options.articles !== BASELINE_ARTICLES) {
    const baseline = await ensureBenchDatabase({
      articles: BASELINE_ARTICLES,
      dialect: options.dialect,
      log: (line) => log(`  ${line}`),
    });
    await describeDatabase(baseline);
    const failures = await measureScale(baseline, database, { quick: options.quick, log });
    return finish(failures, started);
  }
  await preparePostgres(database, log);

  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tamna-bench-'));
  cleanups.push(() => fs.rmSync(runDir, { recursive: true, force: true }));
  const dataDir = path.join(runDir, 'data');
  const staticDir = path.join(runDir, 'static');
  fs.mkdirSync(path.join(dataDir, 'media'), { recursive: true });
  fs.mkdirSync(staticDir);

  // A recent article (as most traffic is), not the very newest.
  const articleId = database.lastArticleId - 10;
  const appPort = await freePort();
  const app = await startServer(
    'app',
    'app',
    ['serve'],
    {
      DATABASE_URL: database.url,
      TAMNA_DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(appPort),
      TAMNA_LOG_LEVEL: 'warn',
      TAMNA_SITE_URL: 'https://news.tamna.example',
      // One process against one-process baselines; every core comes later.
      TAMNA_WORKERS: '1',
    },
    appPort,
    'healthz',
  );

  const pages = [
    { key: 'front', label: 'front page', appPath: '/', file: 'front.html' },
    { key: 'article', label: 'article page', appPath: `/news/${articleId}`, file: 'article.html' },
  ] as const;

  // The first request renders and caches; the second must be the same bytes from cache.
  const sizes = new Map<string, number>();
  for (const page of pages) {
    const first = await get200(app, page.appPath);
    const second = await get200(app, page.appPath);
    if (!first.equals(second))
      throw new Error(
        `${page.appPath} changed between two requests; the cached page is not stable`,
      );
    fs.writeFileSync(path.join(staticDir, page.file), first);
    sizes.set(page.key, first.length);
  }
  const primed = await appStats(app);
  if (primed.cache.hits < pages.length)
    throw new Error(
      `the app did not serve from its page cache (stats ${JSON.stringify(primed.cache)})`,
    );

  const filePort = await freePort();
  const fileServer = await startServer(
    'static file server',
    'static',
    [staticDir, 'file', String(filePort)],
    {},
    filePort,
    'ipc',
  );
  const memPort = await freePort();
  const memServer = await startServer(
    'in-memory server',
    'static',
    [staticDir, 'memory', String(memPort)],
    {},
    memPort,
    'ipc',
  );
  for (const server of [fileServer, memServer]) {
    for (const page of pages) {
      const body = await get200(server, `/${page.file}`);
      if (!body.equals(fs.readFileSync(path.join(staticDir, page.file))))
        throw new Error(`${server.name} serves different bytes for ${page.file}`);
    }
  }

  log(
    `pages: front ${fmtKb(sizes.get('front') ?? 0)}, article /news/${articleId} ${fmtKb(sizes.get('article') ?? 0)} (identity encoding, as wrk sends no Accept-Encoding)`,
  );
  log(
    `wrk: -t${options.threads} -c${options.connections}, ${options.warmup} s warm-up + ${options.rounds} × ${options.duration} s per server and page, servers measured one at a time`,
  );
  log();

  const targets = [
    { key: 'app', server: app, path: (p: (typeof pages)[number]) => p.appPath },
    { key: 'file', server: fileServer, path: (p: (typeof pages)[number]) => `/${p.file}` },
    { key: 'memory', server: memServer, path: (p: (typeof pages)[number]) => `/${p.file}` },
  ] as const;
  type TargetKey = (typeof targets)[number]['key'];
  const best = new Map<string, WrkResult>();
  const all = new Map<string, number[]>();
  const beforeWrk = await appStats(app);
  let appRequests = 0;

  for (const page of pages) {
    for (const target of targets) {
      assertAlive(target.server);
      const warm = await wrk(
        `http://127.0.0.1:${target.server.port}${target.path(page)}`,
        options.warmup,
        options,
      );
      if (target.key === 'app') appRequests += warm.requests;
    }
    for (let round = 0; round < options.rounds; round++) {
      // Alternate the order each round so neither side always runs first.
      const order = round % 2 === 0 ? targets : [...targets].reverse();
      for (const target of order) {
        assertAlive(target.server);
        const result = await wrk(
          `http://127.0.0.1:${target.server.port}${target.path(page)}`,
          options.duration,
          options,
        );
        const id = `${page.key}/${target.key}`;
        all.set(id, [...(all.get(id) ?? []), result.requestsPerSec]);
        const previous = best.get(id);
        if (previous === undefined || result.requestsPerSec > previous.requestsPerSec)
          best.set(id, result);
        if (target.key === 'app') appRequests += result.requests;
        process.stdout.write(
          `  ${page.label.padEnd(12)} ${target.key.padEnd(6)} round ${round + 1}: ${fmtInt(result.requestsPerSec).padStart(7)} req/s, p99 ${fmtMs(result.p99Ms)}\n`,
        );
      }
    }
  }

  const afterWrk = await appStats(app);
  const memory = processMemory(app.pid);
  const rssMb = memory?.rssMb ?? afterWrk.memory.rss / 1024 ** 2;
  const wrkHits = afterWrk.cache.hits - beforeWrk.cache.hits;
  const wrkMisses = afterWrk.cache.misses - beforeWrk.cache.misses;
  // Every request wrk sent the app must have been a page-cache hit, or this did not
  // measure the warm path. (The server may count a few more hits than wrk completed:
  // requests in flight when a run ends.)
  if (wrkMisses !== 0 || wrkHits < appRequests) {
    throw new Error(
      `the app missed its page cache during the wrk runs: ${wrkHits} hits, ${wrkMisses} misses for ${appRequests} requests`,
    );
  }

  // Information: what the page cache costs when it holds many pages.
  const fillIds = spreadIds(database.firstArticleId, database.lastArticleId, options.fillPages, 5);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < fillIds.length) {
        const id = fillIds[next++];
        // As browsers (brotli) and a CDN (gzip) would: each page then holds all three forms.
        await get200(app, `/news/${id}`, { 'accept-encoding': BROWSER_ENCODINGS });
        await get200(app, `/news/${id}`, { 'accept-encoding': 'gzip' });
      }
    }),
  );
  const filled = await appStats(app);
  const filledMemory = processMemory(app.pid);
  const filledRssMb = filledMemory?.rssMb ?? filled.memory.rss / 1024 ** 2;

  for (const server of [app, memServer]) await stopServer(server);

  const cores = await measureEveryCore(
    database.url,
    dataDir,
    staticDir,
    pages[1].appPath,
    fileServer,
    best.get('article/app'),
    options,
  );
  await stopServer(fileServer);

  log();
  log('measuring uncached renders in-process (page cache off)...');
  const renders = await measureRenders(
    database.url,
    dataDir,
    database.firstArticleId,
    database.lastArticleId,
  );

  // -------------------------------------------------------------------------------------
  const failures: string[] = [];
  const result = (page: string, key: TargetKey) => {
    const r = best.get(`${page}/${key}`);
    if (r === undefined) throw new Error(`missing wrk result ${page}/${key}`);
    return r;
  };
  log();
  log('Warm pages (page cache) vs the same bytes from a static file server — best of rounds');
  for (const page of pages) {
    const a = result(page.key, 'app');
    const f = result(page.key, 'file');
    const m = result(page.key, 'memory');
    const ratio = a.requestsPerSec / f.requestsPerSec;
    const ok = ratio >= TARGET_WARM_RATIO;
    if (!ok)
      failures.push(
        `${page.label} warm at ${ratio.toFixed(2)} of the static file server (target ≥ ${TARGET_WARM_RATIO.toFixed(2)})`,
      );
    log(
      `  ${`${page.label} warm`.padEnd(18)} ${fmtInt(a.requestsPerSec).padStart(7)} req/s   static file ${fmtInt(f.requestsPerSec).padStart(7)} req/s   ratio ${ratio.toFixed(2)} (target ≥ ${TARGET_WARM_RATIO.toFixed(2)})  ${verdict(ok)}`,
    );
    log(
      `  ${''.padEnd(18)} p99 ${fmtMs(a.p99Ms).padStart(8)}       p99 ${fmtMs(f.p99Ms).padStart(8)}        ` +
        `(${fmtInt(a.bytesPerResponse)} vs ${fmtInt(f.bytesPerResponse)} bytes/response incl. headers)`,
    );
    log(
      `  ${''.padEnd(18)} in-memory Buffer reference ${fmtInt(m.requestsPerSec)} req/s, p99 ${fmtMs(m.p99Ms)}: app at ${(a.requestsPerSec / m.requestsPerSec).toFixed(2)} of it (information only)`,
    );
  }
  const spread = [...all.entries()]
    .filter(([, values]) => values.length > 1)
    .map(
      ([id, values]) =>
        `${id} ${((100 * (Math.max(...values) - Math.min(...values))) / Math.max(...values)).toFixed(0)}%`,
    );
  if (spread.length > 0) log(`  round-to-round spread: ${spread.join(', ')}`);
  log(
    `  app page cache during wrk: ${fmtInt(wrkHits)} hits, ${wrkMisses} misses (wrk completed ${fmtInt(appRequests)} requests): all warm`,
  );
  log(
    '  (pass/fail compares with the static file server: fs.stat + read stream per request, like serve-static/sirv)',
  );

  log();
  log(
    `Every core: the warm article page with TAMNA_WORKERS=${cores.workers} against Debian's nginx (worker_processes auto: ${cores.nginxWorkers} workers, the same bytes from disk, access log off), wrk -t${options.coreThreads} -c${options.coreConnections} — best of rounds`,
  );
  const nginxRatio = cores.app.requestsPerSec / cores.nginx.requestsPerSec;
  const nginxOk = nginxRatio >= TARGET_NGINX_RATIO;
  if (!nginxOk)
    failures.push(
      `article page warm with ${cores.workers} workers at ${nginxRatio.toFixed(2)} of nginx (target ≥ ${TARGET_NGINX_RATIO.toFixed(2)})`,
    );
  log(
    `  ${'app ×' + String(cores.workers)} ${fmtInt(cores.app.requestsPerSec).padStart(7)} req/s (p99 ${fmtMs(cores.app.p99Ms)})   nginx ${fmtInt(cores.nginx.requestsPerSec).padStart(7)} req/s (p99 ${fmtMs(cores.nginx.p99Ms)})   ratio ${nginxRatio.toFixed(2)} (target ≥ ${TARGET_NGINX_RATIO.toFixed(2)})  ${verdict(nginxOk)}`,
  );
  log(
    `  ${''.padEnd(7)} static file server (one process) ${fmtInt(cores.file.requestsPerSec)} req/s: app ×${cores.workers} at ${(cores.app.requestsPerSec / cores.file.requestsPerSec).toFixed(2)} of it; one app process was at ${fmtInt(result('article', 'app').requestsPerSec)} req/s (×${(cores.app.requestsPerSec / result('article', 'app').requestsPerSec).toFixed(2)} with ${cores.workers} workers)`,
  );
  log(
    `  ${''.padEnd(7)} page cache during wrk: ${fmtInt(cores.hits)} hits, ${cores.misses} misses; workers' RSS ${cores.workerRssMb.map((mb) => `${mb.toFixed(0)} MB`).join(', ')} (primary ${cores.primaryRssMb.toFixed(0)} MB)`,
  );

  log();
  log(
    `Uncached render, in-process inject, page cache off (${RENDER_SAMPLES} samples after ${RENDER_WARMUP} warm-up each)`,
  );
  const renderRows = [
    {
      label: 'front page',
      t: renders.front,
      target: TARGET_FRONT_MEDIAN_MS,
      note: 'same page each time',
    },
    {
      label: 'article page',
      t: renders.article,
      target: TARGET_ARTICLE_MEDIAN_MS,
      note: `${RENDER_SAMPLES} different articles`,
    },
  ];
  for (const row of renderRows) {
    const ok = row.t.medianMs <= row.target;
    if (!ok)
      failures.push(
        `${row.label} uncached median ${fmtMs(row.t.medianMs)} (target ≤ ${row.target} ms)`,
      );
    log(
      `  ${row.label.padEnd(18)} median ${fmtMs(row.t.medianMs).padStart(8)}   p99 ${fmtMs(row.t.p99Ms).padStart(8)}   mean ${fmtMs(row.t.meanMs).padStart(8)}   (target median ≤ ${row.target} ms)  ${verdict(ok)}   ${row.note}`,
    );
  }

  log();
  log('Memory (app process)');
  const rssOk = rssMb <= TARGET_RSS_MB;
  if (!rssOk)
    failures.push(
      `app resident memory ${rssMb.toFixed(0)} MB after the wrk runs (target ≤ ${TARGET_RSS_MB} MB)`,
    );
  log(
    `  RSS after wrk runs  ${rssMb.toFixed(0).padStart(5)} MB   (peak ${memory === null ? '?' : `${memory.peakMb.toFixed(0)} MB; anonymous ${memory.anonMb.toFixed(0)} MB, files ${memory.fileMb.toFixed(0)}`} MB; heap ${(afterWrk.memory.heapUsed / 1024 ** 2).toFixed(0)} MB; ${afterWrk.cache.size} cached pages)   (target ≤ ${TARGET_RSS_MB} MB)  ${verdict(rssOk)}`,
  );
  const budgetMb = loadConfig({}).pageCache.maxBytes / 1024 ** 2;
  const fullOk = filledRssMb <= TARGET_RSS_MB;
  if (!fullOk)
    failures.push(
      `app resident memory ${filledRssMb.toFixed(0)} MB with a full page cache (target ≤ ${TARGET_RSS_MB} MB)`,
    );
  log(
    `  RSS, full page cache ${filledRssMb.toFixed(0).padStart(4)} MB   (peak ${filledMemory === null ? '?' : `${filledMemory.peakMb.toFixed(0)} MB; anonymous ${filledMemory.anonMb.toFixed(0)} MB, files ${filledMemory.fileMb.toFixed(0)}`} MB; ${filled.cache.size} pages, ${(filled.cache.bytes / 1024 ** 2).toFixed(0)} MB of page bytes of the ${budgetMb.toFixed(0)} MB budget (TAMNA_PAGE_CACHE_MB); heap ${(filled.memory.heapUsed / 1024 ** 2).toFixed(0)} of ${(filled.memory.heapTotal / 1024 ** 2).toFixed(0)} MB, external ${(filled.memory.external / 1024 ** 2).toFixed(0)} MB)   (target ≤ ${TARGET_RSS_MB} MB)  ${verdict(fullOk)}`,
  );
  log(
    `  (filled by requesting ${options.fillPages.toLocaleString('en-US')} different articles with brotli and with gzip: more than the budget holds, so the oldest pages were evicted)`,
  );

  return finish(failures, started);
}

async function describeDatabase(database: BenchDatabase): Promise<void> {
  const bytes = await benchDatabaseBytes(database.dialect, database.where);
  log(
    `database: ${database.articles.toLocaleString('en-US')} published articles, ${(bytes / 1024 ** 2).toFixed(0)} MB` +
      ` (${database.reused ? 'cached' : `generated in ${database.seconds.toFixed(1)} s`}: ${database.label})`,
  );
  const g = database.generation;
  if (g !== null)
    log(
      `  generation: ${fmtInt(g.articlesPerSecond)} articles/s (${fmtInt(database.articles)} in ${g.seconds.toFixed(0)} s, ${g.cpuSeconds.toFixed(0)} s CPU in the generator, load ${g.load[0].toFixed(1)} → ${g.load[1].toFixed(1)}, ${g.at})`,
    );
  if (database.migrated !== null)
    log(
      `  migrations run on the cached database: ${database.migrated.names.join(', ')} in ${database.migrated.seconds.toFixed(1)} s`,
    );
}

function finish(failures: string[], started: number): number {
  log();
  const seconds = (performance.now() - started) / 1000;
  if (failures.length === 0) {
    log(`PASS — all targets met (${seconds.toFixed(0)} s)`);
    return 0;
  }
  log(
    `FAIL — ${failures.length} target${failures.length === 1 ? '' : 's'} missed (${seconds.toFixed(0)} s):`,
  );
  for (const f of failures) log(`  - ${f}`);
  return 1;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(
    `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
} finally {
  killAll();
}
