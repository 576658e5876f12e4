/**
 * What the benchmarks (`npm run bench`, `bench:beacon`, `bench:search`) share: child
 * processes that every exit path stops, app servers started as production starts them and
 * their memory, a free port, wrk runs and their parsed summaries, report format.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { AppStatsMessage } from './serve-app.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The app server's resident memory target (page benchmark; the search benchmark too). */
export const TARGET_RSS_MB = 250;

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

export { freePort } from '../src/testing/servers.ts';

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

/**
 * A benchmark flag: a whole number in a range (`--duration=8`), a switch (`--quick`), or one
 * of a few words (`--db=sqlite`).
 */
export type FlagSpec =
  { min: number; max: number } | { flag: true } | { choices: readonly [string, ...string[]] };

export type ParsedFlags<S extends Record<string, FlagSpec>> = {
  [K in keyof S]?: S[K] extends { flag: true }
    ? boolean
    : S[K] extends { choices: readonly (infer C)[] }
      ? C
      : number;
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
  const values: Record<string, number | boolean | string> = {};
  for (const [name, flag] of Object.entries(spec)) {
    const value = raw[name];
    if (value === undefined) continue;
    if ('flag' in flag) {
      values[name] = value === true;
      continue;
    }
    if ('choices' in flag) {
      if (typeof value !== 'string' || !flag.choices.includes(value))
        return fail(
          `--${name} needs one of ${flag.choices.join(', ')}, e.g. --${name}=${flag.choices[0]}`,
        );
      values[name] = value;
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
// Servers under test: child processes started as production starts them, tracked so every
// exit path (error, SIGINT) stops them, and plain HTTP requests to them.

export interface Server {
  name: string;
  child: ChildProcess;
  port: number;
  pid: number;
  /** The end of what the child wrote to stdout/stderr, shown when it fails. */
  output: () => string;
}

export async function startServer(
  name: string,
  role: 'app' | 'static',
  args: string[],
  env: Record<string, string>,
  port: number,
  readiness: 'ipc' | 'healthz',
): Promise<Server> {
  const runtime = productionRuntime(path.join(repoRoot, 'bin', 'tamna.js'));
  const bench = path.join(repoRoot, 'bin', 'tamna-bench.js');
  const child = spawn(process.execPath, [...runtime.args, bench, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...runtime.env, ...env, TAMNA_BENCH_CHILD: role },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  track(child);
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 20_000) output = output.slice(-20_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${name} could not be started`);

  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.off('error', onError);
      child.off('message', onMessage);
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(
      () => finish(new Error(`${name} did not become ready within 60 s.\n${output}`)),
      60_000,
    );
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      finish(
        new Error(`${name} exited during start (${signal ?? `exit code ${code}`}).\n${output}`),
      );
    const onError = (error: Error) => finish(error);
    const onMessage = (message: unknown) => {
      if ((message as { type?: unknown }).type === 'ready') finish();
    };
    child.on('exit', onExit);
    child.on('error', onError);
    if (readiness === 'ipc') {
      child.on('message', onMessage);
    } else {
      const poll = () => {
        if (settled) return;
        get(port, '/healthz').then(
          (res) => (res.status === 200 ? finish() : setTimeout(poll, 100)),
          () => setTimeout(poll, 100),
        );
      };
      poll();
    }
  });
  return { name, child, port, pid, output: () => output };
}

export async function stopServer(server: Server): Promise<void> {
  await stopChild(server.child, 5000);
}

export function assertAlive(server: Server): void {
  if (server.child.exitCode !== null || server.child.signalCode !== null) {
    throw new Error(`${server.name} has exited.\n${server.output()}`);
  }
}

// ---------------------------------------------------------------------------------------
// HTTP helpers

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A plain GET, by default with no Accept-Encoding, exactly what wrk sends: identity bytes. */
export function get(
  port: number,
  urlPath: string,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const options = { host: '127.0.0.1', port, path: urlPath, agent: false, headers };
    const req = http.get(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`GET ${urlPath} timed out`)));
    req.on('error', reject);
  });
}

export async function get200(
  server: Server,
  urlPath: string,
  headers: Record<string, string> = {},
): Promise<Buffer> {
  const res = await get(server.port, urlPath, headers);
  if (res.status !== 200) throw new Error(`${server.name}: GET ${urlPath} answered ${res.status}`);
  return res.body;
}

export function appStats(server: Server): Promise<AppStatsMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the app did not answer the stats request')),
      5000,
    );
    const onMessage = (message: unknown) => {
      if ((message as { type?: unknown }).type !== 'stats') return;
      clearTimeout(timer);
      server.child.off('message', onMessage);
      resolve(message as AppStatsMessage);
    };
    server.child.on('message', onMessage);
    server.child.send({ type: 'stats' });
  });
}

export interface Memory {
  rssMb: number;
  peakMb: number;
  /** Of rssMb: anonymous memory (heaps, buffers), and pages of mapped files (node's code). */
  anonMb: number;
  fileMb: number;
}

/** VmRSS / VmHWM of a process, and RssAnon / RssFile of the first, from /proc. */
export function processMemory(pid: number): Memory | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1] ?? NaN);
    const rss = kb('VmRSS');
    const peak = kb('VmHWM');
    if (!Number.isFinite(rss)) return null;
    return {
      rssMb: rss / 1024,
      peakMb: peak / 1024,
      anonMb: kb('RssAnon') / 1024,
      fileMb: kb('RssFile') / 1024,
    };
  } catch {
    return null;
  }
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

/** The p-quantile (0.5, 0.95, ...) of ascending samples, nearest rank. */
export function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

export const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
export const fmtMs = (n: number) => `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms`;
export const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

/** Whether a process with this id exists (EPERM: it does, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
