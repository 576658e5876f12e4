/**
 * What both benchmarks (`npm run bench`, `npm run bench:beacon`) need: child processes that
 * every exit path stops, a free port, wrk runs and their parsed summaries, report format.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { parseArgs } from 'node:util';

const children = new Set<ChildProcess>();
/** Work for the way out (temporary directories), run once with the children's kill. */
export const cleanups: Array<() => void> = [];

export function track(child: ChildProcess): void {
  children.add(child);
}

export function untrack(child: ChildProcess): void {
  children.delete(child);
}

export function killAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  for (const cleanup of cleanups.splice(0)) {
    try {
      cleanup();
    } catch {
      // Best effort on the way out.
    }
  }
}

process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    process.stderr.write(`\nbench: ${signal} received, stopping servers.\n`);
    killAll();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** SIGTERM, as a process manager stops a server (SIGKILL after `graceMs`); its exit code. */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) {
    untrack(child);
    return child.exitCode;
  }
  const code = await new Promise<number | null>((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', (c) => {
      clearTimeout(force);
      resolve(c);
    });
    child.kill('SIGTERM');
  });
  untrack(child);
  return code;
}

// ---------------------------------------------------------------------------------------
// Options

/**
 * How production starts Node: the environment and flags on bin/tamna.js's first line
 * (`#!/usr/bin/env -S NAME=value node --flag`), so benchmark servers run as `npm start` does.
 */
export function productionRuntime(binFile: string): {
  env: Record<string, string>;
  args: string[];
} {
  const first = fs.readFileSync(binFile, 'utf8').split('\n', 1)[0] ?? '';
  const words = first
    .replace(/^#!\S*env\s+-S\s+/, '')
    .split(/\s+/)
    .filter(Boolean);
  const env: Record<string, string> = {};
  const args: string[] = [];
  let seenNode = false;
  for (const word of words) {
    if (!seenNode && /^[A-Z_][A-Z0-9_]*=/.test(word)) {
      const at = word.indexOf('=');
      env[word.slice(0, at)] = word.slice(at + 1);
    } else if (!seenNode) seenNode = word === 'node';
    else args.push(word);
  }
  return { env, args };
}

/** What the servers run with, for the report's header: bin/tamna.js's line and NODE_OPTIONS. */
export function runtimeLabel(binFile: string): string {
  const { env, args } = productionRuntime(binFile);
  const parts = [...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...args];
  const options = process.env.NODE_OPTIONS?.trim() ?? '';
  if (options !== '') parts.push(`NODE_OPTIONS=${options}`);
  return parts.length === 0 ? '' : ` (${parts.join(' ')})`;
}

/** A benchmark flag: a whole number in a range (`--duration=8`), or a switch (`--quick`). */
export type FlagSpec = { min: number; max: number } | { flag: true };

export type ParsedFlags<S extends Record<string, FlagSpec>> = {
  [K in keyof S]?: S[K] extends { flag: true } ? boolean : number;
};

/**
 * Parses `--name=N` and `--name N` with node:util's parseArgs, then checks each number's
 * range. Returns the values given, or what to print and the exit code (0 for --help).
 */
export function parseBenchFlags<S extends Record<string, FlagSpec>>(
  argv: string[],
  spec: S,
  usage: string,
): { values: ParsedFlags<S> } | { print: string; exitCode: number } {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, flag] of Object.entries(spec))
    options[name] = { type: 'flag' in flag ? 'boolean' : 'string' };
  const fail = (problem: string) => ({ print: `bench: ${problem}\n\n${usage}\n`, exitCode: 2 });
  let raw: Record<string, string | boolean | undefined>;
  try {
    raw = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    return fail((error as Error).message.replace(/\. To specify.*$/s, ''));
  }
  if (raw.help === true) return { print: `${usage}\n`, exitCode: 0 };
  const values: Record<string, number | boolean> = {};
  for (const [name, flag] of Object.entries(spec)) {
    const value = raw[name];
    if (value === undefined) continue;
    if ('flag' in flag) {
      values[name] = value === true;
      continue;
    }
    const n = Number(value);
    if (typeof value !== 'string' || !/^\d+$/.test(value) || n < flag.min || n > flag.max)
      return fail(
        `--${name} needs a whole number from ${flag.min} to ${flag.max}, e.g. --${name}=${flag.min}`,
      );
    values[name] = n;
  }
  return { values: values as ParsedFlags<S> };
}

// ---------------------------------------------------------------------------------------
// wrk

export interface WrkResult {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  bytesPerResponse: number;
  /** Socket errors of every kind (connect, read, write, timeout). */
  errors: number;
  non2xx: number;
}

function parseDuration(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (m === null) return NaN;
  const value = Number(m[1]);
  const unit = m[2];
  return unit === 'us'
    ? value / 1000
    : unit === 'ms'
      ? value
      : unit === 's'
        ? value * 1000
        : value * 60_000;
}

function parseSize(text: string): number {
  const m = /^([\d.]+)([KMGT]?B)$/.exec(text.trim());
  if (m === null) return NaN;
  const scale: Record<string, number> = {
    B: 1,
    KB: 1024,
    MB: 1024 ** 2,
    GB: 1024 ** 3,
    TB: 1024 ** 4,
  };
  return Number(m[1]) * (scale[m[2] ?? 'B'] ?? 1);
}

/** The summary wrk prints with `--latency`. */
export function parseWrk(output: string): WrkResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(output);
  const p50 = /^\s+50%\s+(\S+)/m.exec(output);
  const p99 = /^\s+99%\s+(\S+)/m.exec(output);
  const total = /(\d+) requests in [\d.]+\w+, ([\d.]+[KMGT]?B) read/.exec(output);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    output,
  );
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(output);
  if (rps === null || p99 === null || p50 === null || total === null)
    throw new Error(`cannot parse wrk output:\n${output}`);
  const requests = Number(total[1]);
  return {
    requestsPerSec: Number(rps[1]),
    p50Ms: parseDuration(p50[1] ?? ''),
    p99Ms: parseDuration(p99[1] ?? ''),
    requests,
    bytesPerResponse: requests > 0 ? parseSize(total[2] ?? '') / requests : 0,
    errors: socket === null ? 0 : socket.slice(1).reduce((sum, n) => sum + Number(n), 0),
    non2xx: non2xx === null ? 0 : Number(non2xx[1]),
  };
}

/** Runs wrk with these arguments (about `seconds` long) and returns everything it printed. */
export async function runWrk(args: string[], seconds: number): Promise<string> {
  const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 15) * 1000);
    child.once('error', reject);
    child.once('exit', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  untrack(child);
  if (code !== 0) throw new Error(`wrk ${args.join(' ')} failed (exit ${code}):\n${out}`);
  return out;
}

// ---------------------------------------------------------------------------------------
// Report

export const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
export const fmtMs = (n: number) => `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms`;
export const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
