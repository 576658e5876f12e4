/**
 * Crash safety, measured: the real server (`bin/tamna.js serve`, its own process) under a
 * newsroom write load through the admin forms and the import API, with reader beacons,
 * is killed with SIGKILL mid-load and started again. Every write that was answered before
 * the kill must be there, as sent; reader counts may lose at most the last flush window
 * (5 s, README "Reader counts"). Once on SQLite (a data directory) and once on PostgreSQL
 * (a fresh schema). The numbers are printed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { Config } from '../src/config/index.ts';
import { connectDatabase, type DialectName } from '../src/db/index.ts';
import { postgresUrl, testDialects } from '../src/testing/databases.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(repoRoot, 'bin', 'tamna.js');

/** Load before the kill; the target is at least 500 article writes a minute. */
const LOAD_MS = 12_000;
const TARGET_WRITES_PER_MINUTE = 500;
/** README: counts are written every 5 s, so a crash loses at most the last 5 s. */
const COUNT_WINDOW_MS = 5_000;
/** A flush in progress when the process dies is lost too: its transaction's time. */
const FLUSH_SLACK_MS = 1_000;
const EDITOR_WORKERS = 3;
const IMPORT_BATCH = 5;
const BEACON_WORKERS = 2;
const BROWSER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
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

/** Runs `bin/tamna.js <args>` to the end; its output. */
async function tamna(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  const child = spawn(BIN, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`tamna ${args.join(' ')} exited ${code}:\n${out}`);
  return out;
}

/** One run of `tamna serve`: started, waited for until ready, killed or stopped. */
class ServerProcess {
  private child: ChildProcess | null = null;
  output = '';
  constructor(
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
    private readonly cwd: string,
  ) {}

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<number> {
    const started = performance.now();
    const child = spawn(BIN, ['serve'], {
      cwd: this.cwd,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const collect = (c: Buffer) => (this.output = (this.output + c.toString()).slice(-20_000));
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`tamna serve exited during start:\n${this.output}`);
      if (performance.now() - started > 60_000)
        throw new Error(`tamna serve not ready within 60 s:\n${this.output}`);
      const ready = await fetch(`${this.base}/readyz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ready) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The crash: SIGKILL, no chance to flush or close anything. */
  async kill(): Promise<void> {
    const child = this.child;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await gone;
    clearTimeout(force);
  }
}

function setCookies(res: Response): Map<string, string> {
  const jar = new Map<string, string>();
  for (const line of res.headers.getSetCookie()) {
    const m = /^([^=]+)=([^;]*)/.exec(line);
    if (m?.[1] !== undefined) jar.set(m[1], m[2] ?? '');
  }
  return jar;
}

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** Signs in with the CLI's one-time password, replaces it as the admin demands; cookie and CSRF. */
async function signIn(base: string, email: string, oneTimePassword: string) {
  const page = await fetch(`${base}/admin/login`);
  const loginCsrf = setCookies(page).get('tamna_login_csrf') ?? '';
  const login = await fetch(`${base}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: `tamna_login_csrf=${loginCsrf}`,
    },
    body: form({ _csrf: loginCsrf, email, password: oneTimePassword, next: '/admin' }),
  });
  expect(login.status, await login.text()).toBe(303);
  const cookie = `tamna_session=${setCookies(login).get('tamna_session') ?? ''}`;
  const csrfOf = async (url: string) => {
    const html = await (await fetch(`${base}${url}`, { headers: { cookie } })).text();
    return /<meta name="csrf-token" content="([^"]+)"/.exec(html)?.[1] ?? '';
  };
  const changed = await fetch(`${base}/admin/account/password`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: form({
      _csrf: await csrfOf('/admin/account'),
      current: oneTimePassword,
      next: '한라산-백록담-2026!',
    }),
  });
  expect(changed.status, await changed.text()).toBe(303);
  return { cookie, csrf: await csrfOf('/admin') };
}

/** An article as the last acknowledged write left it, and the write still unanswered. */
interface Expected {
  title: string;
  body: string;
  published: boolean;
  /** Sent, not answered when the server died: the stored row may be this instead. */
  pending: { title: string; body: string; published: boolean } | null;
}

interface Measured {
  dialect: DialectName;
  loadSeconds: number;
  writesPerMinute: number;
  acknowledged: number;
  articles: number;
  foundIntact: number;
  beaconsAcknowledged: number;
  beaconsStored: number;
  beaconsLost: number;
  lostWindowMs: number;
  restartMs: number;
}

const results: Measured[] = [];

afterAll(() => {
  for (const r of results) {
    process.stdout.write(
      `crash safety (${r.dialect}): ${r.loadSeconds.toFixed(1)} s of load, ` +
        `${Math.round(r.writesPerMinute)} article writes/min; ${r.acknowledged} writes acknowledged ` +
        `(${r.articles} articles), ${r.foundIntact}/${r.articles} found intact after SIGKILL + restart ` +
        `(${(r.restartMs / 1000).toFixed(1)} s to ready); beacons: ${r.beaconsAcknowledged} acknowledged, ` +
        `${r.beaconsStored} stored, ${r.beaconsLost} lost (${(r.lostWindowMs / 1000).toFixed(2)} s of readings)\n`,
    );
  }
});

describe.each(testDialects)('crash safety on %s', (dialect) => {
  it('keeps every acknowledged article write through SIGKILL and loses at most 5 s of counts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tamna-crash-'));
    const schema = `crash_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
    let database: Config['database'];
    if (dialect === 'postgres') {
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      await admin.query(`create schema ${schema}`);
      await admin.end();
      const url = new URL(postgresUrl);
      url.searchParams.set('options', `-c search_path=${schema}`);
      database = { kind: 'postgres', url: url.toString() };
    } else {
      database = { kind: 'sqlite', file: path.join(dir, 'data', 'tamna.sqlite') };
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      TAMNA_DATA_DIR: path.join(dir, 'data'),
      TAMNA_LOG_LEVEL: 'warn',
      // Beacons carry a reader address each, as readers behind a proxy would.
      TAMNA_TRUST_PROXY: 'loopback',
      // One process: the kill takes the whole server (test/several-servers.test.ts kills
      // one of several).
      TAMNA_WORKERS: '1',
    };
    delete env.DATABASE_URL;
    if (database.kind === 'postgres') env.DATABASE_URL = database.url;
    const server = new ServerProcess(Number(env.PORT), env, dir);
    try {
      const added = await tamna(
        [
          'user',
          'add',
          '--role',
          'desk',
          '--email',
          'desk@tamnailbo.example',
          '--name',
          '오데스크',
        ],
        env,
        dir,
      );
      const oneTime = /임시 비밀번호: (\S+)/.exec(added)?.[1];
      expect(oneTime, added).toBeDefined();

      await server.start();
      const base = server.base;
      const { cookie, csrf } = await signIn(base, 'desk@tamnailbo.example', oneTime ?? '');
      const formPost = (url: string, fields: Record<string, string>) =>
        fetch(`${base}${url}`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
          body: form({ _csrf: csrf, ...fields }),
        });
      const section = await formPost('/admin/sections', { name: '사회', slug: 'society' });
      expect(section.status).toBe(303);
      const editor = await (
        await fetch(`${base}/admin/articles/new`, { headers: { cookie } })
      ).text();
      const sectionId = /<option value="(\d+)"[^>]*>사회/.exec(editor)?.[1];
      expect(sectionId, 'the editor offers the new section').toBeDefined();

      const byId = new Map<number, Expected>();
      const byExternalId = new Map<string, Expected>();
      let acknowledged = 0;
      let killed = false;
      const beaconAcks: number[] = [];
      let beaconsSent = 0;
      const failures: string[] = [];
      const note = (what: string) => {
        if (!killed) failures.push(what);
      };

      /** The editor: create, save a second version, publish every other one. */
      async function editorWorker(w: number): Promise<void> {
        for (let n = 0; !killed; n++) {
          const tag = `${w}-${n}-${randomBytes(3).toString('hex')}`;
          const first = { title: `크래시 시험 ${tag}`, body: `<p>첫 원고 ${tag}</p>` };
          let res: Response;
          try {
            res = await formPost('/admin/articles', {
              sectionId: sectionId ?? '',
              title: first.title,
              bodyHtml: first.body,
            });
          } catch {
            return;
          }
          const id = Number(
            /\/admin\/articles\/(\d+)\?ok=created/.exec(res.headers.get('location') ?? '')?.[1],
          );
          if (res.status !== 303 || !Number.isSafeInteger(id)) {
            note(`create: ${res.status} ${(await res.text()).slice(0, 300)}`);
            return;
          }
          acknowledged++;
          const article: Expected = { ...first, published: false, pending: null };
          byId.set(id, article);

          const second = {
            title: `${first.title} (수정)`,
            body: `<p>고친 원고 ${tag}</p><p>둘째 문단</p>`,
          };
          article.pending = { ...second, published: false };
          try {
            res = await formPost(`/admin/articles/${id}`, {
              sectionId: sectionId ?? '',
              title: second.title,
              bodyHtml: second.body,
            });
          } catch {
            return;
          }
          if (res.status !== 303 || !(res.headers.get('location') ?? '').endsWith('?ok=saved')) {
            note(`save: ${res.status} ${(await res.text()).slice(0, 300)}`);
            return;
          }
          acknowledged++;
          Object.assign(article, second, { pending: null });

          if (n % 2 === 1) continue;
          article.pending = { ...second, published: true };
          try {
            res = await formPost(`/admin/articles/${id}/publish`, {});
          } catch {
            return;
          }
          if (
            res.status !== 303 ||
            !(res.headers.get('location') ?? '').endsWith('?ok=published')
          ) {
            note(`publish: ${res.status} ${(await res.text()).slice(0, 300)}`);
            return;
          }
          acknowledged++;
          Object.assign(article, { published: true, pending: null });
        }
      }

      /** A migration script: batches of new records, every other batch re-sending the last. */
      async function importWorker(): Promise<void> {
        let previous: string[] = [];
        for (let n = 0; !killed; n++) {
          const ids =
            n % 2 === 1
              ? previous
              : Array.from(
                  { length: IMPORT_BATCH },
                  (_, i) => `crash-${n}-${i}-${randomBytes(3).toString('hex')}`,
                );
          const records = ids.map((externalId) => ({
            externalId,
            section: '사회',
            title: `가져온 기사 ${externalId} 판${n}`,
            bodyHtml: `<p>옛 기사 본문 ${externalId} 판${n}</p>`,
            status: 'published',
            publishedAt: '2024-03-01T09:30:00+09:00',
          }));
          // A record's first import is only expected once answered; an update's earlier
          // version stays expected until then.
          for (const r of records) {
            const known = byExternalId.get(r.externalId);
            if (known !== undefined)
              known.pending = { title: r.title, body: r.bodyHtml, published: true };
          }
          let report: { created: number; updated: number; failed: unknown[] };
          try {
            const res = await fetch(`${base}/admin/api/import`, {
              method: 'POST',
              headers: { 'content-type': 'application/x-ndjson', 'x-csrf-token': csrf, cookie },
              body: records.map((r) => JSON.stringify(r)).join('\n'),
            });
            const text = await res.text();
            if (res.status !== 200) {
              note(`import: ${res.status} ${text.slice(0, 300)}`);
              return;
            }
            report = JSON.parse(text) as typeof report;
          } catch {
            return;
          }
          if (report.failed.length > 0 || report.created + report.updated !== records.length) {
            note(`import report: ${JSON.stringify(report).slice(0, 300)}`);
            return;
          }
          for (const r of records) {
            byExternalId.set(r.externalId, {
              title: r.title,
              body: r.bodyHtml,
              published: true,
              pending: null,
            });
            acknowledged++;
          }
          previous = ids;
        }
      }

      /** Readers: one reading each, of an article already acknowledged, from a new address. */
      async function beaconWorker(w: number): Promise<void> {
        for (let n = 0; !killed; n++) {
          const ids = [...byId.keys()];
          if (ids.length === 0) {
            await new Promise((r) => setTimeout(r, 20));
            continue;
          }
          const id = ids[(n * 7919 + w) % ids.length];
          const reader = `10.${w}.${(n >> 8) & 255}.${n & 255}`;
          beaconsSent++;
          try {
            const res = await fetch(`${base}/beacon/view?a=${id}`, {
              method: 'POST',
              headers: { 'user-agent': BROWSER_UA, 'x-forwarded-for': reader },
            });
            await res.arrayBuffer();
            if (res.status === 204) beaconAcks.push(performance.now());
            else note(`beacon: ${res.status}`);
          } catch {
            return;
          }
        }
      }

      const loadStart = performance.now();
      const workers = [
        ...Array.from({ length: EDITOR_WORKERS }, (_, w) => editorWorker(w)),
        importWorker(),
        ...Array.from({ length: BEACON_WORKERS }, (_, w) => beaconWorker(w)),
      ];
      await new Promise((r) => setTimeout(r, LOAD_MS));
      const killAt = performance.now();
      killed = true;
      await server.kill();
      await Promise.all(workers);
      const loadSeconds = (killAt - loadStart) / 1000;
      expect(failures, 'every write before the kill succeeds').toEqual([]);

      const restartMs = await server.start();
      const db = await connectDatabase(database);
      let intact = 0;
      const wrong: string[] = [];
      try {
        const rows = await db.db
          .selectFrom('articles')
          .select(['id', 'external_id', 'title', 'body_html', 'status'])
          .execute();
        const stored = new Map(rows.map((r) => [r.id, r]));
        const storedExternal = new Map(rows.map((r) => [r.external_id, r]));
        const compare = (key: string, want: Expected, row: (typeof rows)[number] | undefined) => {
          if (row === undefined) {
            wrong.push(`${key}: missing`);
            return;
          }
          const got = {
            title: row.title,
            body: row.body_html,
            published: row.status === 'published',
          };
          const same = (v: { title: string; body: string; published: boolean }) =>
            v.title === got.title && v.body === got.body && v.published === got.published;
          if (same(want) || (want.pending !== null && same(want.pending))) intact++;
          else
            wrong.push(
              `${key}: stored ${JSON.stringify(got)}, acknowledged ${JSON.stringify(want)}`,
            );
        };
        for (const [id, want] of byId) compare(`article ${id}`, want, stored.get(id));
        for (const [externalId, want] of byExternalId)
          compare(`import ${externalId}`, want, storedExternal.get(externalId));
        const views = await db.db
          .selectFrom('article_views')
          .select((eb) => eb.fn.sum<number | string | null>('views').as('n'))
          .executeTakeFirstOrThrow();
        const beaconsStored = Number(views.n ?? 0);
        const beaconsLost = Math.max(0, beaconAcks.length - beaconsStored);
        const inWindow = beaconAcks.filter(
          (t) => t > killAt - COUNT_WINDOW_MS - FLUSH_SLACK_MS,
        ).length;
        const firstLostAt = beaconAcks[beaconAcks.length - beaconsLost] ?? killAt;
        const articles = byId.size + byExternalId.size;
        const measured: Measured = {
          dialect,
          loadSeconds,
          writesPerMinute: acknowledged / (loadSeconds / 60),
          acknowledged,
          articles,
          foundIntact: intact,
          beaconsAcknowledged: beaconAcks.length,
          beaconsStored,
          beaconsLost,
          lostWindowMs: beaconsLost === 0 ? 0 : killAt - firstLostAt,
          restartMs,
        };
        results.push(measured);

        expect(wrong, 'every acknowledged write is stored as sent').toEqual([]);
        expect(intact).toBe(articles);
        expect(measured.writesPerMinute).toBeGreaterThanOrEqual(TARGET_WRITES_PER_MINUTE);
        // Counts: never more than was sent, and the lost ones are at most the last window's.
        expect(beaconsStored).toBeLessThanOrEqual(beaconsSent);
        expect(beaconAcks.length).toBeGreaterThan(0);
        expect(beaconsLost).toBeLessThanOrEqual(inWindow);
      } finally {
        await db.close();
      }

      // The restarted server serves what was acknowledged: a published article's page.
      const published = [...byId].find(([, e]) => e.published && e.pending === null);
      expect(published, 'some articles were published').toBeDefined();
      if (published !== undefined) {
        const page = await fetch(`${base}/news/${published[0]}`);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain(published[1].title);
      }
    } finally {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
      if (dialect === 'postgres') {
        const admin = new pg.Client({ connectionString: postgresUrl });
        await admin.connect();
        await admin.query(`drop schema if exists ${schema} cascade`);
        await admin.end();
      }
    }
  }, 150_000);
});
