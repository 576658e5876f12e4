import cluster, { type Worker } from 'node:cluster';
import type { App } from '../app.ts';
import type { Config } from '../config/index.ts';
import type { CliIo } from './run.ts';

/**
 * `tamna serve` with TAMNA_WORKERS > 1: this process (the primary) prepares the database
 * once, then runs that many worker processes, each a whole server, on one port through
 * node:cluster, whose primary accepts connections and hands them to the workers in turn.
 *
 * - Worker slot 0 also runs the jobs done once per server (pruning, webhook delivery,
 *   the weather refresh); every worker reads the change feed and flushes its own counts
 *   (they add up). A replacement takes over its predecessor's slot.
 * - A change made in one worker drops the other workers' pages at once: PostgreSQL's
 *   NOTIFY reaches every worker; on SQLite, the worker tells the primary, which tells the
 *   others to read the change feed now (and each polls it every 2 s anyway).
 * - A worker that dies is replaced (at once, or after a growing pause if replacements keep
 *   dying young); one that fails during the first start ends the whole server.
 * - SIGTERM or SIGINT: every worker drains (/readyz 503 for TAMNA_SHUTDOWN_DRAIN_SECONDS),
 *   finishes its requests, writes its counts and closes; then the primary exits.
 */

/** The environment variable that gives a worker its slot (0 … workers − 1). */
export const WORKER_SLOT_ENV = 'TAMNA_WORKER_SLOT';

type Message = { type: 'tamna:changed' } | { type: 'tamna:read-changes' };

function isMessage(value: unknown, type: Message['type']): boolean {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === type;
}

/**
 * A worker's side: on SQLite (no NOTIFY), say when this worker recorded a change, and read
 * the change feed when the primary says a sibling did.
 */
export function workerMessages(app: App): void {
  if (app.database.dialect === 'sqlite')
    app.onRecorded(() => {
      if (process.connected) process.send?.({ type: 'tamna:changed' } satisfies Message);
    });
  process.on('message', (message: unknown) => {
    if (isMessage(message, 'tamna:read-changes')) app.watch.changesSoon();
  });
}

/** A replacement for a worker that lived less than this waits (1 s, doubling to 30 s). */
const YOUNG_MS = 10_000;
const MAX_RESTART_PAUSE_MS = 30_000;

/**
 * Runs the workers until SIGTERM or SIGINT; the database is ready (migrated) by then.
 * `prepared.database` names it in the start line; `onServing` runs once all listen.
 */
export async function superviseWorkers(
  config: Config,
  io: CliIo,
  prepared: { database: string; onServing: () => void },
): Promise<number> {
  const slots = new Map<number, { worker: Worker; startedAt: number; listening: boolean }>();
  let serving = false;
  let stopping = false;
  let youngDeaths = 0;
  let exitCode = 0;
  let finish: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (finish = resolve));

  // The environment (a .env file included) is inherited: workers need not read .env again.
  cluster.setupPrimary({ execArgv: withoutEnvFile(process.execArgv) });
  const fork = (slot: number): Worker => {
    const worker = cluster.fork({ [WORKER_SLOT_ENV]: String(slot) });
    slots.set(slot, { worker, startedAt: Date.now(), listening: false });
    return worker;
  };
  const listening = (worker: Worker) =>
    new Promise<boolean>((resolve) => {
      worker.once('listening', () => resolve(true));
      worker.once('exit', () => resolve(false));
    });

  cluster.on('listening', (worker) => {
    for (const entry of slots.values()) if (entry.worker === worker) entry.listening = true;
  });
  cluster.on('message', (from, message: unknown) => {
    if (!isMessage(message, 'tamna:changed')) return;
    for (const { worker } of slots.values()) {
      if (worker === from || !worker.isConnected()) continue;
      // A worker that just died misses it; its replacement starts with an empty cache.
      worker.send({ type: 'tamna:read-changes' } satisfies Message, () => {});
    }
  });
  cluster.on('exit', (worker, code, signal) => {
    const slot = [...slots].find(([, entry]) => entry.worker === worker)?.[0];
    if (slot === undefined) return;
    const entry = slots.get(slot);
    slots.delete(slot);
    if (stopping) {
      // A worker that could not stop cleanly (or was killed) makes the whole stop fail.
      if (code !== 0) exitCode ||= code ?? 1;
      if (slots.size === 0) finish(exitCode);
      return;
    }
    if (!serving) {
      // The first start failed (the worker said why): no point in trying again.
      stop('a worker failed to start', 1);
      return;
    }
    const how = signal === null ? `exited with code ${code}` : `was killed by ${signal}`;
    const lived = Date.now() - (entry?.startedAt ?? 0);
    youngDeaths = lived < YOUNG_MS || entry?.listening !== true ? youngDeaths + 1 : 0;
    const pause =
      youngDeaths <= 1 ? 0 : Math.min(MAX_RESTART_PAUSE_MS, 1_000 * 2 ** (youngDeaths - 2));
    io.err(
      `tamna: worker ${slot} (pid ${worker.process.pid}) ${how}; starting a new one${pause > 0 ? ` in ${pause / 1000} s` : ''}.`,
    );
    // Not unref'd: with every worker gone, this timer is what keeps the primary running.
    setTimeout(() => {
      if (!stopping) fork(slot);
    }, pause);
  });

  const stop = (why: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    if (code === 0) io.out(`${why}: shutting down ${slots.size} workers...`);
    if (slots.size === 0) finish(code);
    for (const { worker } of slots.values()) worker.process.kill('SIGTERM');
    // Each worker bounds its own stop (drain + 10 s); this one catches a stuck worker.
    const bound = config.shutdownDrainMs + 15_000;
    setTimeout(() => {
      io.err(`tamna: workers still running ${bound / 1000} s after ${why}; killing them.`);
      for (const { worker } of slots.values()) worker.process.kill('SIGKILL');
      finish(1);
    }, bound).unref();
  };
  // A terminal's Ctrl-C (and systemd's stop) reaches the workers too; the primary then
  // only waits for them, and a second signal changes nothing.
  process.on('SIGTERM', () => stop('SIGTERM received'));
  process.on('SIGINT', () => stop('SIGINT received'));

  // The first worker alone (it builds what the others then find ready, and a bad setting
  // shows once), then the rest together.
  if (await listening(fork(0))) {
    const rest = Array.from({ length: config.workers - 1 }, (_, i) => listening(fork(i + 1)));
    if ((await Promise.all(rest)).every(Boolean) && !stopping) {
      serving = true;
      io.out(
        `Tamna is serving ${config.siteUrl} (listening on http://${config.host}:${config.port}, database ${prepared.database}, ${config.workers} workers).`,
      );
      prepared.onServing();
    }
  }
  const code = await done;
  return exitCode !== 0 ? exitCode : code;
}

/** Node's options without --env-file[-if-exists] (`=FILE` or a separate FILE). */
function withoutEnvFile(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (/^--env-file(-if-exists)?$/.test(arg)) i++;
    else if (!/^--env-file(-if-exists)?=/.test(arg)) out.push(arg);
  }
  return out;
}
