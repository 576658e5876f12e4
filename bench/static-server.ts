/**
 * The baseline the page cache is measured against: a minimal node:http static file server
 * in its own Node process, serving the HTML the app rendered.
 *
 *   mode "file"   — what a minimal static file server (serve-static, sirv) does per
 *                   request: fs.stat, ETag/Last-Modified from size and mtime, a read
 *                   stream piped to the response. This is the pass/fail baseline.
 *   mode "memory" — the same bytes written from an in-memory Buffer with precomputed
 *                   headers: a stricter reference (about the floor for node:http).
 *
 * Spawned by bench/run.ts as `TAMNA_BENCH_CHILD=static node bin/tamna-bench.js <root> <file|memory> <port>`.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const [rootArg, modeArg, portArg] = process.argv.slice(2);
if (
  rootArg === undefined ||
  (modeArg !== 'file' && modeArg !== 'memory') ||
  portArg === undefined
) {
  process.stderr.write('usage: static-server.ts <root> <file|memory> <port>\n');
  process.exit(2);
}
const root = path.resolve(rootArg);
const mode = modeArg;
const port = Number(portArg);

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};
const contentType = (file: string) => types[path.extname(file)] ?? 'application/octet-stream';
/** serve-static's (etag package) weak validator for files: size and mtime. */
const statTag = (stat: fs.Stats) =>
  `W/"${stat.size.toString(16)}-${stat.mtime.getTime().toString(16)}"`;

/** Maps a URL path to a file under root, refusing anything that escapes it. */
function resolveFile(url: string | undefined): string | null {
  let pathname: string;
  try {
    pathname = decodeURIComponent((url ?? '/').split('?')[0] ?? '/');
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const file = path.join(root, path.normalize(pathname));
  return file.startsWith(root + path.sep) ? file : null;
}

function notFound(res: http.ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '10' });
  res.end('Not Found\n');
}

interface MemoryEntry {
  body: Buffer;
  headers: Record<string, string>;
}

function loadMemory(): Map<string, MemoryEntry> {
  const entries = new Map<string, MemoryEntry>();
  for (const name of fs.readdirSync(root)) {
    const file = path.join(root, name);
    const stat = fs.statSync(file);
    if (!stat.isFile()) continue;
    entries.set(file, {
      body: fs.readFileSync(file),
      headers: {
        'content-type': contentType(file),
        'content-length': String(stat.size),
        etag: statTag(stat),
        'last-modified': stat.mtime.toUTCString(),
        'cache-control': 'public, max-age=0',
        'accept-ranges': 'bytes',
      },
    });
  }
  return entries;
}

const memory = mode === 'memory' ? loadMemory() : null;

const server = http.createServer((req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' });
    res.end();
    return;
  }
  const file = resolveFile(req.url);
  if (file === null) return notFound(res);

  if (memory !== null) {
    const entry = memory.get(file);
    if (entry === undefined) return notFound(res);
    if (req.headers['if-none-match'] === entry.headers.etag) {
      res.writeHead(304, { etag: entry.headers.etag ?? '' });
      res.end();
      return;
    }
    res.writeHead(200, entry.headers);
    res.end(req.method === 'HEAD' ? undefined : entry.body);
    return;
  }

  fs.stat(file, (error, stat) => {
    if (error !== null || !stat.isFile()) return notFound(res);
    const etag = statTag(stat);
    const headers = {
      'content-type': contentType(file),
      'content-length': String(stat.size),
      etag,
      'last-modified': stat.mtime.toUTCString(),
      'cache-control': 'public, max-age=0',
      'accept-ranges': 'bytes',
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag });
      res.end();
      return;
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = fs.createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  });
});

server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => {
  process.send?.({ type: 'ready', pid: process.pid });
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The runner died: do not outlive it.
process.on('disconnect', () => process.exit(0));
