/**
 * The app under test, in its own Node process, started exactly as production starts it:
 * src/main.ts → `tamna serve` (config from the environment, migrate, listen), with the
 * same module graph and tsx loader registration as bin/tamna.js. Spawned by bench/run.ts
 * as `TAMNA_BENCH_CHILD=app node bin/tamna-bench.js serve`.
 *
 * Two additions for the benchmark, neither on the warm path:
 *  - PageCache.prototype.set (called only on a miss) is wrapped to find the cache, so the
 *    runner can ask over IPC for hit/miss counts and memory usage;
 *  - when the runner goes away (IPC disconnect), the server shuts down as on SIGTERM.
 */
import cluster, { type Worker } from 'node:cluster';
import { PageCache } from '../src/http/cache/page-cache.ts';

export interface AppStatsMessage {
  type: 'stats';
  cache: {
    hits: number;
    misses: number;
    stores: number;
    invalidations: number;
    size: number;
    bytes: number;
  };
  memory: NodeJS.MemoryUsage;
  /** With TAMNA_WORKERS > 1: the workers' process ids (the caches above are their sum). */
  workers?: number[];
}

const caches = new Set<PageCache>();
const originalSet = PageCache.prototype.set;
PageCache.prototype.set = function (this: PageCache, ...args: Parameters<PageCache['set']>) {
  caches.add(this);
  return originalSet.apply(this, args);
};

const isStats = (message: unknown): boolean =>
  typeof message === 'object' &&
  message !== null &&
  (message as { type?: unknown }).type === 'stats';

function localStats(): AppStatsMessage {
  const cache = { hits: 0, misses: 0, stores: 0, invalidations: 0, size: 0, bytes: 0 };
  for (const c of caches) {
    cache.hits += c.stats.hits;
    cache.misses += c.stats.misses;
    cache.stores += c.stats.stores;
    cache.invalidations += c.stats.invalidations;
    cache.size += c.size;
    cache.bytes += c.byteSize;
  }
  return { type: 'stats', cache, memory: process.memoryUsage() };
}

/** A worker's stats, asked over the cluster's channel. */
function workerStats(worker: Worker): Promise<AppStatsMessage> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if (!isStats(message)) return;
      worker.off('message', onMessage);
      resolve(message as AppStatsMessage);
    };
    worker.on('message', onMessage);
    worker.send({ type: 'stats' });
  });
}

process.on('message', (message: unknown) => {
  if (!isStats(message)) return;
  const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
  if (cluster.isWorker || workers.length === 0) {
    process.send?.(localStats());
    return;
  }
  // The primary of TAMNA_WORKERS > 1 serves nothing itself: the workers' caches, summed.
  void Promise.all(workers.map(workerStats)).then((all) => {
    const sum = localStats();
    for (const w of all)
      for (const key of Object.keys(sum.cache) as Array<keyof AppStatsMessage['cache']>)
        sum.cache[key] += w.cache[key];
    sum.workers = workers.map((w) => w.process.pid ?? 0);
    process.send?.(sum);
  });
});

if (cluster.isPrimary) {
  // The runner died or finished: stop like `tamna serve` does on SIGTERM. The channel must
  // not by itself keep the process alive once the server has closed. (A worker's channel
  // is its primary's, which the cluster module looks after.)
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  process.channel?.unref();
}

await import('../src/main.ts');
