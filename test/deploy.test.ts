/**
 * The deployment files in deploy/ as the machine runs them: the nginx site passes `nginx -t`
 * and, running in front of two stub app servers, does what its comments promise; the
 * systemd unit passes `systemd-analyze verify`. A missing nginx, openssl or systemd-analyze
 * is a failure (.ci/run installs them), never a skip.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  nginxTest,
  prepareNginx,
  SITE_FILE,
  startNginx,
  stopNginx,
  type NginxFront,
} from '../src/testing/nginx.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function freePort(): Promise<number> {
  const probe = http.createServer();
  const port = await listen(probe);
  await new Promise((r) => probe.close(r));
  return port;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function fetchVia(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer; ca?: Buffer } = {},
): Promise<Answer> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? 'GET',
        headers: { host: 'news.example.kr', ...options.headers },
        agent: false,
        ...(options.ca === undefined ? {} : { ca: options.ca, servername: 'news.example.kr' }),
      },
      (res) => {
        let body = '';
        res.setEncoding('latin1');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('deploy/nginx/tamna.conf', () => {
  let dir: string;
  let front: NginxFront;
  let nginx: ChildProcess | null = null;
  let httpPort: number;
  let httpsPort: number;
  let ca: Buffer;
  const upstreams: http.Server[] = [];
  /** What each stub app server saw: path and headers. */
  const seen: { server: string; url: string; headers: http.IncomingHttpHeaders }[] = [];
  const https_ = (p: string) => `https://127.0.0.1:${httpsPort}${p}`;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tamna-nginx-'));
    const ports: number[] = [];
    for (const name of ['a', 'b']) {
      const server = http.createServer((req, res) => {
        seen.push({ server: name, url: req.url ?? '', headers: req.headers });
        req.resume();
        req.on('end', () => {
          if (req.url === '/flaky' && name === 'a') {
            res.writeHead(503, { 'content-type': 'text/plain' }).end('stopping');
            return;
          }
          if (req.url?.startsWith('/assets/')) {
            res
              .writeHead(200, {
                'content-type': 'text/css',
                'cache-control': 'public, max-age=31536000, immutable',
              })
              .end('body{color:#111}');
            return;
          }
          // A page large enough that nginx would gzip it if it were allowed to.
          res
            .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
            .end(`<!doctype html><p>${name}</p>${'<p>제주 소식</p>'.repeat(200)}`);
        });
      });
      upstreams.push(server);
      ports.push(await listen(server));
    }
    httpPort = await freePort();
    httpsPort = await freePort();
    front = prepareNginx({ dir, upstreams: ports, httpPort, httpsPort });
    ca = fs.readFileSync(path.join(dir, 'cert.pem'));
  });

  afterAll(async () => {
    if (nginx !== null) await stopNginx(nginx);
    await Promise.all(upstreams.map((s) => new Promise((r) => s.close(r))));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('passes nginx -t, and a syntax error in it fails', () => {
    const good = nginxTest(front);
    expect(good.output).toContain('test is successful');
    expect(good.ok).toBe(true);

    const brokenDir = path.join(dir, 'broken');
    fs.mkdirSync(brokenDir);
    const source = fs
      .readFileSync(SITE_FILE, 'utf8')
      .replace('proxy_next_upstream_tries 3;', 'proxy_next_upstream_tries 3');
    const broken = prepareNginx({ dir: brokenDir, upstreams: [1], httpPort, httpsPort, source });
    const bad = nginxTest(broken);
    expect(bad.ok).toBe(false);
    expect(bad.output).toMatch(/emerg/);
  });

  it('runs in front of the app: HTTPS redirect, HTTP/2, proxy headers, no second gzip', async () => {
    nginx = await startNginx(front, httpsPort);

    const plain = await fetchVia(`http://127.0.0.1:${httpPort}/news/12?from=rss`);
    expect(plain.status).toBe(301);
    expect(plain.headers.location).toBe('https://news.example.kr/news/12?from=rss');

    const page = await fetchVia(https_('/news/12'), {
      ca,
      headers: { 'accept-encoding': 'gzip', 'x-forwarded-for': '6.6.6.6' },
    });
    expect(page.status).toBe(200);
    expect(page.headers['content-encoding']).toBeUndefined();
    const got = seen.findLast((s) => s.url === '/news/12');
    expect(got?.headers).toMatchObject({
      host: 'news.example.kr',
      // The reader's address replaces whatever the client claimed.
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'https',
      'accept-encoding': 'gzip',
    });
    expect(got?.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    // Keepalive to the app: nginx's "Connection: close" is not passed on.
    expect(got?.headers.connection).not.toBe('close');

    const session = http2.connect(https_(''), { ca, servername: 'news.example.kr' });
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = session.request({ ':path': '/', ':authority': 'news.example.kr' });
        req.on('response', (headers) => resolve(Number(headers[':status'])));
        req.on('error', reject);
        req.end();
        req.resume();
      });
      expect(session.alpnProtocol).toBe('h2');
      expect(status).toBe(200);
    } finally {
      session.close();
    }
  });

  it('keeps /assets/, hides /metrics, limits bodies like the app, retries a stopping server', async () => {
    const first = await fetchVia(https_('/assets/site.abc123.css'), { ca });
    const second = await fetchVia(https_('/assets/site.abc123.css'), { ca });
    expect(first.headers['x-cache']).toBe('MISS');
    expect(second.headers['x-cache']).toBe('HIT');
    expect(second.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(seen.filter((s) => s.url === '/assets/site.abc123.css')).toHaveLength(1);

    const metrics = await fetchVia(https_('/metrics'), { ca });
    expect(metrics.status).toBe(403);
    expect(seen.some((s) => s.url === '/metrics')).toBe(false);

    const mb = (n: number) => Buffer.alloc(n * 1024 * 1024, 0x61);
    expect(
      (await fetchVia(https_('/admin/photos'), { ca, method: 'POST', body: mb(26) })).status,
    ).toBe(413);
    const photo = await fetchVia(https_('/admin/photos'), { ca, method: 'POST', body: mb(20) });
    expect(photo.status).toBe(200);
    const ndjson = await fetchVia(https_('/admin/api/import'), {
      ca,
      method: 'POST',
      body: mb(30),
    });
    expect(ndjson.status).toBe(200);

    // Server a answers 503 (it is stopping): every GET still gets server b's page.
    const flaky = await Promise.all(
      Array.from({ length: 6 }, () => fetchVia(https_('/flaky'), { ca })),
    );
    expect(flaky.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(seen.filter((s) => s.url === '/flaky' && s.server === 'b')).toHaveLength(6);
  });
});

describe('deploy/systemd/tamna.service', () => {
  it('passes systemd-analyze verify, with the hardening it promises', () => {
    const unit = fs.readFileSync(path.join(repoRoot, 'deploy/systemd/tamna.service'), 'utf8');
    // verify checks that ExecStart exists: point /opt/tamna at this checkout.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tamna-unit-'));
    try {
      const file = path.join(dir, 'tamna.service');
      fs.writeFileSync(file, unit.replaceAll('/opt/tamna', repoRoot));
      const result = spawnSync('systemd-analyze', ['verify', file], {
        encoding: 'utf8',
        cwd: dir,
      });
      expect(result.error, 'systemd-analyze (apt-get install systemd)').toBeUndefined();
      expect(`${result.stdout}${result.stderr}`).toBe('');
      expect(result.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const settings = new Map(
      unit
        .split('\n')
        .filter((line) => /^[A-Z]\w+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    // The app gives up after drain + 10 s; systemd must wait at least that long.
    expect(Number.parseInt(settings.get('TimeoutStopSec') ?? '', 10)).toBeGreaterThan(10);
    expect(settings.get('MemoryDenyWriteExecute')).toBeUndefined();
    for (const [key, value] of [
      ['NoNewPrivileges', 'yes'],
      ['ProtectSystem', 'strict'],
      ['ReadWritePaths', '/var/lib/tamna'],
      ['PrivateTmp', 'yes'],
      ['CapabilityBoundingSet', ''],
      ['SystemCallFilter', '@system-service'],
      ['Restart', 'on-failure'],
      ['EnvironmentFile', '/etc/tamna/tamna.env'],
    ])
      expect(settings.get(key ?? ''), key).toBe(value);
  });
});

/**
 * Docker cannot run on the machines this project is tested on (no daemon): the image is not
 * built here. What can be checked without it is: the compose file parses (PyYAML, from
 * Debian's python3-yaml) and its parts refer to each other, and the Dockerfile copies only
 * what exists, on the Node major the project pins, as a non-root user.
 */
describe('Dockerfile and deploy/compose.yaml', () => {
  const dockerfile = fs.readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');

  it('builds from the pinned Node major and runs production dependencies as a non-root user', () => {
    const major = fs
      .readFileSync(path.join(repoRoot, '.node-version'), 'utf8')
      .trim()
      .split('.')[0];
    const stages = dockerfile.split(/^FROM /m).slice(1);
    expect(stages.map((s) => s.split('\n')[0])).toEqual([
      `node:${major}-bookworm-slim AS build`,
      `node:${major}-bookworm-slim AS runtime`,
    ]);
    const [build = '', runtime = ''] = stages;
    expect(build).toMatch(/^RUN npm ci\b(?!.*--omit)/m);
    expect(runtime).toMatch(/^RUN npm ci --omit=dev\b/m);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^VOLUME \/app\/data$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n?.*\/healthz/m);
    // Every COPY from the build context names something that is there and not ignored.
    const ignored = fs
      .readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'));
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) =>
      (m[1] ?? '').split(' '),
    );
    expect(sources.length).toBeGreaterThan(3);
    for (const source of sources) {
      expect(fs.existsSync(path.join(repoRoot, source)), source).toBe(true);
      expect(ignored, source).not.toContain(source);
    }
    // What the image starts is the program a service manager runs.
    expect(runtime).toContain('ENTRYPOINT ["/app/bin/tamna.js"]');
  });

  it('has a compose file whose app waits for a healthy PostgreSQL it can reach', () => {
    const parsed = spawnSync(
      'python3',
      [
        '-c',
        'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1], encoding="utf-8"))))',
        path.join(repoRoot, 'deploy/compose.yaml'),
      ],
      { encoding: 'utf8' },
    );
    expect(parsed.error, 'python3 (apt-get install python3-yaml)').toBeUndefined();
    expect(parsed.stderr).toBe('');
    const compose = JSON.parse(parsed.stdout) as {
      services: Record<
        string,
        {
          image?: string;
          build?: { context: string; dockerfile: string };
          depends_on?: Record<string, { condition: string }>;
          environment?: Record<string, string>;
          volumes?: string[];
          ports?: string[];
          healthcheck?: { test: string[] };
          stop_grace_period?: string;
        }
      >;
      volumes: Record<string, unknown>;
    };
    const { app, db } = compose.services;
    expect(db?.image).toMatch(/^postgres:\d+/);
    expect(db?.healthcheck?.test.join(' ')).toContain('pg_isready');
    expect(app?.depends_on).toEqual({ db: { condition: 'service_healthy' } });
    const build = app?.build;
    expect(
      fs.existsSync(
        path.resolve(repoRoot, 'deploy', build?.context ?? '', build?.dockerfile ?? ''),
      ),
    ).toBe(true);
    // The database URL names the db service, and the app's port is the one published.
    const url = new URL(app?.environment?.DATABASE_URL?.replace('${TAMNA_DB_PASSWORD}', 'x') ?? '');
    expect(url.hostname).toBe('db');
    expect(url.username).toBe(db?.environment?.POSTGRES_USER);
    expect(url.pathname).toBe(`/${db?.environment?.POSTGRES_DB}`);
    expect(app?.ports).toEqual(['127.0.0.1:3000:3000']);
    expect(dockerfile).toMatch(/PORT=3000/);
    // Named volumes are declared; the app's goes where the image keeps its data.
    for (const service of [app, db])
      for (const volume of service?.volumes ?? [])
        expect(Object.keys(compose.volumes)).toContain(volume.split(':')[0]);
    expect(app?.volumes).toEqual(['media:/app/data']);
    // Docker's 10 s stop timeout would cut the app's graceful stop short.
    expect(Number.parseInt(app?.stop_grace_period ?? '0', 10)).toBeGreaterThan(10);
  });
});
