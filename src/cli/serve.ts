import { createApp } from '../app.ts';
import type { Config } from '../config/index.ts';
import { failureReason } from '../domains/media/index.ts';
import { AppError } from '../shared/errors.ts';
import { isDatabaseEmpty } from './demo/is-empty.ts';
import type { CliIo } from './run.ts';

export async function serveCommand(
  config: Config,
  options: { demoIfEmpty: boolean },
  io: CliIo,
): Promise<number> {
  const app = await createApp(config);
  try {
    if (options.demoIfEmpty && (await isDatabaseEmpty(app.database.db))) {
      // Loaded only when needed: the demo's image generation pulls in sharp (~25 MB resident).
      const { seedDemo } = await import('./demo/seed-demo.ts');
      io.out('Empty database: adding the demo newspaper (sections, articles, photos)...');
      const summary = await seedDemo(app);
      io.out(
        `Demo content added: ${summary.sections} sections, ${summary.articles} articles, ${summary.photos} photos.`,
      );
    }
    await app.http.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new AppError(
        'CONFIG',
        `Port ${config.port} on ${config.host} is already in use; stop the other server or set PORT to a free port.`,
      );
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new AppError(
        'CONFIG',
        `Cannot listen on HOST=${config.host}; use an address of this machine, e.g. 127.0.0.1 or 0.0.0.0.`,
      );
    }
    if (code === 'EACCES') {
      throw new AppError(
        'CONFIG',
        `Not allowed to listen on port ${config.port}; use a port above 1023 or run with the needed permission.`,
      );
    }
    throw error;
  }
  io.out(
    `Tamna is serving ${config.siteUrl} (listening on http://${config.host}:${config.port}, database ${app.database.describe}).`,
  );
  const { media } = app.services;
  const cdn = config.media.s3?.publicBaseUrl ?? null;
  io.out(
    `Media are kept in the ${media.where}${cdn === null ? '' : `; readers get them from ${cdn}`}.`,
  );
  // The site serves pages without its bucket; uploads need it. Said now, not at the first upload.
  if (media.kind === 's3') {
    media
      .check()
      .catch((error: unknown) =>
        io.err(
          `tamna: the media ${media.where} cannot be used (${failureReason(error)}); photo uploads fail until it can.`,
        ),
      );
  }
  // A database from before search (or restored from such a backup) gets its index now,
  // while the site already answers; searches find more as it fills.
  const unindexed = await app.services.search.missing();
  if (unindexed > 0) {
    io.out(`Building the search index for ${unindexed} published articles in the background...`);
    app.services.search
      .reindex()
      .then((n) => io.out(`Search index ready (${n} articles).`))
      .catch((error: unknown) => io.err(`Search index not built: ${(error as Error).message}`));
  }
  if ((await app.services.accounts.listUsers()).length === 0) {
    io.out(
      `No staff account yet: create one with "npx tamna user add --role admin --email you@example.kr", then sign in at ${config.siteUrl}/admin.`,
    );
  }

  // Graceful shutdown: stop accepting, let requests in flight finish, close the database.
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      io.out(`${signal} received: shutting down...`);
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
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
