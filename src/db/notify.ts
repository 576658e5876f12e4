import pg from 'pg';

/**
 * PostgreSQL's LISTEN/NOTIFY, for telling every app server at once that something was
 * committed. Notifications are database-wide while Tamna's tables live in one schema (and
 * a test database holds many), so senders prefix the payload with `current_schema()` and
 * a colon, and a listener passes on only its own schema's payloads, without the prefix.
 *
 * A notification sent while a listener is disconnected is lost: whoever listens must also
 * look for itself now and then (the change feed is polled), and after every (re)connect.
 */
export interface NotificationListener {
  /** Whether the listening connection is up. */
  readonly connected: boolean;
  /** The listening connection's server process (pg_stat_activity.pid), while connected. */
  readonly backendPid: number | null;
  close(): Promise<void>;
}

export interface ListenHooks {
  /** Connected and listening: first or again. Whatever was sent meanwhile was missed. */
  onConnect?: () => void;
  /** The connection failed or dropped; it is tried again after a growing pause. */
  onError?: (error: unknown, retryInMs: number) => void;
  /** The first pause before trying again (doubles to `maxBackoffMs`). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

/** One channel name, as an identifier: never built from input, but checked anyway. */
const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Holds one dedicated connection (outside the query pool) listening on `channel`, and
 * reconnects with backoff when it drops, for as long as the listener is open.
 */
export function listenOn(
  url: string,
  channel: string,
  onPayload: (payload: string) => void,
  hooks: ListenHooks = {},
): NotificationListener {
  if (!CHANNEL.test(channel)) throw new Error(`not a channel name: ${channel}`);
  const minBackoff = hooks.minBackoffMs ?? 250;
  const maxBackoff = hooks.maxBackoffMs ?? 10_000;
  let client: pg.Client | null = null;
  let connected = false;
  let closed = false;
  let failures = 0;
  let retry: NodeJS.Timeout | null = null;
  let backendPid: number | null = null;

  const retryLater = (error: unknown) => {
    connected = false;
    if (closed || retry !== null) return;
    const wait = Math.min(maxBackoff, minBackoff * 2 ** failures);
    failures++;
    hooks.onError?.(error, wait);
    // Jitter, so servers cut off together do not all come back in the same millisecond.
    retry = setTimeout(
      () => {
        retry = null;
        void connect();
      },
      Math.round(wait * (0.75 + Math.random() * 0.5)),
    );
    retry.unref();
  };

  async function connect(): Promise<void> {
    if (closed) return;
    const next = new pg.Client({ connectionString: url, keepAlive: true });
    client = next;
    let dropped = false;
    const drop = (error: unknown) => {
      if (dropped) return;
      dropped = true;
      if (client === next) client = null;
      next.end().catch(() => {});
      retryLater(error);
    };
    next.on('error', drop);
    next.on('end', () => drop(new Error('the listening connection ended')));
    let schema = '';
    next.on('notification', (message) => {
      if (message.channel !== channel || message.payload === undefined) return;
      const at = message.payload.indexOf(':');
      if (at < 0 || message.payload.slice(0, at) !== schema) return;
      onPayload(message.payload.slice(at + 1));
    });
    try {
      await next.connect();
      const found = await next.query<{ schema: string; pid: number }>(
        'select current_schema() as schema, pg_backend_pid() as pid',
      );
      schema = found.rows[0]?.schema ?? '';
      backendPid = found.rows[0]?.pid ?? null;
      await next.query(`listen ${channel}`);
    } catch (error) {
      drop(error);
      return;
    }
    if (closed || dropped) {
      if (!dropped) await next.end().catch(() => {});
      return;
    }
    connected = true;
    failures = 0;
    hooks.onConnect?.();
  }

  void connect();
  return {
    get connected() {
      return connected;
    },
    get backendPid() {
      return connected ? backendPid : null;
    },
    async close() {
      closed = true;
      connected = false;
      if (retry !== null) clearTimeout(retry);
      retry = null;
      const open = client;
      client = null;
      if (open !== null) {
        open.removeAllListeners('end');
        open.removeAllListeners('notification');
        // An error while ending must not reach an unhandled 'error' event.
        open.removeAllListeners('error');
        open.on('error', () => {});
        await open.end().catch(() => {});
      }
    },
  };
}
