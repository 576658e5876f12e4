/**
 * One benchmark database measured in a fresh process of its own (`npm run bench` with
 * --articles, for the archive and for its 20,000-article baseline), so the resident memory
 * it reports belongs to that database alone. Spawned by bench/run.ts as
 * `TAMNA_BENCH_CHILD=scale node bin/tamna-bench.js` with TAMNA_BENCH_SCALE set to the
 * JSON of ScaleOptions; answers with one ScaleResult over IPC.
 *
 * In-process with app.http.inject and the page cache off, as bench/run.ts measures
 * uncached renders: the front page, articles, section pages (page 1, and the deepest page
 * the biggest section has, up to 20,000), the admin's article list with its filters and
 * title search, then an import of a batch of articles through the importer
 * (`tamna import`), which are deleted again afterwards so the cached database stays as
 * generated.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config/index.ts';
import { article, places, Random, reporters, sections, topics } from './generate.ts';

export interface ScaleOptions {
  databaseUrl: string;
  firstArticleId: number;
  lastArticleId: number;
  samples: number;
  importArticles: number;
}

export interface Timing {
  medianMs: number;
  p99Ms: number;
  meanMs: number;
  samples: number;
  /** CPU time of this process per request (median of the same requests). */
  cpuMedianMs: number;
}

export interface ScaleResult {
  renders: Record<string, Timing & { label: string }>;
  deepPage: { slug: string; page: number; pageCount: number };
  rssMb: number;
  peakRssMb: number;
  heapMb: number;
  importResult: {
    articles: number;
    seconds: number;
    cpuSeconds: number;
    perSecond: number;
  };
  load: [number, number];
}

const BROWSER_ENCODINGS = 'gzip, deflate, br, zstd';
const DESK_EMAIL = 'bench-desk@tamnailbo.example';
const DESK_PASSWORD = '제주바다-2025-bench!';
const IMPORT_PREFIX = 'bench-import-';

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

function summarize(samples: Array<{ ms: number; cpuMs: number }>): Timing {
  const wall = samples.map((s) => s.ms).sort((a, b) => a - b);
  const cpu = samples.map((s) => s.cpuMs).sort((a, b) => a - b);
  return {
    medianMs: percentile(wall, 0.5),
    p99Ms: percentile(wall, 0.99),
    meanMs: wall.reduce((s, x) => s + x, 0) / wall.length,
    samples: wall.length,
    cpuMedianMs: percentile(cpu, 0.5),
  };
}

function peakRssMb(): number {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return kb === undefined ? NaN : Number(kb) / 1024;
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** A desk editor's session cookie, signing in through the form as a browser does. */
async function deskSession(app: App): Promise<string> {
  const existing = await app.database.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', DESK_EMAIL)
    .executeTakeFirst();
  if (existing === undefined)
    await app.services.accounts.createUser({
      email: DESK_EMAIL,
      name: '벤치데스크',
      role: 'desk',
      password: DESK_PASSWORD,
    });
  const cookie = (res: { headers: Record<string, unknown> }, name: string): string => {
    const raw = res.headers['set-cookie'];
    const all = Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
    for (const c of all) {
      const m = new RegExp(`^${name}=([^;]*)`).exec(c);
      if (m) return m[1] ?? '';
    }
    throw new Error(`no ${name} cookie`);
  };
  const page = await app.http.inject({ url: '/admin/login' });
  const csrf = cookie(page, 'tamna_login_csrf');
  const res = await app.http.inject({
    method: 'POST',
    url: '/admin/login',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: `tamna_login_csrf=${csrf}`,
    },
    payload: new URLSearchParams({
      _csrf: csrf,
      email: DESK_EMAIL,
      password: DESK_PASSWORD,
      next: '/admin',
    }).toString(),
  });
  if (res.statusCode !== 303) throw new Error(`sign-in answered ${res.statusCode}: ${res.body}`);
  return `tamna_session=${cookie(res, 'tamna_session')}`;
}

async function measure(options: ScaleOptions): Promise<ScaleResult> {
  const loadBefore = os.loadavg()[0] ?? NaN;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tamna-bench-scale-'));
  fs.mkdirSync(path.join(dataDir, 'media'));
  const config = loadConfig({
    DATABASE_URL: options.databaseUrl,
    TAMNA_DATA_DIR: dataDir,
    TAMNA_LOG_LEVEL: 'warn',
    TAMNA_PAGE_CACHE_ENTRIES: '0',
  });
  const app = await createApp(config, {
    logger: pino({ level: 'warn' }),
    backgroundJobs: false,
  });
  try {
    await app.http.ready();
    const desk = await deskSession(app);
    const time = async (
      url: string,
      headers: Record<string, string>,
    ): Promise<{ ms: number; cpuMs: number }> => {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const res = await app.http.inject({ method: 'GET', url, headers });
      const ms = performance.now() - started;
      const used = process.cpuUsage(cpu);
      if (res.statusCode !== 200) throw new Error(`uncached GET ${url} answered ${res.statusCode}`);
      // better-sqlite3 is synchronous: let the event loop turn between requests, as it does
      // between requests arriving over the network.
      await turn();
      return { ms, cpuMs: (used.user + used.system) / 1000 };
    };
    const reader = { 'accept-encoding': BROWSER_ENCODINGS };
    const staff = { 'accept-encoding': BROWSER_ENCODINGS, cookie: desk };

    // The biggest section (with its sub-sections) and its deepest page, up to 20,000.
    const totals = await Promise.all(
      sections
        .filter((s) => s.parent === undefined)
        .map(async (s) => ({
          slug: s.slug,
          listing: await app.services.content.sectionPage(s.slug, 1, 20),
        })),
    );
    const biggest = totals.sort((a, b) => (b.listing?.total ?? 0) - (a.listing?.total ?? 0))[0];
    if (biggest?.listing == null) throw new Error('no section has articles');
    const deepPage = Math.min(20_000, biggest.listing.pageCount);
    const topSlugs = totals.map((t) => t.slug);

    const span = options.lastArticleId - options.firstArticleId + 1;
    const articleId = (i: number) => options.firstArticleId + ((i * 7919 + 3) % span);
    // A title word of almost every tenth article, one of a few hundred, and none at all.
    const r = new Random(7);
    const kinds: Array<{ key: string; label: string; url: (i: number) => string; staff?: true }> = [
      { key: 'front', label: 'front page', url: () => '/' },
      { key: 'article', label: 'article page', url: (i) => `/news/${articleId(i)}` },
      {
        key: 'section',
        label: 'section page 1',
        url: (i) => `/section/${topSlugs[i % topSlugs.length]}`,
      },
      {
        key: 'deep',
        label: `section page ${deepPage.toLocaleString('en-US')} (/${biggest.slug})`,
        url: (i) => `/section/${biggest.slug}?page=${Math.max(1, deepPage - (i % 50))}`,
      },
      { key: 'admin', label: 'admin list', url: () => '/admin/articles', staff: true },
      {
        key: 'adminStatus',
        label: 'admin list ?status',
        url: (i) =>
          `/admin/articles?status=${['published', 'scheduled', 'draft', 'submitted'][i % 4]}`,
        staff: true,
      },
      {
        key: 'adminOrigin',
        label: 'admin list ?origin=wire',
        url: () => '/admin/articles?origin=wire',
        staff: true,
      },
      {
        key: 'adminCommon',
        label: 'admin list ?q=common',
        url: (i) => `/admin/articles?q=${encodeURIComponent(places[i % places.length]!)}`,
        staff: true,
      },
      {
        key: 'adminRare',
        label: 'admin list ?q=rare',
        url: (i) =>
          `/admin/articles?status=published&q=${encodeURIComponent(`${places[i % places.length]!} ${topics[(i * 7) % topics.length]!}`)}`,
        staff: true,
      },
      {
        key: 'adminNone',
        label: 'admin list ?q=none',
        url: (i) => `/admin/articles?q=${encodeURIComponent(`없는제목${r.int(10, 99)}${i}`)}`,
        staff: true,
      },
    ];
    // Warm-up (JIT, the database's cache), then every kind in turn, so drift hits all alike.
    for (let i = 0; i < 30; i++)
      for (const kind of kinds) await time(kind.url(i + 10_000), kind.staff ? staff : reader);
    const samples = new Map<string, Array<{ ms: number; cpuMs: number }>>();
    for (let i = 0; i < options.samples; i++) {
      for (const kind of kinds) {
        const list = samples.get(kind.key) ?? [];
        list.push(await time(kind.url(i), kind.staff ? staff : reader));
        samples.set(kind.key, list);
      }
    }
    if (app.cache.size !== 0) throw new Error('the page cache stored pages during the measurement');
    const memory = process.memoryUsage();
    const renders: ScaleResult['renders'] = {};
    for (const kind of kinds)
      renders[kind.key] = { label: kind.label, ...summarize(samples.get(kind.key) ?? []) };
    const rss = { rssMb: memory.rss / 1024 ** 2, peakRssMb: peakRssMb() };

    const importResult = await importBatch(app, options.importArticles, dataDir);
    return {
      renders,
      deepPage: { slug: biggest.slug, page: deepPage, pageCount: biggest.listing.pageCount },
      ...rss,
      heapMb: memory.heapUsed / 1024 ** 2,
      importResult,
      load: [loadBefore, os.loadavg()[0] ?? NaN],
    };
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Deletes what an import of this benchmark left (this run's, or an interrupted one's). */
async function removeImported(app: App): Promise<void> {
  await app.database.db
    .deleteFrom('articles')
    .where('external_id', 'like', `${IMPORT_PREFIX}%`)
    .execute();
}

/**
 * `tamna import`'s path: an NDJSON archive of `count` published articles (the generator's
 * text, existing sections and reporters, tags) through the importer, timed; then deleted.
 */
async function importBatch(
  app: App,
  count: number,
  dataDir: string,
): Promise<ScaleResult['importResult']> {
  await removeImported(app);
  const r = new Random(99);
  const now = Date.now();
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const section = r.pick(sections.filter((s) => s.layout === 'list'));
    const a = article(r, section.name, `bench/import-${i}.jpg`);
    const byline = r.pick(reporters);
    lines.push(
      JSON.stringify({
        externalId: `${IMPORT_PREFIX}${i}`,
        section: section.name,
        title: a.title,
        subtitle: a.subtitle,
        bodyHtml: a.bodyHtml,
        authors: [{ name: byline.name, email: byline.email }],
        tags: a.tags,
        publishedAt: new Date(now - (count - i) * 60_000).toISOString(),
        status: 'published',
      }),
    );
  }
  const text = `${lines.join('\n')}\n`;
  const cpu = process.cpuUsage();
  const started = performance.now();
  try {
    const report = await app.importer.importNdjson(text, { baseDir: dataDir });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    if (report.created !== count || report.failed.length > 0)
      throw new Error(
        `import created ${report.created} of ${count}: ${JSON.stringify(report.failed.slice(0, 3))}`,
      );
    return {
      articles: count,
      seconds,
      cpuSeconds: (used.user + used.system) / 1e6,
      perSecond: count / seconds,
    };
  } finally {
    await removeImported(app);
  }
}

const raw = process.env.TAMNA_BENCH_SCALE;
if (raw === undefined) throw new Error('TAMNA_BENCH_SCALE is not set');
const result = await measure(JSON.parse(raw) as ScaleOptions);
process.send?.({ type: 'scale', result });
process.disconnect?.();
