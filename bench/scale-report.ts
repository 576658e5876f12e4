/**
 * `npm run bench -- --articles=N`: the archive against its 20,000-article baseline of the
 * same kind, each measured in a fresh process (bench/scale.ts), and the report with the
 * targets of issue 14: uncached article, front and section renders within 2× of the
 * baseline's, the deepest section page and the admin list within 50 ms, resident memory
 * independent of the archive's size, and the generation and import throughput.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { BenchDatabase } from './generate.ts';
import type { ScaleOptions, ScaleResult } from './scale.ts';
import { fmtInt, fmtMs, productionRuntime, repoRoot, track, untrack, verdict } from './support.ts';

/** Uncached renders at the archive's size against the baseline's (medians). */
const TARGET_RATIO = 2;
/** The deepest section page and every admin list, median. */
const TARGET_LIST_MS = 50;
/** Resident memory after the renders, archive against baseline. */
const TARGET_RSS_RATIO = 1.25;

function runScale(
  database: BenchDatabase,
  samples: number,
  importArticles: number,
): Promise<ScaleResult> {
  const options: ScaleOptions = {
    databaseUrl: database.url,
    firstArticleId: database.firstArticleId,
    lastArticleId: database.lastArticleId,
    samples,
    importArticles,
  };
  const runtime = productionRuntime(path.join(repoRoot, 'bin', 'tamna.js'));
  const child = spawn(
    process.execPath,
    [...runtime.args, path.join(repoRoot, 'bin', 'tamna-bench.js')],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        ...runtime.env,
        TAMNA_BENCH_CHILD: 'scale',
        TAMNA_BENCH_SCALE: JSON.stringify(options),
      },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    },
  );
  track(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  return new Promise((resolve, reject) => {
    let result: ScaleResult | null = null;
    child.on('message', (message: { type?: string; result?: ScaleResult }) => {
      if (message.type === 'scale' && message.result !== undefined) result = message.result;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      untrack(child);
      if (result !== null) resolve(result);
      else
        reject(
          new Error(
            `the measurement of ${database.label} ended (${signal ?? `exit code ${code}`}) without a result:\n${stderr}`,
          ),
        );
    });
  });
}

/**
 * A cached PostgreSQL database made ready to measure: its article id sequence past the
 * generated ids, and its statistics current.
 *
 * PostgreSQL with autovacuum off (as on some test servers) never refreshes the planner's
 * statistics: a table analyzed while empty (sections, made right after the migrations)
 * keeps claiming so. Analyzes the database then, as autovacuum would have; says so.
 */
export async function preparePostgres(
  database: BenchDatabase,
  log: (line: string) => void,
): Promise<void> {
  if (database.dialect !== 'postgres') return;
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    // The generator now moves PostgreSQL's sequence past the ids it inserts; archives
    // generated before it did had it at 1, and the next new article (the import below,
    // any desk write) collided with article 1. Kept for those archives.
    await client.query(
      "select setval(pg_get_serial_sequence('articles', 'id'), (select max(id) from articles))",
    );
    const { rows } = await client.query<{ autovacuum: string }>('show autovacuum');
    if (rows[0]?.autovacuum !== 'off') return;
    const started = performance.now();
    await client.query('analyze');
    log(
      `  autovacuum is off on this server: analyzed ${database.label} as it would have (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
  } finally {
    await client.end();
  }
}

export async function measureScale(
  baseline: BenchDatabase,
  archive: BenchDatabase,
  options: { quick: boolean; log: (line?: string) => void },
): Promise<string[]> {
  const { log } = options;
  for (const database of [baseline, archive]) await preparePostgres(database, log);
  const samples = options.quick ? 40 : 150;
  const importArticles = options.quick ? 200 : 1000;
  log();
  log(
    `measuring each database in a fresh process: ${samples} samples of each kind after 30 warm-up rounds, page cache off; then an import of ${importArticles} articles (deleted again)... (load ${os.loadavg()[0]?.toFixed(1)})`,
  );
  const base = await runScale(baseline, samples, importArticles);
  const big = await runScale(archive, samples, importArticles);
  const failures: string[] = [];
  const n = (d: BenchDatabase) => fmtInt(d.articles);

  log();
  log(
    `Uncached renders, ${archive.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}: ${n(baseline)} articles (load ${base.load[0].toFixed(1)} → ${base.load[1].toFixed(1)}) against ${n(archive)} (load ${big.load[0].toFixed(1)} → ${big.load[1].toFixed(1)}); median (CPU median of the same requests), p99`,
  );
  for (const key of Object.keys(big.renders)) {
    const a = base.renders[key];
    const b = big.renders[key];
    if (a === undefined || b === undefined) continue;
    const ratio = b.medianMs / a.medianMs;
    const cpuRatio = b.cpuMedianMs / a.cpuMedianMs;
    let target: string;
    let ok: boolean;
    if (key === 'front' || key === 'article' || key === 'section') {
      ok = ratio <= TARGET_RATIO;
      target = `ratio ≤ ${TARGET_RATIO}`;
      if (!ok)
        failures.push(
          `${b.label} uncached at ${ratio.toFixed(2)}× the ${n(baseline)}-article figure (target ≤ ${TARGET_RATIO}×)`,
        );
    } else {
      ok = b.medianMs <= TARGET_LIST_MS;
      target = `≤ ${TARGET_LIST_MS} ms`;
      if (!ok)
        failures.push(
          `${b.label} median ${fmtMs(b.medianMs)} at ${n(archive)} articles (target ≤ ${TARGET_LIST_MS} ms)`,
        );
    }
    log(
      `  ${b.label.padEnd(34)} ${fmtMs(a.medianMs).padStart(8)} (${fmtMs(a.cpuMedianMs)})  →  ${fmtMs(b.medianMs).padStart(8)} (${fmtMs(b.cpuMedianMs)}), p99 ${fmtMs(b.p99Ms)}   ×${ratio.toFixed(2)} (CPU ×${cpuRatio.toFixed(2)})   ${target}  ${verdict(ok)}`,
    );
  }
  log(
    `  (deep page: /section/${big.deepPage.slug} has ${fmtInt(big.deepPage.pageCount)} pages at ${n(archive)} articles; pages ${fmtInt(Math.max(1, big.deepPage.page - 49))}–${fmtInt(big.deepPage.page)} measured. The baseline's row is its own deepest pages.)`,
  );

  log();
  log('Memory after the renders (each database in its own process)');
  const rssRatio = big.rssMb / base.rssMb;
  const rssOk = rssRatio <= TARGET_RSS_RATIO;
  if (!rssOk)
    failures.push(
      `resident memory ${big.rssMb.toFixed(0)} MB at ${n(archive)} against ${base.rssMb.toFixed(0)} MB at ${n(baseline)} (target ≤ ${TARGET_RSS_RATIO}×)`,
    );
  log(
    `  RSS ${base.rssMb.toFixed(0)} MB (peak ${base.peakRssMb.toFixed(0)}, heap ${base.heapMb.toFixed(0)}) at ${n(baseline)}  →  ${big.rssMb.toFixed(0)} MB (peak ${big.peakRssMb.toFixed(0)}, heap ${big.heapMb.toFixed(0)}) at ${n(archive)}   ×${rssRatio.toFixed(2)} (target ≤ ${TARGET_RSS_RATIO}×)  ${verdict(rssOk)}`,
  );

  log();
  log('Throughput');
  for (const d of [baseline, archive]) {
    const g = d.generation;
    log(
      g === null
        ? `  generation, ${n(d)}: not recorded (cached before generation was timed)`
        : `  generation, ${n(d)}: ${fmtInt(g.articlesPerSecond)} articles/s (${g.seconds.toFixed(0)} s, ${g.cpuSeconds.toFixed(0)} s CPU in the generator; load ${g.load[0].toFixed(1)} → ${g.load[1].toFixed(1)})`,
    );
  }
  for (const [d, r] of [
    [baseline, base],
    [archive, big],
  ] as const) {
    const i = r.importResult;
    log(
      `  import (tamna import's path, NDJSON) into ${n(d)}: ${fmtInt(i.perSecond)} articles/s (${fmtInt(i.articles)} in ${i.seconds.toFixed(1)} s, ${i.cpuSeconds.toFixed(1)} s CPU)`,
    );
  }
  return failures;
}
