import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { connectDatabase, type DatabaseHandle, type DialectName } from '../../db/index.ts';
import type { Actor } from '../newsroom/index.ts';
import { addStaff, as, signIn } from '../../testing/admin-session.ts';
import { createTestApp, REFERENCE_NOW, type TestApp } from '../../testing/app.ts';
import { freshDatabase, postgresUrl, testDialects } from '../../testing/databases.ts';
import {
  CLOUDFLARE_TOKEN,
  CLOUDFLARE_ZONE,
  FASTLY_KEY,
  FASTLY_SERVICE,
  startFakeCdn,
  type FakeCdn,
} from '../../testing/fake-cdn.ts';
import { PHONE_BROWSER } from '../../testing/user-agents.ts';
import { CDN_SETTLE_MS } from '../../cdn-setup.ts';
import { createAdapter, createCdnPurges } from './index.ts';

const cloudflareEnv = (cdn: FakeCdn): Record<string, string> => ({
  TAMNA_CDN_PROVIDER: 'cloudflare',
  TAMNA_CDN_CLOUDFLARE_ZONE_ID: CLOUDFLARE_ZONE,
  TAMNA_CDN_CLOUDFLARE_API_TOKEN: CLOUDFLARE_TOKEN,
  TAMNA_CDN_API_URL: cdn.cloudflareApi,
});

/** A desk editor without a password (hashing one costs more than these tests need). */
async function deskEditor(app: TestApp, email: string): Promise<Actor> {
  const now = app.clock.now();
  const row = await app.database.db
    .insertInto('users')
    .values({
      email,
      name: '오데스크',
      role: 'desk',
      password_hash: 'not-used-here',
      must_change_password: 0,
      totp_enabled: 0,
      disabled: 0,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, role: 'desk', name: '오데스크' };
}

/** A second connection pool to the same database: another app server's. */
async function secondHandle(dialect: DialectName, first: DatabaseHandle): Promise<DatabaseHandle> {
  if (dialect === 'sqlite') return first;
  const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(first.db)).rows[0]
    ?.s;
  const url = new URL(postgresUrl);
  url.searchParams.set('options', `-c search_path=${schema ?? 'public'}`);
  return connectDatabase({ kind: 'postgres', url: url.toString() });
}

/**
 * A CDN edge as the HTTP caching rules describe it, in front of the app: pages are kept by
 * address and device for s-maxage, served stale for stale-while-revalidate more while a
 * fresh copy is fetched, and dropped by a purge of any of their Cache-Tag tags.
 */
class Edge {
  private entries = new Map<
    string,
    { status: number; body: string; tags: string[]; at: number; fresh: number; stale: number }
  >();
  private applied = 0;
  constructor(
    private readonly app: TestApp,
    private readonly cdn: FakeCdn,
  ) {}

  /** Applies the purges the CDN's API has acknowledged since last time. */
  sync(): void {
    for (const purge of this.cdn.received.slice(this.applied)) {
      for (const [key, entry] of this.entries)
        if (entry.tags.some((t) => purge.tags.includes(t))) this.entries.delete(key);
    }
    this.applied = this.cdn.received.length;
  }

  async get(
    url: string,
    device: 'mobile' | 'desktop',
  ): Promise<{ status: number; body: string; from: string }> {
    this.sync();
    const key = `${device}|${url}`;
    const now = this.app.clock.now();
    const entry = this.entries.get(key);
    if (entry !== undefined && now - entry.at <= entry.fresh * 1000)
      return { status: entry.status, body: entry.body, from: 'hit' };
    if (entry !== undefined && now - entry.at <= (entry.fresh + entry.stale) * 1000) {
      await this.fetch(url, device);
      return { status: entry.status, body: entry.body, from: 'stale' };
    }
    const fresh = await this.fetch(url, device);
    return { ...fresh, from: 'miss' };
  }

  private async fetch(url: string, device: 'mobile' | 'desktop') {
    const res = await this.app.http.inject({ url, headers: { 'cf-device-type': device } });
    const control = String(res.headers['cache-control'] ?? '');
    const fresh = Number(/s-maxage=(\d+)/.exec(control)?.[1] ?? 0);
    const stale = Number(/stale-while-revalidate=(\d+)/.exec(control)?.[1] ?? 0);
    const tags = String(res.headers['cache-tag'] ?? '')
      .split(',')
      .filter((t) => t !== '');
    if (!control.includes('no-store'))
      this.entries.set(`${device}|${url}`, {
        status: res.statusCode,
        body: res.body,
        tags,
        at: this.app.clock.now(),
        fresh,
        stale,
      });
    return { status: res.statusCode, body: res.body };
  }
}

describe.each(testDialects)('CDN purging on %s', (dialect) => {
  let database: DatabaseHandle;
  let cdn: FakeCdn;
  let app: TestApp;
  /** A second app server on the same database, with its own connections. */
  let other: TestApp | null = null;
  let otherHandle: DatabaseHandle;
  let actor: Actor;
  let sectionId: number;
  let authorId: number;
  const cleanup: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    database = await freshDatabase(dialect);
    cdn = await startFakeCdn(() => app?.clock.now() ?? 0);
    app = await createTestApp({ dialect, database, env: cloudflareEnv(cdn) });
    const { writer } = app.services;
    sectionId = await writer.createSection({ slug: 'society', name: '사회', position: 1 });
    authorId = await writer.createAuthor({ name: '김탐나', email: 'kim@tamnailbo.example' });
    actor = await deskEditor(app, 'desk-cdn@tamnailbo.example');
    otherHandle = await secondHandle(dialect, database);
    other = await createTestApp({ dialect, database: otherHandle, env: cloudflareEnv(cdn) });
  });
  afterAll(async () => {
    await other?.close();
    if (otherHandle !== database) await otherHandle?.close();
    await app?.close();
    await cdn?.close();
    await database?.close();
  });
  beforeEach(async () => {
    app.clock.set(REFERENCE_NOW);
    other?.clock.set(REFERENCE_NOW);
    app.cache.clear();
    await database.db.deleteFrom('cdn_purges').execute();
    cdn.received.length = 0;
    cdn.refused.length = 0;
    cdn.mode = 'ok';
    cdn.delayMs = 0;
  });
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  const draft = (title: string) =>
    app.services.desk.create(actor, {
      sectionId,
      title,
      bodyHtml: '<p>본문입니다.</p>',
      authorIds: [authorId],
    });
  const purgedTags = () => cdn.received.flatMap((r) => r.tags);
  const rows = () => database.db.selectFrom('cdn_purges').selectAll().orderBy('id').execute();
  /** Lets the change settle, then runs one pass of the queue. */
  const settleAndSend = async () => {
    app.clock.advance(CDN_SETTLE_MS);
    return app.watch.cdnPurges();
  };

  it('purges publish, edit, correction, unpublish and front-page changes within seconds', async () => {
    const { desk, front } = app.services;
    const id = await draft('해녀 학교 개교');
    await desk.publish(actor, id);
    // Not before every server has dropped the change from its own cache…
    expect(await app.watch.cdnPurges()).toEqual({ claimed: 0, sent: 0 });
    // …and then at once, in one request.
    const published = await settleAndSend();
    expect(published.sent).toBeGreaterThan(0);
    expect(cdn.received).toHaveLength(1);
    expect(cdn.received[0]?.at).toBe(REFERENCE_NOW + CDN_SETTLE_MS);
    expect(purgedTags()).toEqual(
      expect.arrayContaining([
        `article:${id}`,
        `section:${sectionId}`,
        'front',
        `author:${authorId}`,
      ]),
    );
    // Pages whose tag header was cut carry the kind's tag: the purge names it too.
    expect(purgedTags()).toEqual(expect.arrayContaining(['article:any', 'section:any']));
    expect(cdn.refused).toEqual([]);

    const editable = await desk.get(actor, id);
    const steps: Array<[string, () => Promise<unknown>, string[]]> = [
      [
        'edit',
        () =>
          desk.save(actor, id, {
            sectionId: editable.sectionId,
            authorIds: editable.authorIds,
            title: '해녀 학교 문 열어',
          }),
        [`article:${id}`, 'front'],
      ],
      [
        'correction',
        () => desk.addNotice(actor, id, 'correction', '개교일을 바로잡습니다.'),
        [`article:${id}`],
      ],
      ['front page', () => front.arrange(actor, { headline: [id] }), ['front']],
      [
        'unpublish',
        () => desk.unpublish(actor, id),
        [`article:${id}`, `section:${sectionId}`, 'front'],
      ],
    ];
    for (const [what, change, tags] of steps) {
      cdn.received.length = 0;
      await change();
      const result = await settleAndSend();
      expect(result.sent, what).toBeGreaterThan(0);
      expect(purgedTags(), what).toEqual(expect.arrayContaining(tags));
    }
    expect((await rows()).every((r) => r.state === 'sent')).toBe(true);
  });

  it('merges repeated changes to one page into one purge after the last of them', async () => {
    const { desk } = app.services;
    const id = await draft('감귤 축제 열린다');
    await desk.publish(actor, id);
    app.clock.advance(2_000);
    const editable = await desk.get(actor, id);
    await desk.save(actor, id, {
      sectionId: editable.sectionId,
      authorIds: editable.authorIds,
      title: '감귤 축제 열려',
    });
    const waiting = await rows();
    // One row per tag, due after the second change.
    expect(waiting.filter((r) => r.target === `article:${id}`)).toHaveLength(1);
    expect(waiting.every((r) => Number(r.due_at) === REFERENCE_NOW + 2_000 + CDN_SETTLE_MS)).toBe(
      true,
    );
    app.clock.advance(CDN_SETTLE_MS - 1);
    expect((await app.watch.cdnPurges()).claimed).toBe(0);
    app.clock.advance(1);
    await app.watch.cdnPurges();
    expect(cdn.received).toHaveLength(1);
    expect(purgedTags().filter((t) => t === `article:${id}`)).toHaveLength(1);
    // The weather ticker is left to expire: purging it would empty the CDN every refresh.
    await app.services.cdn.enqueue(['weather']);
    expect((await rows()).some((r) => r.target === 'weather')).toBe(false);
  });

  it('pages carry Cache-Tag, a purge-safe Cache-Control and a device key instead of User-Agent', async () => {
    const { desk } = app.services;
    const id = await draft('한라산 첫눈');
    await desk.publish(actor, id);
    const res = await app.http.inject({
      url: `/news/${id}`,
      headers: { 'cf-device-type': 'desktop' },
    });
    expect(res.statusCode).toBe(200);
    const tags = String(res.headers['cache-tag']).split(',');
    expect(tags).toEqual(
      expect.arrayContaining([`article:${id}`, 'sections', 'banners', `byline:${authorId}`]),
    );
    // Cloudflare reads Cache-Tag; Surrogate-Key would travel on to every reader.
    expect(res.headers['surrogate-key']).toBeUndefined();
    expect(res.headers['cache-control']).toMatch(
      /^public, max-age=0, s-maxage=(\d+), stale-while-revalidate=60$/,
    );
    expect(
      Number(/s-maxage=(\d+)/.exec(String(res.headers['cache-control']))?.[1]),
    ).toBeLessThanOrEqual(300);
    expect(res.headers.vary).toBe('Accept-Encoding, Cf-Device-Type');

    // Phones and desktops: the CDN's device class decides, and each gets its own copy.
    const banner = await app.services.banners.create({
      slot: 'rail-1',
      title: '감귤 축제 광고',
      advertiser: '제주감귤농협',
      imageKey: 'ads/tangerine.png',
      width: 300,
      height: 250,
      linkUrl: 'https://festival.example/jeju',
      startsAt: REFERENCE_NOW - 60_000,
      endsAt: REFERENCE_NOW + 86_400_000,
      device: 'mobile',
    });
    const marker = `data-banner-id="${banner}"`;
    const page = (headers: Record<string, string>) => app.http.inject({ url: '/', headers });
    expect((await page({ 'cf-device-type': 'mobile' })).body).toContain(marker);
    expect((await page({ 'cf-device-type': 'desktop' })).body).not.toContain(marker);
    // A tablet gets the desktop page; the CDN's word beats the User-Agent.
    expect((await page({ 'cf-device-type': 'tablet' })).body).not.toContain(marker);
    expect(
      (await page({ 'cf-device-type': 'desktop', 'user-agent': PHONE_BROWSER })).body,
    ).not.toContain(marker);
    // Cached copies stay apart too.
    expect((await page({ 'cf-device-type': 'mobile' })).body).toContain(marker);
    // A request that bypassed the CDN is classed by its User-Agent.
    expect((await page({ 'user-agent': PHONE_BROWSER })).body).toContain(marker);

    // A missing article's 404 carries its tag, so its publication purges the CDN's copy.
    const missing = await app.http.inject({ url: '/news/987654' });
    expect(missing.statusCode).toBe(404);
    expect(String(missing.headers['cache-tag'])).toContain('article:987654');
    // One scheduled for 20 s from now is not kept past its time.
    const later = await draft('곧 나갈 기사');
    await desk.publish(actor, later, REFERENCE_NOW + 20_000);
    const early = await app.http.inject({ url: `/news/${later}` });
    expect(early.statusCode).toBe(404);
    expect(early.headers['cache-control']).toContain('s-maxage=20,');
  });

  it('never serves an unpublished article from a stale copy once the purge is acknowledged', async () => {
    const { desk } = app.services;
    const id = await draft('사과문 게재 예정 기사');
    await desk.publish(actor, id);
    await settleAndSend();
    const edge = new Edge(app, cdn);
    for (const device of ['mobile', 'desktop'] as const) {
      expect((await edge.get(`/news/${id}`, device)).status).toBe(200);
      expect((await edge.get('/', device)).body).toContain('사과문 게재 예정 기사');
    }

    await desk.unpublish(actor, id);
    // Until the purge goes out the CDN still holds the page, as any CDN would.
    expect((await edge.get(`/news/${id}`, 'mobile')).from).toBe('hit');
    await settleAndSend();
    for (const device of ['mobile', 'desktop'] as const) {
      const article = await edge.get(`/news/${id}`, device);
      expect(article.status).toBe(404);
      expect(article.from).toBe('miss');
      expect((await edge.get('/', device)).body).not.toContain('사과문 게재 예정 기사');
    }
    // Later, inside what would be the stale window of the old copies: still gone.
    app.clock.advance(290_000);
    for (const device of ['mobile', 'desktop'] as const) {
      expect((await edge.get(`/news/${id}`, device)).status).toBe(404);
      expect((await edge.get('/', device)).body).not.toContain('사과문 게재 예정 기사');
    }
  });

  it('two app servers on one database send each purge exactly once', async () => {
    const second = other!;
    cdn.delayMs = 15;
    const tags = Array.from({ length: 420 }, (_, i) => `article:${i + 1}`);
    // Changes arrive on both servers, some twice.
    await app.services.cdn.enqueue(tags.slice(0, 300));
    await second.services.cdn.enqueue(tags.slice(200));
    app.clock.advance(CDN_SETTLE_MS);
    second.clock.advance(CDN_SETTLE_MS);
    for (let round = 0; round < 3; round++)
      await Promise.all([app.watch.cdnPurges(), second.watch.cdnPurges()]);
    const counts = new Map<string, number>();
    for (const t of purgedTags()) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const t of tags) expect(counts.get(t), t).toBe(1);
    expect((await rows()).every((r) => r.state === 'sent')).toBe(true);
    expect(cdn.received.every((r) => r.tags.length <= 100)).toBe(true);

    // With small claims the two servers split the work between them, still once each.
    cdn.received.length = 0;
    const queues = [database, otherHandle].map((handle, n) =>
      createCdnPurges({
        db: handle.db,
        clock: app.clock,
        adapter: createAdapter(
          {
            kind: 'cloudflare',
            zoneId: CLOUDFLARE_ZONE,
            apiToken: CLOUDFLARE_TOKEN,
            apiUrl: cdn.cloudflareApi,
          },
          { timeoutMs: 2_000, deviceHeader: null, siteHost: 'news.example.kr' },
        ),
        tagPrefix: '',
        siteUrl: 'https://news.example.kr',
        settleMs: 0,
        instanceId: `server-${n}`,
        requestTimeoutMs: 2_000,
        readableArticles: async () => new Set(),
        pagesOf: async () => [],
        batchSize: 20,
      }),
    );
    const more = Array.from({ length: 200 }, (_, i) => `series:${i + 1}`);
    await queues[0]?.enqueue(more);
    const work = await Promise.all(
      queues.map(async (q) => {
        let sent = 0;
        for (let pass = 0; pass < 12; pass++) sent += (await q.run()).sent;
        return sent;
      }),
    );
    expect(work[0]! + work[1]!).toBe(200);
    const seen = cdn.received
      .flatMap((r) => r.tags)
      .filter((t) => t.startsWith('series:') && t !== 'series:any');
    expect(seen.sort()).toEqual([...more].sort());
  });

  // After the two-server test: this one stops the second server.
  it('retries a failing CDN with backoff, and the purge outlives its server', async () => {
    const first = other!;
    cdn.mode = 'fail';
    await first.services.cdn.enqueue(['front', 'article:41']);
    first.clock.advance(CDN_SETTLE_MS);
    expect(await first.watch.cdnPurges()).toEqual({ claimed: 2, sent: 0 });
    let waiting = await rows();
    expect(waiting.map((r) => [r.state, r.attempts])).toEqual([
      ['pending', 1],
      ['pending', 1],
    ]);
    expect(waiting[0]?.last_error).toBe(
      'Cloudflare가 거절했습니다 (HTTP 500: 1100 purge backend unavailable).',
    );
    // Backoff: 2 s after the first failure, then 4 s.
    first.clock.advance(1_999);
    expect((await first.watch.cdnPurges()).claimed).toBe(0);
    first.clock.advance(1);
    expect((await first.watch.cdnPurges()).claimed).toBe(2);
    first.clock.advance(3_999);
    expect((await first.watch.cdnPurges()).claimed).toBe(0);

    // The server stops; the queue is in the database, and another server sends it.
    await first.close();
    other = null;
    const second = app;
    second.clock.set(first.clock.now() + 1);
    cdn.mode = 'ok';
    expect(await second.watch.cdnPurges()).toEqual({ claimed: 2, sent: 2 });
    expect(purgedTags()).toEqual(expect.arrayContaining(['front', 'article:41']));
    waiting = await rows();
    expect(waiting.map((r) => [r.state, r.attempts])).toEqual([
      ['sent', 3],
      ['sent', 3],
    ]);

    // A CDN asking us to slow down (429 Retry-After: 30) is waited for.
    cdn.mode = 'limit';
    await second.services.cdn.enqueue(['front']);
    second.clock.advance(CDN_SETTLE_MS);
    await second.watch.cdnPurges();
    const limited = (await rows()).find((r) => r.state === 'pending');
    expect(Number(limited?.due_at)).toBe(second.clock.now() + 30_000);

    // A day of failures gives up, for the admin to see and send again.
    cdn.mode = 'unauthorized';
    second.clock.advance(30_000);
    await second.watch.cdnPurges();
    second.clock.advance(86_400_000);
    await second.watch.cdnPurges();
    const failed = (await rows()).filter((r) => r.state === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.last_error).toContain('HTTP 403');
    cdn.mode = 'ok';
    expect(await second.services.cdn.retryFailed()).toBe(1);
    expect((await second.watch.cdnPurges()).sent).toBe(1);
  });

  it('shows the queue to admins in 운영 CDN screen, with purges by hand', async () => {
    await addStaff(app, 'admin', '관리자', 'admin-cdn@tamnailbo.example');
    const admin = as(app, await signIn(app, 'admin-cdn@tamnailbo.example'));
    cdn.mode = 'fail';
    await app.services.cdn.enqueue(['front']);
    app.clock.advance(CDN_SETTLE_MS);
    await app.watch.cdnPurges();
    const page = await admin.get('/admin/cdn');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Cloudflare');
    expect(page.body).toContain('대기 중');
    expect(page.body).toContain('Cloudflare가 거절했습니다 (HTTP 500');
    expect(page.body).toContain('cf-device-type');

    const refused = await admin.post('/admin/cdn/purge-url', {
      url: 'https://evil.example/news/1',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('이 사이트(news.example.kr)의 주소만 비울 수 있습니다.');
    const queued = await admin.post('/admin/cdn/purge-url', { url: '/news/1' });
    expect(queued.statusCode).toBe(303);
    expect(
      (await rows()).some((r) => r.kind === 'url' && r.target === 'https://news.example.kr/news/1'),
    ).toBe(true);
    cdn.mode = 'ok';
    await app.watch.cdnPurges();
    // Keyed by device type at Cloudflare: the address is purged for each.
    const byUrl = cdn.received.find((r) => r.urls.length > 0);
    expect(byUrl?.urls).toEqual(Array(3).fill('https://news.example.kr/news/1'));
    expect(byUrl?.devices).toEqual(['desktop', 'mobile', 'tablet']);

    expect((await admin.post('/admin/cdn/purge-all')).statusCode).toBe(303);
    await app.watch.cdnPurges();
    expect(purgedTags()).toContain('sections');

    await addStaff(app, 'desk', '데스크', 'desk-screen-cdn@tamnailbo.example');
    const deskUser = as(app, await signIn(app, 'desk-screen-cdn@tamnailbo.example'));
    expect((await deskUser.get('/admin/cdn')).statusCode).toBe(403);
  });

  it('sends Fastly batch key purges, soft only when nothing was taken down', async () => {
    const queue = (softPurge: boolean) =>
      createCdnPurges({
        db: database.db,
        clock: app.clock,
        adapter: createAdapter(
          {
            kind: 'fastly',
            serviceId: FASTLY_SERVICE,
            apiKey: FASTLY_KEY,
            softPurge,
            apiUrl: cdn.url,
          },
          { timeoutMs: 2_000, deviceHeader: 'x-tamna-device', siteHost: 'news.example.kr' },
        ),
        tagPrefix: 'jeju-',
        siteUrl: 'https://news.example.kr',
        settleMs: 0,
        instanceId: 'test',
        requestTimeoutMs: 2_000,
        readableArticles: async (ids) => new Set(ids.filter((i) => i !== 13)),
        pagesOf: async () => [],
      });
    const soft = queue(true);
    await soft.enqueue(['article:12', 'front']);
    await soft.run();
    await soft.enqueue(['article:13']);
    await soft.run();
    expect(cdn.received.map((r) => [r.tags, r.soft])).toEqual([
      [['jeju-article:12', 'jeju-article:any', 'jeju-front'], true],
      // Article 13 is no longer readable: a soft purge would leave it servable while stale.
      [['jeju-article:13', 'jeju-article:any'], false],
    ]);
    cdn.received.length = 0;
    const hard = queue(false);
    await hard.enqueue(['article:12']);
    await hard.purgeUrl('https://news.example.kr/news/12?x=1#top');
    await hard.run();
    expect(cdn.received.map((r) => [r.tags, r.urls, r.soft])).toEqual([
      [['jeju-article:12', 'jeju-article:any'], [], false],
      [[], ['news.example.kr/news/12?x=1'], false],
    ]);
    expect(cdn.refused).toEqual([]);
  });

  it('bans by tag on Varnish and purges each page address per device on nginx', async () => {
    const generic = (mode: 'ban' | 'purge') =>
      createCdnPurges({
        db: database.db,
        clock: app.clock,
        adapter: createAdapter(
          { kind: 'http', endpoints: [cdn.url, `${cdn.url}/`], mode },
          { timeoutMs: 2_000, deviceHeader: 'x-tamna-device', siteHost: 'news.example.kr' },
        ),
        tagPrefix: '',
        siteUrl: 'https://news.example.kr',
        settleMs: 0,
        instanceId: 'test',
        requestTimeoutMs: 2_000,
        readableArticles: async () => new Set(),
        pagesOf: async (tags) =>
          tags.includes('front')
            ? ['https://news.example.kr/', 'https://news.example.kr/not-cached']
            : [],
      });
    const ban = generic('ban');
    await ban.enqueue(['article:7', 'front']);
    expect((await ban.run()).sent).toBe(2);
    // Both cache servers hear it.
    expect(cdn.received.map((r) => [r.method, r.tags.join(' ')])).toEqual([
      ['BAN', 'article:7 article:any front'],
      ['BAN', 'article:7 article:any front'],
    ]);
    cdn.received.length = 0;
    const purge = generic('purge');
    await purge.enqueue(['front']);
    expect((await purge.run()).sent).toBe(1);
    // Every copy nginx keys separately: two devices × three encodings, on both servers.
    const copies = ['desktop', 'mobile'].flatMap((d) => ['br', 'gzip', ''].map((e) => `${d} ${e}`));
    const expected = ['https://news.example.kr/', 'https://news.example.kr/not-cached'].flatMap(
      (url) => copies.map((copy) => `PURGE ${url} ${copy}`),
    );
    expect(
      cdn.received.map((r) => `${r.method} ${r.urls[0]} ${r.devices[0]} ${r.encoding}`),
    ).toEqual([...expected, ...expected]);
  });

  it('replaces a flood of tags by one purge of every page', async () => {
    const queue = createCdnPurges({
      db: database.db,
      clock: app.clock,
      adapter: createAdapter(
        {
          kind: 'cloudflare',
          zoneId: CLOUDFLARE_ZONE,
          apiToken: CLOUDFLARE_TOKEN,
          apiUrl: cdn.cloudflareApi,
        },
        { timeoutMs: 2_000, deviceHeader: 'cf-device-type', siteHost: 'news.example.kr' },
      ),
      tagPrefix: '',
      siteUrl: 'https://news.example.kr',
      settleMs: 0,
      instanceId: 'test',
      requestTimeoutMs: 2_000,
      readableArticles: async () => new Set(),
      pagesOf: async () => [],
      floodThreshold: 50,
      batchSize: 20,
    });
    await queue.enqueue(Array.from({ length: 60 }, (_, i) => `article:${i + 1}`));
    expect(await queue.run()).toEqual({ claimed: 60, sent: 60 });
    expect(cdn.received.map((r) => r.tags)).toEqual([['sections']]);
  });
});
