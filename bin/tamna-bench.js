#!/usr/bin/env node
// `npm run bench`: runs bench/run.ts (`npm run bench:beacon`: bench/beacon.ts, `npm run
// bench:search`: bench/search.ts, `npm run bench:restart`: bench/rolling-restart.ts, `npm run
// bench:sitemap`: bench/sitemap.ts, `npm run bench:backup`: bench/backup.ts, `npm run
// bench:cluster`: bench/cluster.ts) through tsx's
// loader with the repo tsconfig, exactly as bin/tamna.js runs the app. The benchmarks'
// server processes start through this file too (TAMNA_BENCH_CHILD=app|static|fastify), so
// they load code the way production does (TAMNA_BENCH_CHILD=scale: one database measured
// by itself for `npm run bench -- --articles=N`).
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const child = process.env.TAMNA_BENCH_CHILD;
if (child === 'app') await import('../bench/serve-app.ts');
else if (child === 'static') await import('../bench/static-server.ts');
else if (child === 'fastify') await import('../bench/empty-server.ts');
else if (child === 'scale') await import('../bench/scale.ts');
else if (process.argv[2] === 'beacon') await import('../bench/beacon.ts');
else if (process.argv[2] === 'search') await import('../bench/search.ts');
else if (process.argv[2] === 'restart') await import('../bench/rolling-restart.ts');
else if (process.argv[2] === 'sitemap') await import('../bench/sitemap.ts');
else if (process.argv[2] === 'backup') await import('../bench/backup.ts');
else if (process.argv[2] === 'cluster') await import('../bench/cluster.ts');
else await import('../bench/run.ts');
