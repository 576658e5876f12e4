#!/usr/bin/env -S MALLOC_MMAP_THRESHOLD_=131072 MALLOC_ARENA_MAX=2 node --max-semi-space-size=8 --max-old-space-size=1536 --env-file-if-exists=.env
// Runs the TypeScript sources directly through tsx's loader: no build step, and the
// same files run in development, tests and production.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('../src/main.ts');
