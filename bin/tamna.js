#!/usr/bin/env -S node --max-semi-space-size=16
// Runs the TypeScript sources directly through tsx's loader: no build step, and the
// same files run in development, tests and production.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('../src/main.ts');
