/**
 * `npm run bench:search`: is Korean search fast and small enough on a large archive?
 *
 *   1. Corpus: writes N generated Korean articles (bench/generate.ts, 'search' shape: bodies
 *      of about 1,500–3,000 characters, titles, subtitles, tags, common and rare words) in
 *      batches of 500 into a fresh SQLite file under bench/out/ and a fresh PostgreSQL
 *      schema, without search documents: generation + insert throughput.
 *   2. Index: `reindex` (writeSearchDocuments, 500 articles a transaction) times the search
 *      index build on its own; then its size against the size of the text it indexes.
 *   3. Latency: the page's own call, createSearch(...).search({ q, page: 1 }), over 1-word and
 *      2-word queries of several kinds and the worst shapes (a pasted paragraph, eight common
 *      words, one syllable), interleaved, after a warm-up: p50/p95/max against the targets.
 *   4. Baseline: a WordPress-style search for the same queries (every word LIKE '%word%' in
 *      the title or body of published articles, newest 10): LIKE p50 / search p50.
 *   5. Server: `tamna serve` on the SQLite database (as production starts it), 1,000
 *      /search?q= requests with some concurrency; resident memory against the page
 *      benchmark's target, and search pages a second.
 *
 * Flags: --articles=100000, --db=both|sqlite|postgres, --samples=200 (queries per kind),
 * --requests=1000, --concurrency=8, --keep (leave the databases for EXPLAIN), --reuse (measure
 * what --keep left), --help.
 * PostgreSQL: TAMNA_BENCH_PG_URL, else the test database; unreachable means SQLite only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config/index.ts';
import {
  connectDatabase,
  migrateToLatest,
  type DatabaseHandle,
  type DialectName,
} from '../src/db/index.ts';
import { createWriter } from '../src/domains/content/index.ts';
import { createSearch, type Search } from '../src/domains/search/index.ts';
import { systemClock } from '../src/shared/clock.ts';
import { htmlToText } from '../src/shared/text.ts';
import { postgresUrl } from '../src/testing/databases.ts';
import {
  article,
  createSectionsAndReporters,
  insertArticles,
  institutions,
  obj,
  outDir,
  personNames,
  places,
  Random,
  rankedSpecifics,
  subj,
  topic,
  topics,
} from './generate.ts';
import {
  appStats,
  cleanups,
  fmtInt,
  fmtMs,
  freePort,
  killAll,
  parseBenchFlags,
  percentile,
  processMemory,
  repoRoot,
  runtimeLabel,
  startServer,
  stopServer,
  TARGET_RSS_MB,
  verdict,
  type ParsedFlags,
  processAlive,
} from './support.ts';

const TARGET_ONE_WORD_P95_MS = 50;
const TARGET_TWO_WORD_P95_MS = 30;
const QUERY_SEED = 20_260_417;
const WARMUP_QUERIES = 40;
/** LIKE scans are slow by nature: this many queries of each kind are enough for a p50. */
const LIKE_SAMPLES = 40;
/** Article pages whose 관련기사 are timed. */
const RELATED_SAMPLES = 20;
const SCHEMA_PREFIX = 'bench_search_';
/** Names this benchmark's PostgreSQL connections, to find their backends' CPU time. */
const APPLICATION_NAME = 'tamna-bench-search';

const usage = `Usage: npm run bench:search -- [--articles=100000] [--db=both|sqlite|postgres] [--samples=200] [--requests=1000] [--concurrency=8] [--keep] [--reuse]

  --articles=N     generated articles in each database (default 100000)
  --db=WHICH       sqlite, postgres or both (default both; PostgreSQL from TAMNA_BENCH_PG_URL,
                   else the test database, and SQLite only when it cannot be reached)
  --samples=N      timed queries of each kind, 1-word and 2-word (default 200)
  --requests=N     /search requests sent to the app server (default 1000)
  --concurrency=N  requests in flight at once (default 8)
  --keep           keep the SQLite file and the PostgreSQL schema (for EXPLAIN); the next run
                   removes them
  --reuse          measure the SQLite file and the PostgreSQL schema a --keep run left
                   (migrated to the latest schema first) instead of generating and indexing
                   a new corpus; no build figures`;

const flags = {
  articles: { min: 100, max: 2_000_000 },
  db: { choices: ['both', 'sqlite', 'postgres'] },
  samples: { min: 10, max: 100_000 },
  requests: { min: 10, max: 1_000_000 },
  concurrency: { min: 1, max: 256 },
  keep: { flag: true },
  reuse: { flag: true },
} as const;

interface Options {
  articles: number;
  db: 'both' | 'sqlite' | 'postgres';
  samples: number;
  requests: number;
  concurrency: number;
  keep: boolean;
  reuse: boolean;
}

function optionsFrom(given: ParsedFlags<typeof flags>): Options {
  return {
    articles: given.articles ?? 100_000,
    db: given.db ?? 'both',
    samples: given.samples ?? 200,
    requests: given.requests ?? 1000,
    concurrency: given.concurrency ?? 8,
    keep: given.keep === true,
    reuse: given.reuse === true,
  };
}

function log(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** A progress line that rewrites itself on a terminal (and stays quiet in a log). */
function progress(label: string, done: number, total: number): void {
  if (!process.stderr.isTTY) return;
  process.stderr.write(`\r  ${label} ${fmtInt(done)}/${fmtInt(total)}`);
  if (done >= total) process.stderr.write('\r\x1b[K');
}

const fmtMb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MB`;
const perSecond = (n: number, seconds: number) =>
  Number.isFinite(seconds) && seconds > 0 ? `${fmtInt(n / seconds)}/s` : '— (reused)';

// ---------------------------------------------------------------------------------------
// Databases

interface Target {
  dialect: DialectName;
  label: string;
  handle: DatabaseHandle;
  /** DATABASE_URL for an app server on this database. */
  databaseUrl: string;
  /** PostgreSQL: where to look up this benchmark's backends (their CPU time); else null. */
  monitorUrl: string | null;
  where: string;
  /** A kept corpus measured again (--reuse): nothing was generated or indexed. */
  reused?: boolean;
  /** Removes the database (file or schema). */
  remove(): Promise<void>;
}

function pgSchemaUrl(base: string, schema: string): string {
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  url.searchParams.set('application_name', APPLICATION_NAME);
  return url.toString();
}

function redacted(url: string): string {
  const u = new URL(url);
  if (u.password !== '') u.password = '***';
  u.search = '';
  return u.toString();
}

/** Why PostgreSQL cannot be used, or null when it answers. */
async function postgresProblem(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function openPostgres(base: string, reuse: boolean): Promise<Target> {
  const schema = reuse ? await keptSchema(base) : await newSchema(base);
  const url = pgSchemaUrl(base, schema);
  const handle = await connectDatabase({ kind: 'postgres', url });
  await migrateToLatest(handle);
  return {
    dialect: 'postgres',
    label: 'PostgreSQL',
    handle,
    databaseUrl: url,
    monitorUrl: base,
    where: `schema ${schema} at ${redacted(base)}${reuse ? ' (reused)' : ''}`,
    ...(reuse ? { reused: true } : {}),
    async remove() {
      // A reused corpus stays for the next --reuse run.
      if (!reuse)
        await withClient(base, (client) => client.query(`drop schema if exists ${schema} cascade`));
    },
  };
}

/** The newest schema a --keep run left. */
async function keptSchema(base: string): Promise<string> {
  const kept = await withClient(base, (client) =>
    client.query<{ name: string }>(
      `select nspname as name from pg_namespace where nspname like 'bench\\_search\\_%' order by oid desc limit 1`,
    ),
  );
  const name = kept.rows[0]?.name;
  if (name === undefined)
    throw new Error('--reuse: no kept bench_search_* schema; run with --keep first');
  return name;
}

/** A fresh schema for this run, after dropping those of runs whose process is gone. */
async function newSchema(base: string): Promise<string> {
  const schema = `${SCHEMA_PREFIX}${process.pid}`;
  await withClient(base, async (client) => {
    // Schemas of earlier runs whose process is gone (interrupted, or --keep).
    const { rows } = await client.query<{ name: string }>(
      `select nspname as name from pg_namespace where nspname like 'bench\\_search\\_%'`,
    );
    for (const { name } of rows) {
      const pid = Number(name.slice(SCHEMA_PREFIX.length));
      if (/^bench_search_\d+$/.test(name) && (pid === process.pid || !processAlive(pid)))
        await client.query(`drop schema ${name} cascade`);
    }
    await client.query(`create schema ${schema}`);
  });
  return schema;
}

function removeSqliteFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}

async function openSqlite(articles: number, keep: boolean, reuse: boolean): Promise<Target> {
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `search-${articles}.sqlite`);
  if (reuse && !fs.existsSync(file))
    throw new Error(`--reuse: no kept ${path.relative(repoRoot, file)}; run with --keep first`);
  if (!reuse) removeSqliteFiles(file);
  // An interrupted run leaves nothing behind (2–3 GB at 100,000 articles); a reused corpus
  // stays for the next --reuse run.
  if (!keep && !reuse) cleanups.push(() => removeSqliteFiles(file));
  const handle = await connectDatabase({ kind: 'sqlite', file });
  await migrateToLatest(handle);
  return {
    dialect: 'sqlite',
    label: 'SQLite',
    handle,
    databaseUrl: `sqlite:${file}`,
    monitorUrl: null,
    where: `${path.relative(repoRoot, file)}${reuse ? ' (reused)' : ''}`,
    ...(reuse ? { reused: true } : {}),
    async remove() {
      if (!reuse) removeSqliteFiles(file);
    },
  };
}

// ---------------------------------------------------------------------------------------
// Corpus and index

async function buildCorpus(target: Target, total: number): Promise<number> {
  const { db } = target.handle;
  const writer = createWriter({ db, clock: systemClock });
  const { sectionIds, authorIds } = await createSectionsAndReporters(writer);
  const started = performance.now();
  await insertArticles(db, {
    total,
    shape: 'search',
    now: systemClock.now(),
    sectionIds,
    authorIds,
    index: false,
    onBatch: (done) => progress(`${target.label}: articles`, done, total),
  });
  return (performance.now() - started) / 1000;
}

interface IndexSize {
  /** Bytes of the search index: token rows plus the full-text index over them. */
  bytes: number;
  /** How those bytes divide, for the report. */
  parts: string;
  /** Bytes (UTF-8) of the title, subtitle and body of the indexed articles. */
  textBytes: number;
}

async function indexSize(target: Target): Promise<IndexSize> {
  const { db } = target.handle;
  if (target.dialect === 'sqlite') {
    const { rows: tables } = await sql<{ name: string }>`
      select name from sqlite_schema
      where type = 'table' and (name = 'article_search' or name = 'article_search_heads'
        or name like 'article_search_fts%')
      order by name`.execute(db);
    const sizes: Array<[string, number]> = [];
    for (const { name } of tables) {
      // dbstat's aggregate form: one row per table, its pages' total size.
      const { rows } = await sql<{ bytes: number | null }>`
        select sum(pgsize) as bytes from dbstat('main', 1) where name = ${name}`.execute(db);
      sizes.push([name, Number(rows[0]?.bytes ?? 0)]);
    }
    const { rows } = await sql<{ bytes: number }>`
      select sum(length(cast(title as blob)) + length(cast(subtitle as blob))
        + length(cast(body_html as blob))) as bytes
      from articles where status = 'published'`.execute(db);
    const tokens = sizes.find(([name]) => name === 'article_search')?.[1] ?? 0;
    const heads = sizes.find(([name]) => name === 'article_search_heads')?.[1] ?? 0;
    const bytes = sizes.reduce((sum, [, b]) => sum + b, 0);
    return {
      bytes,
      parts: `tokens ${fmtMb(tokens)} (article_search) + heads ${fmtMb(heads)} (article_search_heads) + FTS5 ${fmtMb(bytes - tokens - heads)} (article_search_fts*)`,
      textBytes: Number(rows[0]?.bytes ?? 0),
    };
  }
  const { rows } = await sql<{ total: number; indexes: number; text_bytes: number }>`
    select pg_total_relation_size('article_search') + pg_total_relation_size('article_search_match')
        + pg_total_relation_size('article_search_heads') as total,
      pg_indexes_size('article_search') + pg_indexes_size('article_search_match')
        + pg_indexes_size('article_search_heads') as indexes,
      (select sum(octet_length(title) + octet_length(subtitle) + octet_length(body_html))
        from articles where status = 'published') as text_bytes`.execute(db);
  const row = rows[0];
  const total = Number(row?.total ?? 0);
  const indexes = Number(row?.indexes ?? 0);
  return {
    bytes: total,
    parts: `tables with tokens, tsvectors and TOAST ${fmtMb(total - indexes)} (article_search, article_search_match, article_search_heads) + GIN and primary keys ${fmtMb(indexes)}`,
    textBytes: Number(row?.text_bytes ?? 0),
  };
}

// ---------------------------------------------------------------------------------------
// Queries: deterministic, from the generator's own vocabulary

interface Query {
  kind: 'one' | 'two' | 'paragraph' | 'eight' | 'syllable';
  /** Which sort of query within its kind (common word, rare word, with particles...). */
  group: string;
  q: string;
}

/** In (nearly) every article: the generator's sentence frames. */
const COMMON = [
  '제주',
  '주민',
  '관계자',
  '예산',
  '사업',
  '관광객',
  '계획',
  '지난해',
  '문제',
  '의견',
];
/** A few percent of articles: places, topic words, institutions, frequent specific words. */
const MID = [
  ...places.slice(0, 16),
  '해녀',
  '감귤',
  '곶자왈',
  '풍력',
  '지하수',
  '돌담',
  '올레길',
  '전기차',
  ...institutions.slice(1, 9),
  ...rankedSpecifics.slice(4, 24),
];
/** Under 0.2 % of articles: the least frequent specific words and people's full names. */
const RARE = [...rankedSpecifics.slice(-60), ...personNames.slice(0, 60)];
const TWO_SYLLABLES = [
  '해녀',
  '감귤',
  '오름',
  '공항',
  '축제',
  '태풍',
  '돌담',
  '주차',
  '물가',
  '교통',
  '의료',
  ...rankedSpecifics.filter((w) => w.length === 2),
];
const ONE_SYLLABLE = [
  '섬',
  '귤',
  '물',
  '길',
  '말',
  '돌',
  '밭',
  '배',
  '집',
  '산',
  '숲',
  '꽃',
  '비',
  '굿',
];
const PARTICLES: Array<(w: string) => string> = [
  topic,
  subj,
  obj,
  (w) => `${w}에서`,
  (w) => `${w}에서는`,
  (w) => `${w}들이`,
  (w) => `${w}까지`,
  (w) => `${w}의`,
  (w) => `${w}도`,
];

function withParticle(r: Random, word: string): string {
  return r.pick(PARTICLES)(word);
}

function queries(samples: number): { one: Query[]; two: Query[]; worst: Query[] } {
  const r = new Random(QUERY_SEED);
  const particleStems = ['제주도', '서귀포시', ...COMMON, ...MID];
  const oneGroups: Array<[string, () => string]> = [
    ['common', () => r.pick(COMMON)],
    ['mid-frequency', () => r.pick(MID)],
    ['rare', () => r.pick(RARE)],
    ['2-syllable', () => r.pick(TWO_SYLLABLES)],
    ['with particles', () => withParticle(r, r.pick(particleStems))],
  ];
  const distinctPair = (a: readonly string[], b: readonly string[]) => {
    const first = r.pick(a);
    let second = r.pick(b);
    while (second === first) second = r.pick(b);
    return `${first} ${second}`;
  };
  const twoGroups: Array<[string, () => string]> = [
    ['topic phrase', () => r.pick(topics)],
    ['common + common', () => distinctPair(COMMON, COMMON)],
    ['place + topic word', () => `${r.pick(places)} ${r.pick(MID)}`],
    ['rare + common', () => `${r.pick(RARE)} ${r.pick(COMMON)}`],
    ['rare + rare', () => distinctPair(RARE, RARE)],
    ['with particles', () => `${withParticle(r, r.pick(particleStems))} ${obj(r.pick(MID))}`],
  ];
  const round = (
    kind: Query['kind'],
    groups: Array<[string, () => string]>,
    count: number,
  ): Query[] =>
    Array.from({ length: count }, (_, i) => {
      const [group, make] = groups[i % groups.length] as [string, () => string];
      return { kind, group, q: make() };
    });
  const worstCount = Math.max(10, Math.round(samples / 4));
  const textRandom = new Random(QUERY_SEED + 1);
  const paragraph = () => {
    let text = '';
    while (text.length < 1000)
      text += `${htmlToText(article(textRandom, '사회', 'x.jpg', 'search').bodyHtml)} `;
    return text.slice(0, 1000);
  };
  const eight = () => {
    const words = new Set<string>();
    while (words.size < 8) words.add(r.pick([...COMMON, ...MID.slice(0, 16)]));
    return [...words].join(' ');
  };
  const worst: Query[] = [
    ...Array.from({ length: worstCount }, () => ({
      kind: 'paragraph' as const,
      group: '1,000-character paragraph',
      q: paragraph(),
    })),
    ...Array.from({ length: worstCount }, () => ({
      kind: 'eight' as const,
      group: '8 common words',
      q: eight(),
    })),
    ...Array.from({ length: worstCount }, (_, i) => ({
      kind: 'syllable' as const,
      group: 'one syllable',
      q: ONE_SYLLABLE[i % ONE_SYLLABLE.length] as string,
    })),
  ];
  return { one: round('one', oneGroups, samples), two: round('two', twoGroups, samples), worst };
}

function shuffle<T>(items: readonly T[], r: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Latency

interface Stats {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

function stats(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    max: sorted.at(-1) ?? NaN,
  };
}

interface Timed {
  query: Query;
  /** Wall time of the call. */
  ms: number;
  /** CPU time it took: this process, plus the PostgreSQL backends serving it. */
  cpuMs: number;
  total: number;
  timedOut: boolean;
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** CPU time a process (its main thread) has run, from /proc/PID/schedstat (ns); NaN if gone. */
function threadCpuMs(pid: number): number {
  try {
    return Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}

interface CpuMeter {
  /** Starts a measurement: the function returned gives the CPU milliseconds spent since. */
  start(): Promise<() => number>;
  close(): Promise<void>;
}

/**
 * CPU time spent on a search: this process, and for PostgreSQL the backends of this
 * benchmark's connections (same machine), found before each measurement through a
 * connection of its own so the pool's choice of connection is not disturbed. On a busy
 * machine wall time includes waiting for a core; CPU time shows what a search itself costs.
 */
async function cpuMeter(target: Target): Promise<CpuMeter> {
  const own = () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  if (target.monitorUrl === null)
    return {
      async start() {
        const started = own();
        return () => own() - started;
      },
      async close() {},
    };
  const monitor = new pg.Client({ connectionString: target.monitorUrl });
  monitor.on('error', () => {});
  await monitor.connect();
  return {
    async start() {
      const { rows } = await monitor.query<{ pid: number }>(
        'select pid from pg_stat_activity where application_name = $1',
        [APPLICATION_NAME],
      );
      const pids = rows.map((r) => Number(r.pid));
      const total = () => own() + pids.reduce((sum, pid) => sum + (threadCpuMs(pid) || 0), 0);
      const started = total();
      return () => total() - started;
    },
    close: () => monitor.end(),
  };
}

async function timeSearches(
  search: Search,
  list: readonly Query[],
  meter: CpuMeter,
): Promise<Timed[]> {
  const out: Timed[] = [];
  for (const query of list) {
    const cpu = await meter.start();
    const started = performance.now();
    const result = await search.search({ q: query.q, page: 1 });
    const ms = performance.now() - started;
    out.push({ query, ms, cpuMs: cpu(), total: result.total, timedOut: result.timedOut });
    // better-sqlite3 is synchronous: let the event loop turn between searches, as it does
    // between requests arriving over the network.
    await nextTurn();
  }
  return out;
}

/** 관련기사 of articles spread over the archive, as every uncached article page asks. */
async function timeRelated(
  search: Search,
  articles: number,
  meter: CpuMeter,
): Promise<{ wall: Stats; cpu: Stats }> {
  const wall: number[] = [];
  const cpuTimes: number[] = [];
  for (let i = 0; i < RELATED_SAMPLES; i++) {
    // Mostly recent articles, as most readers read.
    const id = articles - Math.floor((articles - 1) * (i / RELATED_SAMPLES) ** 2);
    const cpu = await meter.start();
    const started = performance.now();
    await search.related(id);
    wall.push(performance.now() - started);
    cpuTimes.push(cpu());
    await nextTurn();
  }
  return { wall: stats(wall), cpu: stats(cpuTimes) };
}

/** What a WordPress-style site runs: every word in the title or body, newest first. */
async function likeSearch(target: Target, q: string, now: number): Promise<number> {
  const words = q.split(' ').filter(Boolean);
  let query = target.handle.db
    .selectFrom('articles as a')
    .select(['a.id', 'a.title'])
    .where('a.status', '=', 'published')
    .where('a.published_at', '<=', now);
  for (const word of words) {
    const pattern = `%${word.replace(/[\\%_]/g, '\\$&')}%`;
    query = query.where((eb) =>
      eb.or([
        eb('a.title', 'like', sql<string>`${pattern} escape '\\'`),
        eb('a.body_html', 'like', sql<string>`${pattern} escape '\\'`),
      ]),
    );
  }
  const started = performance.now();
  await query.orderBy('a.published_at', 'desc').limit(10).execute();
  return performance.now() - started;
}

// ---------------------------------------------------------------------------------------

interface DbResult {
  label: string;
  articles: number;
  insertSeconds: number;
  indexSeconds: number;
  /** PostgreSQL: VACUUM ANALYZE after the build, as autovacuum would soon run. */
  vacuumSeconds: number | null;
  size: IndexSize;
  timed: Timed[];
  /** search.related(id): the 관련기사 box of an article page. */
  related: { wall: Stats; cpu: Stats };
  /** The machine's 1-minute load average before and after the timed searches. */
  load: [number, number];
  like: { one: Stats; two: Stats };
}

async function measureDatabase(
  target: Target,
  options: Options,
  set: ReturnType<typeof queries>,
): Promise<DbResult> {
  const { db } = target.handle;
  log(`${target.label}: ${target.where}`);
  const insertSeconds = target.reused === true ? NaN : await buildCorpus(target, options.articles);
  log(
    target.reused === true
      ? `  corpus: ${fmtInt(options.articles)} articles kept by an earlier --keep run`
      : `  corpus: ${fmtInt(options.articles)} articles generated and inserted in ${insertSeconds.toFixed(1)} s (${perSecond(options.articles, insertSeconds)})`,
  );

  const config = loadConfig({});
  const search = createSearch({
    db,
    dialect: target.dialect,
    clock: systemClock,
    recencyWeight: config.search.recencyWeight,
    timeoutMs: config.search.timeoutMs,
  });
  const indexStarted = performance.now();
  const indexed =
    target.reused === true
      ? options.articles
      : await search.reindex((done, total) =>
          progress(`${target.label}: search documents`, done, total),
        );
  const indexSeconds = target.reused === true ? NaN : (performance.now() - indexStarted) / 1000;
  if (indexed !== options.articles)
    throw new Error(`${target.label}: reindex wrote ${indexed} documents, not ${options.articles}`);
  if (target.reused !== true)
    log(
      `  index build: ${fmtInt(indexed)} search documents in ${indexSeconds.toFixed(1)} s (${perSecond(indexed, indexSeconds)}; writeSearchDocuments, 500 a transaction)`,
    );
  let vacuumSeconds: number | null = null;
  if (target.dialect === 'postgres' && target.reused !== true) {
    const started = performance.now();
    await sql`vacuum analyze articles`.execute(db);
    await sql`vacuum analyze article_search`.execute(db);
    await sql`vacuum analyze article_search_match`.execute(db);
    vacuumSeconds = (performance.now() - started) / 1000;
    log(
      `  vacuum analyze (articles, article_search, article_search_match): ${vacuumSeconds.toFixed(1)} s (autovacuum would do this soon after a bulk load)`,
    );
  } else if (target.dialect === 'postgres') {
    // A kept corpus may have just been migrated; this machine's PostgreSQL runs no autovacuum.
    await sql`vacuum analyze article_search_match`.execute(db);
  }
  const size = await indexSize(target);
  log(
    `  index size: ${fmtMb(size.bytes)} = ${(size.bytes / size.textBytes).toFixed(2)} × the ${fmtMb(size.textBytes)} of title + subtitle + body (stored HTML) — ${size.parts}`,
  );

  const r = new Random(QUERY_SEED + 2);
  const all = [...set.one, ...set.two, ...set.worst];
  const meter = await cpuMeter(target);
  let timed: Timed[];
  let related: { wall: Stats; cpu: Stats };
  const load = os.loadavg()[0] ?? 0;
  try {
    await timeSearches(search, shuffle(all, r).slice(0, WARMUP_QUERIES), meter);
    // Interleaved, so drift (GC, caches, the OS) touches every kind alike.
    timed = await timeSearches(search, shuffle(all, r), meter);
    related = await timeRelated(search, options.articles, meter);
  } finally {
    await meter.close();
  }
  const loadAfter = os.loadavg()[0] ?? 0;

  const now = systemClock.now();
  const likeOne: number[] = [];
  const likeTwo: number[] = [];
  const likeList = [...set.one.slice(0, LIKE_SAMPLES), ...set.two.slice(0, LIKE_SAMPLES)];
  await likeSearch(target, 'warm', now);
  for (const query of shuffle(likeList, r)) {
    (query.kind === 'one' ? likeOne : likeTwo).push(await likeSearch(target, query.q, now));
    await nextTurn();
  }
  const result: DbResult = {
    label: target.label,
    articles: options.articles,
    insertSeconds,
    indexSeconds,
    vacuumSeconds,
    size,
    timed,
    related,
    load: [load, loadAfter],
    like: { one: stats(likeOne), two: stats(likeTwo) },
  };
  printLatency(result);
  return result;
}

function kindStats(result: DbResult, kind: Query['kind']): Stats {
  return stats(result.timed.filter((t) => t.query.kind === kind).map((t) => t.ms));
}

function printLatency(result: DbResult): void {
  log(
    `  search({ q, page: 1 }) by kind of query: wall time, CPU p95, hits (median found, at most 2,000); load average ${result.load[0].toFixed(1)} → ${result.load[1].toFixed(1)} on ${os.cpus().length} CPUs`,
  );
  const groups = new Map<string, Timed[]>();
  const order: Query['kind'][] = ['one', 'two', 'paragraph', 'eight', 'syllable'];
  const sorted = [...result.timed].sort(
    (a, b) => order.indexOf(a.query.kind) - order.indexOf(b.query.kind),
  );
  for (const t of sorted) {
    const key = `${t.query.kind}|${t.query.group}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  const kindLabel: Record<Query['kind'], string> = {
    one: '1 word',
    two: '2 words',
    paragraph: 'worst',
    eight: 'worst',
    syllable: 'worst',
  };
  for (const [key, list] of groups) {
    const [kind, group] = key.split('|') as [Query['kind'], string];
    const s = stats(list.map((t) => t.ms));
    const cpu = stats(list.map((t) => t.cpuMs));
    const hits = percentile(
      list.map((t) => t.total).sort((a, b) => a - b),
      0.5,
    );
    log(
      `    ${kindLabel[kind].padEnd(8)} ${group.padEnd(26)} n=${String(s.n).padStart(3)}  p50 ${fmtMs(s.p50).padStart(8)}  p95 ${fmtMs(s.p95).padStart(8)}  max ${fmtMs(s.max).padStart(8)}  CPU p95 ${fmtMs(cpu.p95).padStart(8)}  hits ${fmtInt(hits).padStart(5)}`,
    );
  }
  const timedOut = result.timed.filter((t) => t.timedOut);
  if (timedOut.length > 0)
    log(
      `    ${timedOut.length} searches hit the time limit: ${timedOut
        .slice(0, 5)
        .map((t) => JSON.stringify(t.query.q.slice(0, 30)))
        .join(', ')}`,
    );
  const rel = result.related;
  log(
    `  관련기사, related(id) of ${rel.wall.n} articles: p50 ${fmtMs(rel.wall.p50)}  p95 ${fmtMs(rel.wall.p95)}  max ${fmtMs(rel.wall.max)}  CPU p95 ${fmtMs(rel.cpu.p95)}`,
  );
  for (const kind of ['one', 'two'] as const) {
    const like = result.like[kind];
    log(
      `  LIKE baseline, ${kind === 'one' ? '1 word ' : '2 words'}: n=${like.n}  p50 ${fmtMs(like.p50)}  p95 ${fmtMs(like.p95)}  max ${fmtMs(like.max)}`,
    );
  }
}

// ---------------------------------------------------------------------------------------
// The app server

interface ServerResult {
  label: string;
  requests: number;
  seconds: number;
  latency: Stats;
  /** CPU time of the server's main thread per request. */
  cpuMsPerRequest: number;
  startRssMb: number;
  rssMb: number;
  peakMb: number;
  heapMb: number;
}

function searchPath(query: Query, i: number): string {
  const params = new URLSearchParams({ q: query.q });
  // Some readers page on, or sort by date.
  if (i % 10 === 3) params.set('page', '2');
  if (i % 10 === 7) params.set('sort', 'newest');
  return `/search?${params.toString()}`;
}

async function measureServer(
  target: Target,
  list: readonly Query[],
  options: Options,
): Promise<ServerResult> {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tamna-bench-search-'));
  cleanups.push(() => fs.rmSync(runDir, { recursive: true, force: true }));
  const dataDir = path.join(runDir, 'data');
  fs.mkdirSync(path.join(dataDir, 'media'), { recursive: true });
  const port = await freePort();
  const server = await startServer(
    'app',
    'app',
    ['serve'],
    {
      DATABASE_URL: target.databaseUrl,
      TAMNA_DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(port),
      TAMNA_LOG_LEVEL: 'warn',
      TAMNA_SITE_URL: 'https://news.tamna.example',
      // The figures are per process (its memory above all).
      TAMNA_WORKERS: '1',
    },
    port,
    'healthz',
  );
  try {
    const fetchPage = async (urlPath: string): Promise<void> => {
      const res = await fetch(`http://127.0.0.1:${port}${urlPath}`);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`GET ${urlPath} answered ${res.status}`);
    };
    const paths = Array.from({ length: options.requests }, (_, i) =>
      searchPath(list[i % list.length] as Query, i),
    );
    const startRssMb = processMemory(server.pid)?.rssMb ?? NaN;
    const latencies: number[] = [];
    let next = 0;
    const cpuBefore = threadCpuMs(server.pid);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next < paths.length) {
          const urlPath = paths[next++] as string;
          const t0 = performance.now();
          await fetchPage(urlPath);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpuMs = threadCpuMs(server.pid) - cpuBefore;
    const memory = processMemory(server.pid);
    const app = await appStats(server);
    return {
      label: target.label,
      requests: paths.length,
      seconds,
      latency: stats(latencies),
      cpuMsPerRequest: cpuMs / paths.length,
      startRssMb,
      rssMb: memory?.rssMb ?? app.memory.rss / 1024 ** 2,
      peakMb: memory?.peakMb ?? NaN,
      heapMb: app.memory.heapUsed / 1024 ** 2,
    };
  } finally {
    await stopServer(server);
  }
}

// ---------------------------------------------------------------------------------------
// Summary

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((row) => row[c]?.length ?? 0))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
      .join('   ')
      .trimEnd(),
  );
}

const ms = (n: number) => (n < 10 ? n.toFixed(1) : n.toFixed(0));
const triple = (s: Stats) => `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.max)} ms`;

function summary(results: DbResult[], server: ServerResult | null, failures: string[]): string[] {
  const rows: string[][] = [['', ...results.map((r) => r.label)]];
  const row = (label: string, cell: (r: DbResult) => string) =>
    rows.push([label, ...results.map(cell)]);
  row('corpus: generate + insert', (r) => perSecond(r.articles, r.insertSeconds));
  row('index build (reindex)', (r) => perSecond(r.articles, r.indexSeconds));
  row(
    'index size / text',
    (r) => `${(r.size.bytes / r.size.textBytes).toFixed(2)}× (${fmtMb(r.size.bytes)})`,
  );
  const target = (label: string, kind: 'one' | 'two', limit: number) => {
    row(`${label} p50 / p95 / max`, (r) => triple(kindStats(r, kind)));
    row(`  p95 ≤ ${limit} ms`, (r) => {
      const p95 = kindStats(r, kind).p95;
      const ok = p95 <= limit;
      if (!ok) failures.push(`${r.label}: ${label} p95 ${fmtMs(p95)} (target ≤ ${limit} ms)`);
      return verdict(ok);
    });
  };
  target('1 word', 'one', TARGET_ONE_WORD_P95_MS);
  target('2 words', 'two', TARGET_TWO_WORD_P95_MS);
  const cpuOf = (r: DbResult, kind: Query['kind']) =>
    stats(r.timed.filter((t) => t.query.kind === kind).map((t) => t.cpuMs));
  row('CPU p50 / p95: 1 word', (r) => `${ms(cpuOf(r, 'one').p50)} / ${ms(cpuOf(r, 'one').p95)} ms`);
  row(
    'CPU p50 / p95: 2 words',
    (r) => `${ms(cpuOf(r, 'two').p50)} / ${ms(cpuOf(r, 'two').p95)} ms`,
  );
  row('load average during searches', (r) => `${r.load[0].toFixed(1)} → ${r.load[1].toFixed(1)}`);
  row('worst p95: paragraph', (r) => `${ms(kindStats(r, 'paragraph').p95)} ms`);
  row('worst p95: 8 common words', (r) => `${ms(kindStats(r, 'eight').p95)} ms`);
  row('worst p95: one syllable', (r) => `${ms(kindStats(r, 'syllable').p95)} ms`);
  row('LIKE p50: 1 word / 2 words', (r) => `${ms(r.like.one.p50)} / ${ms(r.like.two.p50)} ms`);
  row('LIKE p50 ÷ search p50', (r) => {
    const one = r.like.one.p50 / kindStats(r, 'one').p50;
    const two = r.like.two.p50 / kindStats(r, 'two').p50;
    return `${one.toFixed(1)}× / ${two.toFixed(1)}×`;
  });
  row('LIKE p95 ÷ search p95', (r) => {
    const one = r.like.one.p95 / kindStats(r, 'one').p95;
    const two = r.like.two.p95 / kindStats(r, 'two').p95;
    return `${one.toFixed(1)}× / ${two.toFixed(1)}×`;
  });
  row(
    '관련기사 related(id) p50 / p95',
    (r) => `${ms(r.related.wall.p50)} / ${ms(r.related.wall.p95)} ms`,
  );
  row('searches cut off by the time limit', (r) =>
    String(r.timed.filter((t) => t.timedOut).length),
  );
  const lines = table(rows);
  if (server !== null) {
    const rssOk = server.rssMb <= TARGET_RSS_MB;
    const peakOk = server.peakMb <= TARGET_RSS_MB;
    if (!rssOk)
      failures.push(
        `server RSS ${server.rssMb.toFixed(0)} MB after the searches (target ≤ ${TARGET_RSS_MB} MB)`,
      );
    if (!peakOk)
      failures.push(
        `server peak RSS ${server.peakMb.toFixed(0)} MB (target ≤ ${TARGET_RSS_MB} MB)`,
      );
    lines.push(
      `server (${server.label}): ${fmtInt(server.requests)} /search pages at ${fmtInt(server.requests / server.seconds)} req/s (p50 ${ms(server.latency.p50)} ms, p95 ${ms(server.latency.p95)} ms; ${ms(server.cpuMsPerRequest)} ms CPU each)`,
      `  RSS ${server.rssMb.toFixed(0)} MB after them (${server.startRssMb.toFixed(0)} MB before) ≤ ${TARGET_RSS_MB} MB: ${verdict(rssOk)};  peak ${server.peakMb.toFixed(0)} MB ≤ ${TARGET_RSS_MB} MB: ${verdict(peakOk)}`,
    );
  }
  return lines;
}

// ---------------------------------------------------------------------------------------

async function main(argv: string[]): Promise<number> {
  const parsed = parseBenchFlags(argv, flags, usage);
  if ('print' in parsed) {
    (parsed.exitCode === 0 ? process.stdout : process.stderr).write(parsed.print);
    return parsed.exitCode;
  }
  const options = optionsFrom(parsed.values);
  const started = performance.now();
  log(
    `Tamna search benchmark — node ${process.version}${runtimeLabel(path.join(repoRoot, 'bin', 'tamna.js'))}, ${os.cpus().length} CPUs, ${fmtInt(options.articles)} articles`,
  );

  const pgBase = process.env.TAMNA_BENCH_PG_URL ?? postgresUrl;
  const dialects: DialectName[] = options.db === 'both' ? ['sqlite', 'postgres'] : [options.db];
  const notes: string[] = [];
  if (dialects.includes('postgres')) {
    const problem = await postgresProblem(pgBase);
    if (problem !== null) {
      const line = `PostgreSQL at ${redacted(pgBase)} cannot be reached (${problem})`;
      if (options.db === 'postgres') {
        process.stderr.write(`bench: ${line}. Start it, or set TAMNA_BENCH_PG_URL.\n`);
        return 1;
      }
      notes.push(`${line}: measured SQLite only.`);
      log(`NOTE: ${line}; measuring SQLite only.`);
      dialects.splice(dialects.indexOf('postgres'), 1);
    }
  }

  const set = queries(options.samples);
  log(
    `queries: ${set.one.length} of 1 word, ${set.two.length} of 2 words, ${set.worst.length} worst-case, after ${WARMUP_QUERIES} warm-up; LIKE baseline on ${LIKE_SAMPLES} + ${LIKE_SAMPLES}`,
  );
  log();

  const results: DbResult[] = [];
  let server: ServerResult | null = null;
  for (const dialect of dialects) {
    const target =
      dialect === 'sqlite'
        ? await openSqlite(options.articles, options.keep, options.reuse)
        : await openPostgres(pgBase, options.reuse);
    try {
      results.push(await measureDatabase(target, options, set));
      // The server runs on the embedded default, or on PostgreSQL when only that is measured.
      if (server === null && (dialect === 'sqlite' || !dialects.includes('sqlite'))) {
        log(
          `  app server on ${target.label}: ${fmtInt(options.requests)} /search requests, ${options.concurrency} at a time...`,
        );
        server = await measureServer(target, [...set.one, ...set.two, ...set.worst], options);
      }
    } finally {
      await target.handle.close();
      if (options.keep) log(`  kept: ${target.where}`);
      else await target.remove();
    }
    log();
  }

  const failures: string[] = [];
  log(
    `Summary — ${fmtInt(options.articles)} articles; latency of search({ q, page: 1 }), ${options.samples} queries per kind`,
  );
  for (const line of summary(results, server, failures)) log(`  ${line}`);
  for (const note of notes) log(`  NOTE: ${note}`);
  log();
  const seconds = (performance.now() - started) / 1000;
  if (failures.length === 0) {
    log(`PASS — all targets met (${seconds.toFixed(0)} s)`);
    return 0;
  }
  log(
    `FAIL — ${failures.length} target${failures.length === 1 ? '' : 's'} missed (${seconds.toFixed(0)} s):`,
  );
  for (const failure of failures) log(`  - ${failure}`);
  return 1;
}

try {
  process.exitCode = await main(process.argv.slice(3));
} catch (error) {
  process.stderr.write(
    `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
} finally {
  killAll();
}
