/**
 * Real `tamna serve` processes for tests: started as systemd starts them (bin/tamna.js),
 * waited for until /readyz says 200, killed or stopped; and a small HTTP client that can
 * keep to one connection (so, behind node:cluster, to one worker) with the newsroom's
 * sign-in and form posts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/tamna.js');

/** A port free on 127.0.0.1 now (the probe never keeps the process alive). */
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

/** Runs `bin/tamna.js <args>` to the end; its output (a non-zero exit throws). */
export async function tamna(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(BIN, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`tamna ${args.join(' ')} exited ${code}:\n${out}`);
  return out;
}

/** One `tamna serve`: started, waited for until ready, killed or stopped. */
export class ServerProcess {
  child: ChildProcess | null = null;
  output = '';
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | null = null;

  constructor(
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    const pid = this.child?.pid;
    if (pid === undefined) throw new Error('not started');
    return pid;
  }

  /** Starts it and waits until /readyz answers 200; the milliseconds that took. */
  async start(timeoutMs = 60_000): Promise<number> {
    const started = performance.now();
    const child = spawn(BIN, ['serve'], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.exit = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const collect = (c: Buffer) => (this.output = (this.output + c.toString()).slice(-50_000));
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`tamna serve exited during start:\n${this.output}`);
      if (performance.now() - started > timeoutMs)
        throw new Error(`tamna serve not ready within ${timeoutMs / 1000} s:\n${this.output}`);
      if ((await status(this.port, '/readyz')) === 200) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The crash: SIGKILL, no chance to flush or close anything. */
  async kill(): Promise<void> {
    const child = this.child;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await this.exit;
  }

  /** SIGTERM, as systemd stops it (SIGKILL after 30 s); how it exited. */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null } | null> {
    const child = this.child;
    if (child === null) return null;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await this.exit;
      clearTimeout(force);
    }
    return this.exit;
  }
}

/** A GET's status, 0 when nothing answered. */
export function status(port: number, urlPath: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.setTimeout(5_000, () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Client {
  get(url: string, headers?: Record<string, string>): Promise<Answer>;
  post(url: string, body: string | Buffer, headers?: Record<string, string>): Promise<Answer>;
  /** Form POSTs as the signed-in staff member (after `signIn`), CSRF token included. */
  form(url: string, fields?: Record<string, string>): Promise<Answer>;
  /** Signs in with a one-time password from `tamna user add` and replaces it. */
  signIn(email: string, oneTimePassword: string): Promise<void>;
  /** The signed-in session's cookie (to use it through another client). */
  session: { cookie: string; csrf: string } | null;
  close(): void;
}

/**
 * Requests to one server. `pinned`: over one kept-alive connection, so node:cluster
 * hands every request to the same worker (connections are what it distributes). `ca`:
 * over TLS to nginx in front (src/testing/nginx.ts), trusting its test certificate.
 */
export function client(port: number, options: { pinned?: boolean; ca?: Buffer } = {}): Client {
  const tls = options.ca !== undefined;
  const agent = options.pinned
    ? new (tls ? https : http).Agent({ keepAlive: true, maxSockets: 1 })
    : undefined;
  const send = (
    method: string,
    url: string,
    body: string | Buffer | null,
    headers: Record<string, string>,
  ): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = (tls ? https : http).request(
        {
          host: '127.0.0.1',
          port,
          path: url,
          method,
          ...(agent === undefined ? { agent: false } : { agent }),
          ...(tls ? { ca: options.ca, servername: 'news.example.kr' } : {}),
          headers: {
            ...(tls ? { host: 'news.example.kr' } : {}),
            ...(self.session === null ? {} : { cookie: self.session.cookie }),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString(),
            }),
          );
          res.on('error', reject);
        },
      );
      req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${url}: no answer in 10 s`)));
      req.on('error', reject);
      req.end(body ?? undefined);
    });
  const formType = { 'content-type': 'application/x-www-form-urlencoded' };
  const self: Client = {
    session: null,
    get: (url, headers = {}) => send('GET', url, null, headers),
    post: (url, body, headers = {}) => send('POST', url, body, headers),
    form: (url, fields = {}) =>
      send(
        'POST',
        url,
        new URLSearchParams({ _csrf: self.session?.csrf ?? '', ...fields }).toString(),
        formType,
      ),
    async signIn(email, oneTimePassword) {
      const page = await self.get('/admin/login');
      const loginCsrf = cookieOf(page, 'tamna_login_csrf') ?? '';
      const login = await send(
        'POST',
        '/admin/login',
        new URLSearchParams({
          _csrf: loginCsrf,
          email,
          password: oneTimePassword,
          next: '/admin',
        }).toString(),
        { ...formType, cookie: `tamna_login_csrf=${loginCsrf}` },
      );
      if (login.status !== 303) throw new Error(`sign-in: ${login.status} ${login.body}`);
      self.session = {
        cookie: `tamna_session=${cookieOf(login, 'tamna_session') ?? ''}`,
        csrf: '',
      };
      const csrfOf = async (url: string) =>
        /<meta name="csrf-token" content="([^"]+)"/.exec((await self.get(url)).body)?.[1] ?? '';
      self.session.csrf = await csrfOf('/admin/account');
      const changed = await self.form('/admin/account/password', {
        current: oneTimePassword,
        next: '한라산-백록담-2026!',
      });
      if (changed.status !== 303)
        throw new Error(`password change: ${changed.status} ${changed.body}`);
      self.session.csrf = await csrfOf('/admin');
    },
    close: () => agent?.destroy(),
  };
  return self;
}

function cookieOf(answer: Answer, name: string): string | null {
  for (const line of answer.headers['set-cookie'] ?? []) {
    const m = new RegExp(`^${name}=([^;]*)`).exec(line);
    if (m) return m[1] ?? null;
  }
  return null;
}

/** The process that answered: the request id's prefix (random per process, see http/server). */
export function answeredBy(answer: Answer): string {
  const id = answer.headers['x-request-id'];
  return typeof id === 'string' ? (id.split('-')[0] ?? '') : '';
}

/** The one-time password `tamna user add` printed. */
export function oneTimePassword(output: string): string {
  const found = /임시 비밀번호: (\S+)/.exec(output)?.[1];
  if (found === undefined) throw new Error(`no one-time password in:\n${output}`);
  return found;
}

/** Polls `check` every 10 ms until it holds; the milliseconds it took (throws past `ms`). */
export async function within(
  ms: number,
  check: () => Promise<boolean> | boolean,
  what: string,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
