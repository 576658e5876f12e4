/**
 * Three app servers on one PostgreSQL schema behind Debian's nginx, running
 * deploy/nginx/tamna.conf itself (src/testing/nginx.ts), each `bin/tamna.js serve` as
 * systemd starts it. Media are on local disk, so the three share one data directory
 * (TAMNA_DATA_DIR; object storage is the alternative). Shown here:
 *
 * - a publish, an edit, a correction and an unpublish made through nginx are on every
 *   server's (cached) pages within a second: LISTEN/NOTIFY on the change feed;
 * - a scheduled article goes out once: one article.published webhook, one notice;
 * - the weather is fetched once for the three (a claim in the database);
 * - banner impressions and clicks and reader counts spread over the servers add up
 *   exactly, and one reader whose beacons reach all three counts once;
 * - a session made on one server works on the others, and the sign-in limit holds for
 *   parallel guesses spread over all three;
 * - a photo uploaded through one is served by all;
 * - one server killed with SIGKILL under a write load loses no acknowledged write, and
 *   readers through nginx see no error.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, expect, it } from 'vitest';
import { createNewsroom, type Newsroom } from '../src/app.ts';
import { loadConfig } from '../src/config/index.ts';
import { freshPostgresSchema } from '../src/testing/databases.ts';
import { startFakeKma, type FakeKma } from '../src/testing/fake-kma.ts';
import { multipartBody } from '../src/testing/multipart.ts';
import { startNginxFront, stopNginx } from '../src/testing/nginx.ts';
import {
  client,
  freePort,
  oneTimePassword,
  ServerProcess,
  tamna,
  within,
  type Answer,
  type Client,
} from '../src/testing/servers.ts';
import { startReceiver, type Receiver } from '../src/testing/webhook-receiver.ts';

const BROWSER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const VISIBLE_WITHIN_MS = 1_000;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tamna-servers-'));
const servers: ServerProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  fs.rmSync(dir, { recursive: true, force: true });
});

const report: string[] = [];
afterAll(() => {
  if (report.length > 0) process.stdout.write(`several servers: ${report.join('; ')}\n`);
});

/** Polls every server until `check` holds on each; the milliseconds each took. */
async function onEveryServer(
  what: string,
  check: (server: Client) => Promise<boolean>,
  direct: readonly Client[],
): Promise<number[]> {
  return Promise.all(direct.map((c) => within(5_000, () => check(c), `${what} on a server`)));
}

it('runs three servers on one PostgreSQL behind nginx as one site', async () => {
  const schema = await freshPostgresSchema();
  cleanups.push(() => schema.drop());
  const fake: FakeKma = await startFakeKma({ authKey: 'hub-key', serviceKey: 'unused' });
  cleanups.push(() => fake.close());
  const receiver: Receiver = await startReceiver(() => Math.floor(Date.now() / 1000));
  cleanups.push(() => receiver.close());

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    DATABASE_URL: schema.url,
    // Local-disk media: every server reads and writes the same directory.
    TAMNA_DATA_DIR: path.join(dir, 'data'),
    TAMNA_SITE_URL: 'https://news.example.kr',
    TAMNA_TRUST_PROXY: 'loopback',
    TAMNA_LOG_LEVEL: 'warn',
    TAMNA_WORKERS: '1',
    TAMNA_WEBHOOKS_ALLOW_PRIVATE: '1',
    TAMNA_KMA_AUTH_KEY: 'hub-key',
    TAMNA_KMA_HUB_URL: fake.hubUrl,
    TAMNA_WEATHER_REFRESH_MINUTES: '1',
  };
  // The test's own process on the same database: it migrates first, and acts as one more
  // writer (a banner campaign, a schedule to the second).
  const newsroom: Newsroom = await createNewsroom(
    loadConfig(env as Record<string, string | undefined>),
  );
  cleanups.push(() => newsroom.close());
  const [admin, reporter, guarded] = (
    await Promise.all(
      [
        ['admin', 'admin@tamnailbo.example'],
        ['reporter', 'reporter@tamnailbo.example'],
        ['reporter', 'guarded@tamnailbo.example'],
      ].map(([role, email]) =>
        tamna(['user', 'add', '--role', role ?? '', '--email', email ?? ''], env),
      ),
    )
  ).map(oneTimePassword) as [string, string, string];

  const ports = [await freePort(), await freePort(), await freePort()];
  for (const port of ports) servers.push(new ServerProcess(port, { ...env, PORT: String(port) }));
  await Promise.all(servers.map((server) => server.start()));
  const direct = ports.map((port) => client(port));
  const { child: nginx, httpsPort, ca } = await startNginxFront(path.join(dir, 'nginx'), ports);
  cleanups.push(() => stopNginx(nginx));
  const site = () => client(httpsPort, { ca });

  // --- Sessions: made through nginx on whichever server, good on every one. -----------
  const desk = site();
  await desk.signIn('admin@tamnailbo.example', admin);
  for (const server of ports.map((port) => client(port))) {
    server.session = desk.session;
    const home = await server.get('/admin');
    expect(home.status).toBe(200);
    expect(home.body).toContain('csrf-token');
  }

  // --- Publish, edit, correction, unpublish: on every server's pages within 1 s. ---------
  expect((await desk.form('/admin/sections', { name: '사회', slug: 'society' })).status).toBe(303);
  const sectionId = /<option value="(\d+)"[^>]*>사회/.exec(
    (await desk.get('/admin/articles/new')).body,
  )?.[1];
  expect(sectionId).toBeDefined();
  const write = async (fields: Record<string, string>, url = '/admin/articles') =>
    desk.form(url, { sectionId: sectionId ?? '', bodyHtml: '<p>본문</p>', ...fields });
  const idOf = (answer: Answer) =>
    Number(/\/admin\/articles\/(\d+)\?ok=created/.exec(answer.headers.location ?? '')?.[1]);
  const id = idOf(await write({ title: '세 서버 기사' }));
  expect(Number.isSafeInteger(id)).toBe(true);
  for (const c of direct) expect((await c.get('/section/society')).status).toBe(200);

  const visible: Record<string, number> = {};
  const measure = async (
    what: string,
    act: () => Promise<Answer>,
    ok: RegExp,
    check: (c: Client) => Promise<boolean>,
  ) => {
    const answer = await act();
    expect(answer.headers.location ?? '', answer.body.slice(0, 300)).toMatch(ok);
    const times = await onEveryServer(what, check, direct);
    visible[what] = Math.max(...times);
    expect(visible[what], `${what}: ${times.map((t) => t.toFixed(0)).join(', ')} ms`).toBeLessThan(
      VISIBLE_WITHIN_MS,
    );
  };
  await measure(
    'publish',
    () => desk.form(`/admin/articles/${id}/publish`),
    /ok=published/,
    async (c) => (await c.get('/section/society')).body.includes('세 서버 기사'),
  );
  for (const c of direct) expect((await c.get(`/news/${id}`)).body).toContain('세 서버 기사');
  await measure(
    'edit',
    () => write({ title: '세 서버 기사 고침' }, `/admin/articles/${id}`),
    /ok=saved/,
    async (c) => (await c.get(`/news/${id}`)).body.includes('세 서버 기사 고침'),
  );
  await measure(
    'correction',
    () =>
      desk.form(`/admin/articles/${id}/notices`, {
        kind: 'correction',
        body: '기사 제목의 지명을 바로잡습니다.',
        step: 'publish',
      }),
    /ok=notice/,
    async (c) => (await c.get(`/news/${id}`)).body.includes('기사 제목의 지명을 바로잡습니다.'),
  );
  await measure(
    'unpublish',
    () => desk.form(`/admin/articles/${id}/unpublish`),
    /ok=unpublished/,
    async (c) => (await c.get(`/news/${id}`)).status !== 200,
  );
  report.push(
    `visible on all three within ${Object.entries(visible)
      .map(([what, ms]) => `${what} ${ms.toFixed(0)} ms`)
      .join(', ')}`,
  );

  // --- Counts spread over the servers add up exactly. ----------------------------------
  const banner = await newsroom.services.banners.create({
    slot: 'rail-1',
    title: '감귤 축제',
    imageKey: 'ads/festival.png',
    linkUrl: 'https://festival.example.kr/',
    width: 300,
    height: 250,
    startsAt: Date.now() - 60_000,
    endsAt: Date.now() + 86_400_000,
  });
  // A new campaign reaches every server within a second, like any change: until then a
  // server does not know it (nor shows it), and refuses impressions for it.
  await new Promise((r) => setTimeout(r, VISIBLE_WITHIN_MS));
  const headers = (reader: string) => ({ 'user-agent': BROWSER_UA, 'x-forwarded-for': reader });
  const sends: Array<Promise<Answer>> = [];
  for (let n = 0; n < 60; n++) {
    const c = direct[n % 3] as Client;
    sends.push(c.post(`/ad/view?b=${banner}`, '', headers(`203.0.113.${n}`)));
    if (n % 4 === 0) sends.push(c.get(`/ad/click/${banner}`, headers(`203.0.113.${n}`)));
    sends.push(c.post(`/beacon/view?a=${id}`, '', headers(`198.51.100.${n}`)));
  }
  // One reader whose beacons reach all three servers.
  for (const c of direct) sends.push(c.post(`/beacon/view?a=${id}`, '', headers('192.0.2.7')));
  const answers = await Promise.all(sends);
  expect(answers.filter((a) => a.status !== 204 && a.status !== 302)).toEqual([]);
  const totals = async () => {
    const ad = await newsroom.database.db
      .selectFrom('banner_daily')
      .select((eb) => [
        eb.fn.sum<number>('impressions').as('i'),
        eb.fn.sum<number>('clicks').as('c'),
      ])
      .executeTakeFirstOrThrow();
    const views = await newsroom.database.db
      .selectFrom('article_views')
      .select((eb) => eb.fn.sum<number>('views').as('v'))
      .where('article_id', '=', id)
      .executeTakeFirstOrThrow();
    return {
      impressions: Number(ad.i ?? 0),
      clicks: Number(ad.c ?? 0),
      views: Number(views.v ?? 0),
    };
  };
  const expected = { impressions: 60, clicks: 15, views: 61 };

  // --- A scheduled article goes out once. ----------------------------------------------
  expect(
    (
      await desk.form('/admin/webhooks', {
        url: `${receiver.url}/hook`,
        description: '포털 전송',
        events: 'article.published',
      })
    ).status,
  ).toBe(200);
  const writer = site();
  await writer.signIn('reporter@tamnailbo.example', reporter);
  const scheduledId = idOf(
    await writer.form('/admin/articles', {
      sectionId: sectionId ?? '',
      title: '예약 기사',
      bodyHtml: '<p>예약 본문</p>',
    }),
  );
  const adminUser = await newsroom.services.accounts.findUserByEmail('admin@tamnailbo.example');
  if (adminUser === null) throw new Error('no admin');
  // The desk's own call, to the second (the form takes whole minutes).
  const goesOut = Date.now() + 3_000;
  await newsroom.services.desk.publish(
    { id: adminUser.id, role: 'admin', name: adminUser.name },
    scheduledId,
    goesOut,
  );
  for (const c of direct) expect((await c.get(`/news/${scheduledId}`)).status).not.toBe(200);
  const published = () =>
    receiver.received.filter(
      (r) =>
        r.type === 'article.published' &&
        (r.payload.article as { id?: number } | undefined)?.id === scheduledId,
    );
  await within(15_000, () => published().length > 0, 'the scheduled article’s webhook');
  expect(Date.now()).toBeGreaterThanOrEqual(goesOut);
  // Every server's webhook worker runs each second: give them time to send it again.
  await new Promise((r) => setTimeout(r, 2_000));
  expect(published()).toHaveLength(1);
  for (const c of direct) expect((await c.get(`/news/${scheduledId}`)).body).toContain('예약 기사');
  const notices = await newsroom.database.db
    .selectFrom('staff_notifications')
    .select('kind')
    .where('article_id', '=', scheduledId)
    .where('kind', '=', 'scheduled')
    .execute();
  expect(notices).toHaveLength(1);

  // Each server writes its counts every 5 s (the scheduled article took about as long).
  await within(
    8_000,
    async () => JSON.stringify(await totals()) === JSON.stringify(expected),
    'counts stored',
  ).catch(async (error: unknown) => {
    throw new Error(`${(error as Error).message}: ${JSON.stringify(await totals())}`);
  });

  // --- The weather: each server asked 2 s after it started; one of them fetched. -------
  expect(fake.requests, 'one fetch for three servers').toHaveLength(1);

  // --- The sign-in limit holds for parallel guesses spread over the servers. -----------
  const loginPage = await site().get('/admin/login');
  const loginCsrf =
    /tamna_login_csrf=([^;]*)/.exec(String(loginPage.headers['set-cookie']))?.[1] ?? '';
  const guess = (password: string) =>
    site().post(
      '/admin/login',
      new URLSearchParams({
        _csrf: loginCsrf,
        email: 'guarded@tamnailbo.example',
        password,
        next: '/admin',
      }).toString(),
      {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: `tamna_login_csrf=${loginCsrf}`,
      },
    );
  const guesses = await Promise.all(
    Array.from({ length: 30 }, (_, i) => guess(`틀린-비밀번호-${i}`)),
  );
  const statuses = guesses.map((g) => g.status);
  expect(
    statuses.filter((s) => s !== 401 && s !== 429),
    JSON.stringify(statuses),
  ).toEqual([]);
  expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
  // The right password after them, on whichever server: refused too, the account is locked.
  expect((await guess(guarded)).status).toBe(429);

  // --- A photo uploaded through one server is served by all. ---------------------------
  const jpeg = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#2a6' } })
    .jpeg()
    .toBuffer();
  const upload = multipartBody(
    { _csrf: desk.session?.csrf ?? '', caption: '세 서버 사진', credit: '탐나일보', alt: '사진' },
    [{ field: 'file', filename: 'photo.jpg', type: 'image/jpeg', bytes: jpeg }],
  );
  const uploaded = await desk.post('/admin/photos', upload.payload, {
    'content-type': upload.contentType,
    accept: 'application/json',
    'x-csrf-token': desk.session?.csrf ?? '',
  });
  expect(uploaded.status, uploaded.body.slice(0, 300)).toBe(200);
  const mediaUrl = /"(\/media\/[^"]+)"/.exec(uploaded.body)?.[1];
  expect(mediaUrl, uploaded.body.slice(0, 300)).toBeDefined();
  const copies = await Promise.all(direct.map((c) => c.get(mediaUrl ?? '')));
  expect(copies.map((c) => c.status)).toEqual([200, 200, 200]);
  expect(new Set(copies.map((c) => c.body)).size).toBe(1);

  // --- One server killed under a write load: no acknowledged write is lost. -------------
  /** Per article: the last acknowledged title, and those sent since without an answer. */
  const articles: Array<{ id: number; acknowledged: string; unanswered: string[] }> = [];
  for (let i = 0; i < 6; i++) {
    const title = `부하 기사 ${i}`;
    articles.push({ id: idOf(await write({ title })), acknowledged: title, unanswered: [] });
  }
  let loading = true;
  let saves = 0;
  let refused = 0;
  const readerErrors: number[] = [];
  let reads = 0;
  const editor = async (mine: typeof articles) => {
    for (let n = 0; loading; n++) {
      const article = mine[n % mine.length];
      if (article === undefined) return;
      const title = `부하 기사 ${article.id} 판 ${n} ${randomBytes(2).toString('hex')}`;
      const answer = await write({ title }, `/admin/articles/${article.id}`).catch(() => null);
      if (
        answer !== null &&
        answer.status === 303 &&
        /ok=saved/.test(answer.headers.location ?? '')
      ) {
        article.acknowledged = title;
        article.unanswered = [];
        saves++;
      } else {
        // Refused, or the server died after it had committed: either may be stored.
        article.unanswered.push(title);
        refused++;
      }
    }
  };
  const readerLoop = async () => {
    const page = site();
    while (loading) {
      const answer = await page.get(`/news/${scheduledId}`).catch(() => null);
      reads++;
      if (answer?.status !== 200) readerErrors.push(answer?.status ?? 0);
    }
  };
  const load = [
    editor(articles.slice(0, 2)),
    editor(articles.slice(2, 4)),
    editor(articles.slice(4, 6)),
    readerLoop(),
    readerLoop(),
  ];
  await new Promise((r) => setTimeout(r, 2_000));
  await servers[1]?.kill();
  const killedAt = saves;
  await new Promise((r) => setTimeout(r, 3_000));
  loading = false;
  await Promise.all(load);
  expect(saves - killedAt, 'writes go on through the other servers').toBeGreaterThan(0);
  const rows = await newsroom.database.db
    .selectFrom('articles')
    .select(['id', 'title'])
    .where(
      'id',
      'in',
      articles.map((a) => a.id),
    )
    .execute();
  const stored = new Map(rows.map((r) => [r.id, r.title]));
  for (const article of articles)
    expect([article.acknowledged, ...article.unanswered]).toContain(stored.get(article.id));
  expect(readerErrors, `${reads} reads through nginx`).toEqual([]);
  report.push(
    `kill under load: ${saves} saves acknowledged (${refused} refused while a server died), all stored; ${reads} reads, 0 errors`,
  );

  // The survivors stop gracefully; the counts are still exactly what was sent.
  await Promise.all(servers.map((s) => s.stop()));
  expect(await totals()).toEqual(expected);
}, 90_000);
