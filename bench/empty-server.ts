/**
 * The baseline the beacon is measured against: a Fastify server built with the app's own
 * options (pino logger without request logging, trustProxy, body limit, closing 503s)
 * whose `/beacon/view` does nothing but answer 204. The difference to the app is what
 * counting a reading costs (query check, bot test, hash, two memory updates).
 *
 * Spawned by bench/beacon.ts as `TAMNA_BENCH_CHILD=fastify node bin/tamna-bench.js <port>`.
 */
import Fastify, { LogController, type FastifyReply } from 'fastify';
import pino from 'pino';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  process.stderr.write('usage: empty-server.ts <port>\n');
  process.exit(2);
}

const app = Fastify({
  loggerInstance: pino({ level: 'warn' }),
  logController: new LogController({ disableRequestLogging: true }),
  trustProxy: true,
  bodyLimit: 1024 * 1024,
  routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  return503OnClosing: true,
});

const empty = (_request: unknown, reply: FastifyReply) =>
  reply.code(204).header('cache-control', 'no-store').send();
app.route({ method: ['POST', 'GET'], url: '/beacon/view', bodyLimit: 1024, handler: empty });

await app.listen({ host: '127.0.0.1', port });
process.send?.({ type: 'ready', pid: process.pid });

const stop = () => {
  void app.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The runner died: do not outlive it.
process.on('disconnect', stop);
