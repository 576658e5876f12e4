import cluster from 'node:cluster';
import pino from 'pino';
import { createApp, createNewsroom, type App, type Newsroom } from '../app.ts';
import type { Config } from '../config/index.ts';
import { failureReason } from '../domains/media/index.ts';
import { AppError } from '../shared/errors.ts';
import { isDatabaseEmpty } from './demo/is-empty.ts';
import type { CliIo } from './run.ts';
import { superviseWorkers, WORKER_SLOT_ENV, workerMessages } from './workers.ts';

/**
 * `tamna serve`: one server process (TAMNA_WORKERS=1), or a primary that prepares the
 * database and runs TAMNA_WORKERS worker processes on one port (node:cluster; see
 * workers.ts). A worker runs this same command and lands in `serveWorker`.
 */
export async function serveCommand(
  config: Config,
  options: { demoIfEmpty: boolean },
  io: CliIo,
): Promise<number> {
  if (cluster.isWorker) return serveWorker(config, io);
  if (config.workers > 1) {
    const prepared = await prepareDatabase(config, options, io);
    return superviseWorkers(config, io, {
      database: prepared.database,
      onServing: () => {
        if (!prepared.staff) noStaffYet(config, io);
      },
    });
  }
  return serveProcess(config, options, io, null);
}

/**
 * What happens once before any worker starts: migrations, the demo paper on an empty
 * database. Returns the database's description and whether it has staff accounts.
 */
async function prepareDatabase(
  config: Config,
  options: { demoIfEmpty: boolean },
  io: CliIo,
): Promise<{ database: string; staff: boolean }> {
  const newsroom = await createNewsroom(config);
  try {
    if (options.demoIfEmpty && (await isDatabaseEmpty(newsroom.database.db)))
      await seed(newsroom, io);
    return {
      database: newsroom.database.describe,
      staff: (await newsroom.services.accounts.listUsers()).length > 0,
    };
  } finally {
    await newsroom.close();
  }
}

async function seed(app: Pick<Newsroom, 'services' | 'clock'>, io: CliIo): Promise<void> {
  // Loaded only when needed: the demo's image generation pulls in sharp (~25 MB resident).
  const { seedDemo } = await import('./demo/seed-demo.ts');
  io.out('Empty database: adding the demo newspaper (sections, articles, photos)...');
  const summary = await seedDemo(app);
  io.out(
    `Demo content added: ${summary.sections} sections, ${summary.articles} articles, ${summary.photos} photos.`,
  );
}

/** A worker of `tamna serve`: serves until told to stop, then leaves the cluster. */
async function serveWorker(config: Config, io: CliIo): Promise<number> {
  const slot = Number(process.env[WORKER_SLOT_ENV] ?? '0');
  try {
    return await serveProcess(config, { demoIfEmpty: false }, io, slot);
  } finally {
    // The channel to the primary would keep this process alive once the server is closed.
    cluster.worker?.disconnect();
  }
}

/**
 * One server process: the whole server (worker `null`), or worker `slot` of several,
 * of which slot 0 also runs the jobs done once per server.
 */
async function serveProcess(
  config: Config,
  options: { demoIfEmpty: boolean },
  io: CliIo,
  slot: number | null,
): Promise<number> {
  const app = await createApp(config, {
    ...(slot === null
      ? {}
      : {
          sharedJobs: slot === 0,
          poolShare: config.workers,
          logger: pino({ level: config.logLevel, base: { app: 'tamna', worker: slot } }),
        }),
  });
  try {
    if (options.demoIfEmpty && (await isDatabaseEmpty(app.database.db))) await seed(app, io);
    await app.http.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close();
    throw listenError(error, config);
  }
  if (slot === null)
    io.out(
      `Tamna is serving ${config.siteUrl} (listening on http://${config.host}:${config.port}, database ${app.database.describe}).`,
    );
  else workerMessages(app);
  if (slot === null || slot === 0) {
    mediaMessages(app, config, io);
    indexInBackground(app, io);
  }
  if (slot === null && (await app.services.accounts.listUsers()).length === 0)
    noStaffYet(config, io);

  // Graceful shutdown: stop accepting, let requests in flight finish, close the database.
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      if (slot === null) io.out(`${signal} received: shutting down...`);
      // Not ready from now on; after the drain, stop accepting, answer the requests in
      // flight, write counts still in memory and close the database, within a bound.
      app.beginShutdown();
      const bound = config.shutdownDrainMs + 10_000;
      const force = setTimeout(() => {
        io.err(`tamna: shutdown took longer than ${bound / 1000} s; exiting anyway.`);
        resolve(1);
      }, bound);
      force.unref();
      new Promise((drained) => setTimeout(drained, config.shutdownDrainMs))
        .then(() => app.close())
        .then(() => resolve(0))
        .catch((error: unknown) => {
          io.err(`tamna: error while shutting down: ${(error as Error).message}`);
          resolve(1);
        });
    };
    // Not `once`: a worker may get the signal twice (from a terminal's process group or
    // systemd's, and forwarded by the primary), and a second one must not kill it mid-drain.
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
}

/** Where media are kept; a bucket is checked now, not at the first upload. */
function mediaMessages(app: App, config: Config, io: CliIo): void {
  const { media } = app.services;
  const cdn = config.media.s3?.publicBaseUrl ?? null;
  io.out(
    `Media are kept in the ${media.where}${cdn === null ? '' : `; readers get them from ${cdn}`}.`,
  );
  // The site serves pages without its bucket; uploads need it.
  if (media.kind === 's3') {
    media
      .check()
      .catch((error: unknown) =>
        io.err(
          `tamna: the media ${media.where} cannot be used (${failureReason(error)}); photo uploads fail until it can.`,
        ),
      );
  }
}

/** A database from before search (or restored from such a backup) gets its index now. */
function indexInBackground(app: App, io: CliIo): void {
  void app.services.search
    .missing()
    .then((unindexed) => {
      if (unindexed === 0) return;
      io.out(`Building the search index for ${unindexed} published articles in the background...`);
      return app.services.search
        .reindex()
        .then((n) => io.out(`Search index ready (${n} articles).`));
    })
    .catch((error: unknown) => io.err(`Search index not built: ${(error as Error).message}`));
}

function noStaffYet(config: Config, io: CliIo): void {
  io.out(
    `No staff account yet: create one with "npx tamna user add --role admin --email you@example.kr", then sign in at ${config.siteUrl}/admin.`,
  );
}

/** Why the server could not listen, in words an operator can act on. */
function listenError(error: unknown, config: Config): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    return new AppError(
      'CONFIG',
      `Port ${config.port} on ${config.host} is already in use; stop the other server or set PORT to a free port.`,
    );
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return new AppError(
      'CONFIG',
      `Cannot listen on HOST=${config.host}; use an address of this machine, e.g. 127.0.0.1 or 0.0.0.0.`,
    );
  if (code === 'EACCES')
    return new AppError(
      'CONFIG',
      `Not allowed to listen on port ${config.port}; use a port above 1023 or run with the needed permission.`,
    );
  return error;
}
