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
}

const caches = new Set<PageCache>();
const originalSet = PageCache.prototype.set;
PageCache.prototype.set = function (this: PageCache, ...args: Parameters<PageCache['set']>) {
  caches.add(this);
  return originalSet.apply(this, args);
};

process.on('message', (message: unknown) => {
  if (
    typeof message !== 'object' ||
    message === null ||
    (message as { type?: unknown }).type !== 'stats'
  )
    return;
  const cache = { hits: 0, misses: 0, stores: 0, invalidations: 0, size: 0, bytes: 0 };
  for (const c of caches) {
    cache.hits += c.stats.hits;
    cache.misses += c.stats.misses;
    cache.stores += c.stats.stores;
    cache.invalidations += c.stats.invalidations;
    cache.size += c.size;
    cache.bytes += c.byteSize;
  }
  const reply: AppStatsMessage = { type: 'stats', cache, memory: process.memoryUsage() };
  process.send?.(reply);
});

// The runner died or finished: stop like `tamna serve` does on SIGTERM. The channel must
// not by itself keep the process alive once the server has closed.
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
process.channel?.unref();

await import('../src/main.ts');
