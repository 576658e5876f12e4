/**
 * `npm run bench:sitemap`: are the sitemaps of a million-article archive fast, and does
 * writing them stay in bounded memory?
 *
 *   1. Builds (or reuses) bench/out/sitemap-<key>.sqlite: 1,000,000 published articles over
 *      twenty years, one month of them with 120,000 (more than two files' worth), 300
 *      bylines, 5,000 tags. Rows are inserted in batches with better-sqlite3 prepared
 *      statements (bodies are short: sitemaps never read them).
 *   2. Starts the app on that file (page cache on, no background jobs) and fetches over
 *      HTTP, as a crawler does: /robots.txt, /sitemap.xml, then every sitemap it lists,
 *      reading each response as a stream and counting bytes and <url>s without keeping
 *      them, then /sitemap-news.xml.
 *   3. Checks every file against the protocol (at most 50,000 URLs and 50 MB) and that the
 *      article files list every published article exactly once.
 *   4. Reports time per step and the process's resident memory: before, at its peak
 *      (VmHWM) and its growth, and the query plans of the two sitemap queries.
 *
 * Flags: --articles=1000000, --regenerate, --help.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import pino from 'pino';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config/index.ts';
import { seededRandom } from '../src/shared/weighted.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');
const outDir = path.join(here, 'out');

const GENERATOR_VERSION = 'sitemap-db-v1';
const DAY = 24 * 60 * 60 * 1000;
const KST = 9 * 60 * 60 * 1000;
const SITEMAP_MAX_URLS = 50_000;
const SITEMAP_MAX_BYTES = 50 * 1024 * 1024;

const { values: flags } = parseArgs({
  args: process.argv.slice(3),
  options: {
    articles: { type: 'string', default: '1000000' },
    regenerate: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (flags.help) {
  process.stdout.write(
    'npm run bench:sitemap -- [--articles=1000000] [--regenerate]\n' +
      'Streams every sitemap of a generated archive and reports time and peak memory.\n',
  );
  process.exit(0);
}
const total = Number(flags.articles);
if (!Number.isInteger(total) || total < 200_000)
  throw new Error('--articles must be a whole number of at least 200000');

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Resident memory now and at its peak, from the kernel (bytes). */
function memory(): { rss: number; peak: number } {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { rss: kb('VmRSS') * 1024, peak: kb('VmHWM') * 1024 };
}

/** Lets VmHWM restart from the current RSS, so the peak measured is this step's. */
function resetPeak(): void {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not allowed here: the peak then covers the whole run, generation included.
  }
}

function sourceKey(): string {
  const hash = createHash('sha256');
  // The generator's version (bump it when what it writes changes) and the schema.
  hash.update(`${GENERATOR_VERSION}|${total}|`);
  const migrations = path.join(repoRoot, 'src', 'db', 'migrations');
  for (const name of fs.readdirSync(migrations).sort()) {
    hash.update(name);
    hash.update(fs.readFileSync(path.join(migrations, name)));
  }
  return hash.digest('hex').slice(0, 16);
}

/** Publish times: twenty years back from `now`, one month (the busiest) with 120,000. */
function publishTimes(now: number, random: () => number): number[] {
  const busy = 120_000;
  const span = 20 * 365 * DAY;
  // The busiest month: March three years ago, in KST.
  const year = new Date(now + KST).getUTCFullYear() - 3;
  const busyFrom = Date.UTC(year, 2, 1) - KST;
  const busyTo = Date.UTC(year, 3, 1) - KST;
  const times: number[] = [];
  for (let i = 0; i < total - busy; i++) {
    let t = now - 60_000 - Math.floor(random() * span);
    if (t >= busyFrom && t < busyTo) t -= 31 * DAY;
    times.push(t);
  }
  for (let i = 0; i < busy; i++) times.push(busyFrom + Math.floor(random() * (busyTo - busyFrom)));
  return times.sort((a, b) => a - b);
}

async function ensureDatabase(now: number): Promise<string> {
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `sitemap-${sourceKey()}.sqlite`);
  if (!flags.regenerate && fs.existsSync(file)) return file;
  for (const name of fs.readdirSync(outDir))
    if (/^sitemap-.*\.sqlite(-wal|-shm|\.tmp.*)?$/.test(name))
      fs.rmSync(path.join(outDir, name), { force: true });
  const started = performance.now();
  process.stdout.write(
    `generating ${total.toLocaleString('en-US')} articles into ${path.relative(repoRoot, file)}...\n`,
  );
  const tmp = `${file}.tmp`;
  const dataDir = fs.mkdtempSync(path.join(outDir, 'sitemap-data-'));
  try {
    // The schema through the app's own migrations.
    const app = await createApp(
      loadConfig({
        DATABASE_URL: `sqlite:${tmp}`,
        TAMNA_DATA_DIR: dataDir,
        TAMNA_LOG_LEVEL: 'warn',
      }),
      { logger: pino({ level: 'warn' }), backgroundJobs: false },
    );
    await app.close();
    const db = new SqliteDatabase(tmp);
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    const random = seededRandom(20_260_301);
    const sections = ['politics', 'economy', 'society', 'culture', 'sports', 'opinion'];
    const insertSection = db.prepare(
      'insert into sections (slug, name, position, layout, hidden, created_at) values (?, ?, ?, ?, 0, ?)',
    );
    db.transaction(() =>
      sections.forEach((slug, i) => insertSection.run(slug, `섹션${i + 1}`, i, 'list', now)),
    )();
    const insertAuthor = db.prepare(
      'insert into authors (name, email, title, created_at) values (?, ?, ?, ?)',
    );
    db.transaction(() => {
      for (let i = 1; i <= 300; i++)
        insertAuthor.run(`기자${i}`, `r${i}@tamnailbo.example`, '', now);
    })();
    const insertTag = db.prepare('insert into tags (name) values (?)');
    db.transaction(() => {
      for (let i = 1; i <= 5000; i++) insertTag.run(`태그 ${i}`);
    })();
    const insertArticle = db.prepare(
      `insert into articles (id, section_id, title, subtitle, body_html, summary, status, is_breaking,
         is_photo_story, published_at, updated_at, created_at)
       values (?, ?, ?, '', ?, ?, 'published', 0, 0, ?, ?, ?)`,
    );
    const insertByline = db.prepare(
      'insert into article_authors (article_id, author_id, position) values (?, ?, 0)',
    );
    const insertTagLink = db.prepare(
      'insert into article_tags (article_id, tag_id, position) values (?, ?, ?)',
    );
    const times = publishTimes(now, random);
    const BATCH = 20_000;
    for (let start = 0; start < total; start += BATCH) {
      db.transaction(() => {
        for (let i = start; i < Math.min(total, start + BATCH); i++) {
          const id = i + 1;
          const publishedAt = times[i] ?? now;
          const edited =
            random() < 0.2 ? publishedAt + Math.floor(random() * 30 * DAY) : publishedAt;
          insertArticle.run(
            id,
            1 + Math.floor(random() * sections.length),
            `벤치마크 기사 ${id}`,
            `<p>기사 ${id}</p>`,
            `기사 ${id}`,
            publishedAt,
            Math.min(edited, now),
            publishedAt,
          );
          insertByline.run(id, 1 + Math.floor(random() * 300));
          const first = 1 + Math.floor(random() * 5000);
          insertTagLink.run(id, first, 0);
          insertTagLink.run(id, 1 + ((first + 1 + Math.floor(random() * 4998)) % 5000), 1);
        }
      })();
    }
    db.pragma('optimize');
    db.close();
    fs.renameSync(tmp, file);
  } finally {
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(tmp + suffix, { force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  process.stdout.write(`generated in ${seconds(performance.now() - started)}\n`);
  return file;
}

/** GET over HTTP, reading the body as a stream: bytes, <url>s and <loc>s, nothing kept. */
function fetchCounting(
  port: number,
  urlPath: string,
  onLoc?: (loc: string) => void,
): Promise<{ status: number; bytes: number; urls: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: urlPath }, (res) => {
        let bytes = 0;
        let urls = 0;
        let tail = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          bytes += Buffer.byteLength(chunk);
          const text = tail + chunk;
          const cut = text.lastIndexOf('>') + 1;
          const complete = text.slice(0, cut);
          tail = text.slice(cut);
          urls += complete.split('<url>').length - 1;
          if (onLoc !== undefined)
            for (const m of complete.matchAll(/<loc>([^<]*)<\/loc>/g)) onLoc(m[1] ?? '');
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, bytes, urls, ms: performance.now() - started }),
        );
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

async function main(): Promise<void> {
  const now = Date.now();
  const file = await ensureDatabase(now);
  const dataDir = fs.mkdtempSync(path.join(outDir, 'sitemap-run-'));
  const app = await createApp(
    loadConfig({
      DATABASE_URL: `sqlite:${file}`,
      TAMNA_DATA_DIR: dataDir,
      TAMNA_LOG_LEVEL: 'warn',
      TAMNA_SITE_URL: 'https://news.example.kr',
    }),
    { logger: pino({ level: 'warn' }), backgroundJobs: false, migrate: false },
  );
  try {
    await app.http.listen({ host: '127.0.0.1', port: 0 });
    const address = app.http.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const port = address.port;

    const sqlite = new SqliteDatabase(file, { readonly: true });
    const published = (
      sqlite.prepare("select count(*) as n from articles where status = 'published'").get() as {
        n: number;
      }
    ).n;
    const plan = (sql: string) =>
      (sqlite.prepare(`explain query plan ${sql}`).all() as { detail: string }[])
        .map((r) => r.detail)
        .join('; ');
    const plans = {
      month: plan(
        "select count(*), max(published_at), max(updated_at) from articles where status = 'published' and published_at <= 1 and published_at >= 0 and published_at < 1",
      ),
      rows: plan(
        "select id, published_at, updated_at from articles where status = 'published' and published_at <= 1 and published_at >= 0 and published_at < 1 and (published_at > 0 or (published_at = 0 and id > 0)) order by published_at, id limit 2000",
      ),
    };
    sqlite.close();

    global.gc?.();
    const before = memory();
    resetPeak();
    const robots = await fetchCounting(port, '/robots.txt');
    const indexLocs: string[] = [];
    const index = await fetchCounting(port, '/sitemap.xml', (loc) => indexLocs.push(loc));
    const cachedIndex = await fetchCounting(port, '/sitemap.xml');
    const seen = new Uint8Array(total + 1);
    let articleUrls = 0;
    let duplicates = 0;
    let otherUrls = 0;
    let largest = { urls: 0, bytes: 0, path: '' };
    let problems = 0;
    let bytes = 0;
    let early = 0;
    const started = performance.now();
    for (const [n, loc] of indexLocs.entries()) {
      // The peak after a tenth of the files: bounded memory keeps the rest from raising it.
      if (n === Math.ceil(indexLocs.length / 10)) early = memory().peak;
      const urlPath = new URL(loc).pathname;
      const isArticles = urlPath.startsWith('/sitemaps/articles-');
      const result = await fetchCounting(
        port,
        urlPath,
        isArticles
          ? (l) => {
              const id = Number(l.slice(l.lastIndexOf('/') + 1));
              if (seen[id] === 1) duplicates++;
              seen[id] = 1;
            }
          : undefined,
      );
      if (
        result.status !== 200 ||
        result.urls > SITEMAP_MAX_URLS ||
        result.bytes > SITEMAP_MAX_BYTES
      ) {
        problems++;
        process.stdout.write(
          `  ${urlPath}: status ${result.status}, ${result.urls} URLs, ${mb(result.bytes)}\n`,
        );
      }
      bytes += result.bytes;
      if (isArticles) articleUrls += result.urls;
      else otherUrls += result.urls;
      if (result.urls > largest.urls)
        largest = { urls: result.urls, bytes: result.bytes, path: urlPath };
    }
    const streamedMs = performance.now() - started;
    const news = await fetchCounting(port, '/sitemap-news.xml');
    const after = memory();
    const heap = process.memoryUsage();

    const rows: [string, string][] = [
      ['published articles', published.toLocaleString('en-US')],
      ['robots.txt', `${robots.status}, ${seconds(robots.ms)}`],
      ['sitemap index (uncached)', `${indexLocs.length} sitemaps, ${seconds(index.ms)}`],
      ['sitemap index (cached)', seconds(cachedIndex.ms)],
      [
        'every sitemap streamed',
        `${seconds(streamedMs)} (${Math.round((articleUrls + otherUrls) / (streamedMs / 1000)).toLocaleString('en-US')} URLs/s)`,
      ],
      ['article URLs', `${articleUrls.toLocaleString('en-US')} (duplicates ${duplicates})`],
      ['section, reporter and tag URLs', otherUrls.toLocaleString('en-US')],
      [
        'largest file',
        `${largest.path}: ${largest.urls.toLocaleString('en-US')} URLs, ${mb(largest.bytes)}`,
      ],
      ['news sitemap', `${news.urls} URLs, ${seconds(news.ms)}`],
      ['RSS before', mb(before.rss)],
      ['bytes streamed', mb(bytes)],
      ['RSS peak after a tenth of the files', `${mb(early)} (+${mb(early - before.rss)})`],
      ['RSS peak after every file', `${mb(after.peak)} (+${mb(after.peak - before.rss)})`],
      ['RSS after', `${mb(after.rss)} (V8 heap ${mb(heap.heapUsed)} of ${mb(heap.heapTotal)})`],
      ['plan: month summary', plans.month],
      ['plan: month rows', plans.rows],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
    const ok = problems === 0 && duplicates === 0 && articleUrls === published;
    process.stdout.write(
      ok
        ? 'PASS: every article listed once; every file within 50,000 URLs and 50 MB\n'
        : `FAIL: ${problems} bad files, ${duplicates} duplicates, ${articleUrls} of ${published} articles listed\n`,
    );
    if (!ok) process.exitCode = 1;
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
