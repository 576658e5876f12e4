/**
 * Runs the real `deploy/nginx/tamna.conf` outside /etc: the site file with its ports,
 * certificate, log and cache paths replaced (every replaced text must be found, so a
 * change to the site that the substitutions no longer match fails loudly), wrapped in a
 * main config like Debian's. For the config test (`nginx -t` and a running front) and the
 * rolling-restart benchmark.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './servers.ts';

export const NGINX_PATH = process.env.TAMNA_NGINX ?? '/usr/sbin/nginx';
export const SITE_FILE = fileURLToPath(new URL('../../deploy/nginx/tamna.conf', import.meta.url));

/** Seconds nginx skips an app server after a failed try (the site's `fail_timeout`). */
export function upstreamFailTimeout(source = fs.readFileSync(SITE_FILE, 'utf8')): number {
  const m = /^ {4}server [^;#]* fail_timeout=(\d+)s;/m.exec(source);
  return m === null ? 10 : Number(m[1]);
}

export interface SiteOptions {
  /** App servers' ports on 127.0.0.1, in upstream order. */
  upstreams: readonly number[];
  httpPort: number;
  httpsPort: number;
  certificate: string;
  certificateKey: string;
  /** Logs and the proxy cache go under this directory. */
  dir: string;
}

/**
 * Replaces `from` by `to` outside comments; it must occur exactly `count` times there. A
 * `from` of several lines is matched in the whole text.
 */
function replaceExactly(text: string, from: string, to: string, count: number): string {
  let found = 0;
  let result: string;
  if (from.includes('\n')) {
    found = text.split(from).length - 1;
    result = text.split(from).join(to);
  } else {
    result = text
      .split('\n')
      .map((line) => {
        if (line.trimStart().startsWith('#')) return line;
        found += line.split(from).length - 1;
        return line.split(from).join(to);
      })
      .join('\n');
  }
  if (found !== count)
    throw new Error(
      `deploy/nginx/tamna.conf: expected "${from}" ${count} time(s), found ${found}; update src/testing/nginx.ts with the site file.`,
    );
  return result;
}

/** The site file as this machine runs it (loopback ports, IPv4 only, paths under `dir`). */
export function renderSite(source: string, options: SiteOptions): string {
  const { dir } = options;
  let text = source;
  // The upstream's servers, with the parameters the site gives them.
  const server =
    /^ {4}server 127\.0\.0\.1:3000( [^;]*)?;\n {4}# server 127\.0\.0\.1:3001\1;\n/m.exec(text);
  if (server === null)
    throw new Error(
      'deploy/nginx/tamna.conf: expected the upstream lines "server 127.0.0.1:3000 …;" and "# server 127.0.0.1:3001 …;"; update src/testing/nginx.ts with the site file.',
    );
  text = replaceExactly(
    text,
    server[0],
    options.upstreams.map((port) => `    server 127.0.0.1:${port}${server[1] ?? ''};\n`).join(''),
    1,
  );
  text = replaceExactly(text, '/var/cache/nginx/tamna', path.join(dir, 'cache'), 1);
  text = replaceExactly(text, '/var/log/nginx/', `${dir}/`, 2);
  text = replaceExactly(text, '/var/www/letsencrypt', path.join(dir, 'acme'), 1);
  text = replaceExactly(text, 'listen 80;', `listen 127.0.0.1:${options.httpPort};`, 1);
  text = replaceExactly(
    text,
    'listen 443 ssl http2;',
    `listen 127.0.0.1:${options.httpsPort} ssl http2;`,
    1,
  );
  // The machine may have no IPv6: the [::] listens go.
  text = replaceExactly(text, '    listen [::]:80;\n', '', 1);
  text = replaceExactly(text, '    listen [::]:443 ssl http2;\n', '', 1);
  text = replaceExactly(
    text,
    '/etc/letsencrypt/live/news.example.kr/fullchain.pem',
    options.certificate,
    1,
  );
  text = replaceExactly(
    text,
    '/etc/letsencrypt/live/news.example.kr/privkey.pem',
    options.certificateKey,
    1,
  );
  return text;
}

/**
 * A main config like Debian's /etc/nginx/nginx.conf (gzip on at the http level, as there:
 * the site must turn it off itself), with every path under `dir`.
 */
export function mainConfig(dir: string, siteFile: string, workers = 1): string {
  const temp = (name: string) => `${name}_temp_path ${path.join(dir, 'temp', name)};`;
  return [
    // As root, workers would run as nobody, who cannot enter the test's directories.
    ...(process.getuid?.() === 0 ? ['user root;'] : []),
    `worker_processes ${workers};`,
    `pid ${path.join(dir, 'nginx.pid')};`,
    `error_log ${path.join(dir, 'error.log')} warn;`,
    'events { worker_connections 4096; }',
    'http {',
    '  sendfile on;',
    '  tcp_nopush on;',
    '  types_hash_max_size 2048;',
    '  include /etc/nginx/mime.types;',
    '  default_type application/octet-stream;',
    '  gzip on;',
    `  ${temp('client_body')}`,
    `  ${temp('proxy')}`,
    `  ${temp('fastcgi')}`,
    `  ${temp('uwsgi')}`,
    `  ${temp('scgi')}`,
    `  access_log ${path.join(dir, 'access.log')};`,
    `  include ${siteFile};`,
    '}',
    '',
  ].join('\n');
}

/** A self-signed certificate for news.example.kr and 127.0.0.1 (openssl, one day). */
export function selfSignedCertificate(dir: string): { certificate: string; key: string } {
  const certificate = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  const result = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=news.example.kr',
      '-addext',
      'subjectAltName=DNS:news.example.kr,IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      certificate,
    ],
    { encoding: 'utf8' },
  );
  if (result.error !== undefined || result.status !== 0)
    throw new Error(
      `openssl could not make a test certificate (apt-get install openssl): ${result.error?.message ?? result.stderr}`,
    );
  return { certificate, key };
}

export interface NginxFront {
  /** The generated main config. */
  config: string;
  dir: string;
  args: string[];
}

/**
 * Writes the rendered site and its main config into `dir` (which must exist); returns
 * the command line for nginx. A missing nginx is a failure, never a skip.
 */
export function prepareNginx(
  options: Omit<SiteOptions, 'certificate' | 'certificateKey' | 'dir'> & {
    dir: string;
    workers?: number;
    source?: string;
  },
): NginxFront {
  if (!fs.existsSync(NGINX_PATH))
    throw new Error(
      `nginx not found at ${NGINX_PATH}: install Debian's package (apt-get install nginx) or set TAMNA_NGINX.`,
    );
  const { dir } = options;
  for (const sub of ['temp', 'cache', 'acme'])
    fs.mkdirSync(path.join(dir, sub), { recursive: true });
  const cert = selfSignedCertificate(dir);
  const site = renderSite(options.source ?? fs.readFileSync(SITE_FILE, 'utf8'), {
    ...options,
    certificate: cert.certificate,
    certificateKey: cert.key,
  });
  const siteFile = path.join(dir, 'tamna.conf');
  fs.writeFileSync(siteFile, site);
  const config = path.join(dir, 'nginx.conf');
  fs.writeFileSync(config, mainConfig(dir, siteFile, options.workers));
  // -e: the error log before the config is read (the compiled-in one is under /var/log).
  return { config, dir, args: ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', config] };
}

/**
 * Debian's nginx running deploy/nginx/tamna.conf in `dir` (created here) in front of
 * `upstreams`, on free ports: the process, its HTTPS port, its folder and the self-signed
 * certificate readers must trust.
 */
export async function startNginxFront(
  dir: string,
  upstreams: readonly number[],
): Promise<{ child: ChildProcess; httpsPort: number; dir: string; ca: Buffer }> {
  fs.mkdirSync(dir, { recursive: true });
  const httpsPort = await freePort();
  const front = prepareNginx({ dir, upstreams, httpPort: await freePort(), httpsPort });
  const child = await startNginx(front, httpsPort);
  return { child, httpsPort, dir, ca: fs.readFileSync(path.join(dir, 'cert.pem')) };
}

/** `nginx -t` on the prepared config: whether it passed, and what nginx said. */
export function nginxTest(front: NginxFront): { ok: boolean; output: string } {
  const result = spawnSync(NGINX_PATH, ['-t', ...front.args], { encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

/** Starts nginx in the foreground (a child of this process); resolves once it listens. */
export async function startNginx(front: NginxFront, probePort: number): Promise<ChildProcess> {
  const child = spawn(NGINX_PATH, [...front.args, '-g', 'daemon off;'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited at start:\n${output}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(probePort, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return child;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not listen on ${probePort} within 10 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Stops nginx (fast shutdown) and waits for it. */
export async function stopNginx(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await gone;
}
