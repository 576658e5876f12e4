import net from 'node:net';

/** One purge as the fake CDN understood it. */
export interface ReceivedPurge {
  api: 'cloudflare' | 'fastly' | 'http';
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Tags (Cloudflare `tags`, Fastly `surrogate_keys`, a BAN's X-Purge-Tags). */
  tags: string[];
  /** Addresses (Cloudflare `files`, Fastly's /purge/<url>, a PURGE's Host + path). */
  urls: string[];
  /** Cloudflare files' CF-Device-Type, a PURGE's X-Tamna-Device. */
  devices: string[];
  /** A PURGE's Accept-Encoding ('' without one). */
  encoding?: string;
  /** Fastly-Soft-Purge: 1. */
  soft: boolean;
  /** When it arrived (the test's clock, not the wall). */
  at: number;
}

export interface FakeCdn {
  /** http://127.0.0.1:<port>: the Fastly API root, a Varnish/nginx endpoint. */
  url: string;
  /** The Cloudflare API root (TAMNA_CDN_API_URL for cloudflare). */
  cloudflareApi: string;
  received: ReceivedPurge[];
  /** ok: purges accepted; fail: 500 with an error body; limit: 429 with Retry-After. */
  mode: 'ok' | 'fail' | 'limit' | 'unauthorized';
  /** Time taken before answering (makes two app servers' passes overlap). */
  delayMs: number;
  /** Requests refused (wrong key, too many items, malformed). */
  refused: string[];
  close(): Promise<void>;
}

export const CLOUDFLARE_ZONE = '0123456789abcdef0123456789abcdef';
export const CLOUDFLARE_TOKEN = 'cf-test-token-0123456789abcdef';
export const FASTLY_SERVICE = 'SU1Z0isxPaozGVKXdv0eY';
export const FASTLY_KEY = 'fastly-test-key-0123456789';

interface Request {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Reads one HTTP/1.1 request (BAN and PURGE included, which Node's own parser refuses). */
function readRequest(socket: net.Socket): Promise<Request | null> {
  return new Promise((resolve) => {
    let buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffer.subarray(0, end).toString('latin1').split('\r\n');
      const [method = '', path = ''] = (head[0] ?? '').split(' ');
      const headers: Record<string, string> = {};
      for (const line of head.slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0)
          headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const length = Number(headers['content-length'] ?? 0);
      if (buffer.length < end + 4 + length) return;
      socket.off('data', onData);
      resolve({
        method,
        path,
        headers,
        body: buffer.subarray(end + 4, end + 4 + length).toString('utf8'),
      });
    };
    socket.on('data', onData);
    socket.on('error', () => resolve(null));
    socket.on('end', () => resolve(null));
  });
}

function respond(
  socket: net.Socket,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const lines = [
    `HTTP/1.1 ${status} ${status === 200 ? 'OK' : 'Error'}`,
    'content-type: application/json',
    `content-length: ${Buffer.byteLength(text)}`,
    'connection: close',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    '',
    '',
  ];
  socket.end(lines.join('\r\n') + text);
}

/**
 * A CDN's purge APIs written for the tests, after their public documentation: Cloudflare's
 * `POST /client/v4/zones/<zone>/purge_cache` (Bearer token; `tags` or `files`, at most 100
 * an API call), Fastly's `POST /service/<id>/purge` (Fastly-Key; `surrogate_keys`, at most
 * 256; Fastly-Soft-Purge) and `POST /purge/<host/path>`, and a Varnish/nginx that takes
 * `BAN /` with X-Purge-Tags and `PURGE <path>`. `now` dates what arrives.
 */
export async function startFakeCdn(now: () => number): Promise<FakeCdn> {
  const sockets = new Set<net.Socket>();
  const cdn: FakeCdn = {
    url: '',
    cloudflareApi: '',
    received: [],
    mode: 'ok',
    delayMs: 0,
    refused: [],
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  function handle(request: Request): {
    status: number;
    body: unknown;
    headers?: Record<string, string>;
  } {
    const refuse = (status: number, why: string) => {
      cdn.refused.push(`${request.method} ${request.path}: ${why}`);
      return { status, body: { success: false, errors: [{ code: 1000 + status, message: why }] } };
    };
    const failure = () =>
      cdn.mode === 'limit'
        ? {
            status: 429,
            body: {
              success: false,
              errors: [
                { code: 971, message: 'Please wait and consider throttling your request speed' },
              ],
            },
            headers: { 'retry-after': '30' },
          }
        : cdn.mode === 'unauthorized'
          ? {
              status: 403,
              body: { success: false, errors: [{ code: 10000, message: 'Authentication error' }] },
            }
          : {
              status: 500,
              body: {
                success: false,
                errors: [{ code: 1100, message: 'purge backend unavailable' }],
              },
            };
    const base = {
      method: request.method,
      path: request.path,
      headers: request.headers,
      at: now(),
    };

    const cloudflare = /^\/client\/v4\/zones\/([^/]+)\/purge_cache$/.exec(request.path);
    if (request.method === 'POST' && cloudflare !== null) {
      if (cloudflare[1] !== CLOUDFLARE_ZONE) return refuse(404, 'unknown zone');
      if (request.headers.authorization !== `Bearer ${CLOUDFLARE_TOKEN}`)
        return refuse(403, 'bad token');
      if (cdn.mode !== 'ok') return failure();
      let body: { tags?: unknown; files?: unknown };
      try {
        body = JSON.parse(request.body) as typeof body;
      } catch {
        return refuse(400, 'malformed JSON');
      }
      const tags = Array.isArray(body.tags) ? body.tags.map(String) : [];
      const files = Array.isArray(body.files) ? body.files : [];
      if (tags.length + files.length === 0) return refuse(400, 'nothing to purge');
      if (tags.length > 100 || files.length > 100) return refuse(400, 'more than 100 per call');
      const urls: string[] = [];
      const devices: string[] = [];
      for (const f of files as Array<string | { url: string; headers?: Record<string, string> }>) {
        if (typeof f === 'string') urls.push(f);
        else {
          urls.push(f.url);
          const device = f.headers?.['CF-Device-Type'];
          if (device !== undefined) devices.push(device);
        }
      }
      cdn.received.push({ ...base, api: 'cloudflare', tags, urls, devices, soft: false });
      return {
        status: 200,
        body: { success: true, errors: [], messages: [], result: { id: 'purge-1' } },
      };
    }

    const fastlyKeys = /^\/service\/([^/]+)\/purge$/.exec(request.path);
    const fastlyUrl = /^\/purge\/(.+)$/.exec(request.path);
    if (request.method === 'POST' && (fastlyKeys !== null || fastlyUrl !== null)) {
      if (request.headers['fastly-key'] !== FASTLY_KEY) return refuse(401, 'bad key');
      if (fastlyKeys !== null && fastlyKeys[1] !== FASTLY_SERVICE)
        return refuse(404, 'unknown service');
      if (cdn.mode !== 'ok') return failure();
      const soft = request.headers['fastly-soft-purge'] === '1';
      if (fastlyUrl !== null) {
        cdn.received.push({
          ...base,
          api: 'fastly',
          tags: [],
          urls: [fastlyUrl[1] ?? ''],
          devices: [],
          soft,
        });
        return { status: 200, body: { status: 'ok', id: 'purge-url' } };
      }
      let keys: unknown;
      try {
        keys = (JSON.parse(request.body) as { surrogate_keys?: unknown }).surrogate_keys;
      } catch {
        return refuse(400, 'malformed JSON');
      }
      if (!Array.isArray(keys) || keys.length === 0) return refuse(400, 'no surrogate_keys');
      if (keys.length > 256) return refuse(400, 'more than 256 keys');
      cdn.received.push({
        ...base,
        api: 'fastly',
        tags: keys.map(String),
        urls: [],
        devices: [],
        soft,
      });
      return { status: 200, body: Object.fromEntries(keys.map((k) => [String(k), 'purge-id'])) };
    }

    if (request.method === 'BAN' || request.method === 'PURGE') {
      if (cdn.mode !== 'ok') return failure();
      const host = request.headers.host ?? '';
      if (request.method === 'BAN') {
        const tags = (request.headers['x-purge-tags'] ?? '').split(' ').filter((t) => t !== '');
        if (tags.length === 0) return refuse(400, 'BAN without X-Purge-Tags');
        cdn.received.push({ ...base, api: 'http', tags, urls: [], devices: [], soft: false });
        return { status: 200, body: 'Banned' };
      }
      const device = request.headers['x-tamna-device'];
      cdn.received.push({
        ...base,
        api: 'http',
        tags: [],
        urls: [`https://${host}${request.path}`],
        devices: device === undefined ? [] : [device],
        encoding: request.headers['accept-encoding'] ?? '',
        soft: false,
      });
      // nginx's cache_purge answers 404 for a page it did not hold.
      return { status: request.path.includes('not-cached') ? 404 : 200, body: 'Purged' };
    }
    return refuse(404, 'no such API');
  }

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    void readRequest(socket).then((request) => {
      if (request === null) return socket.destroy();
      const answer = handle(request);
      const send = () => respond(socket, answer.status, answer.body, answer.headers);
      if (cdn.delayMs > 0) setTimeout(send, cdn.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  cdn.url = `http://127.0.0.1:${port}`;
  cdn.cloudflareApi = `${cdn.url}/client/v4`;
  return cdn;
}
