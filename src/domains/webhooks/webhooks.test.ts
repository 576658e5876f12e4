import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../newsroom/index.ts';
import { addStaff, as, signIn } from '../../testing/admin-session.ts';
import { createTestApp, REFERENCE_NOW, type TestApp } from '../../testing/app.ts';
import { freshDatabase, testDialects } from '../../testing/databases.ts';
import { startReceiver, type Receiver } from '../../testing/webhook-receiver.ts';
import { createWebhooks, WEBHOOK_EVENTS } from './index.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const ENV = { TAMNA_WEBHOOKS_ALLOW_PRIVATE: '1', TAMNA_WEBHOOK_TIMEOUT_MS: '2000' };

/** A staff member without a password (hashing one costs more than these tests need). */
async function staff(app: TestApp, role: 'desk' | 'admin', name: string): Promise<Actor> {
  const now = app.clock.now();
  const row = await app.database.db
    .insertInto('users')
    .values({
      email: `${role}-webhooks@tamnailbo.example`,
      name,
      role,
      password_hash: 'not-used-here',
      must_change_password: 0,
      totp_enabled: 0,
      disabled: 0,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, role, name };
}

describe.each(testDialects)('webhooks on %s', (dialect) => {
  // One database and app per dialect (an app takes seconds to start); every test starts
  // from no endpoints and no events, at REFERENCE_NOW.
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let app: TestApp;
  let actor: Actor;
  let sectionId: number;
  let authorId: number;
  const cleanup: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    database = await freshDatabase(dialect);
    app = await createTestApp({ dialect, env: ENV, database });
    const { writer } = app.services;
    sectionId = await writer.createSection({ slug: 'society', name: '사회', position: 1 });
    authorId = await writer.createAuthor({ name: '김탐나', email: 'kim@tamnailbo.example' });
    actor = await staff(app, 'desk', '오데스크');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });
  beforeEach(async () => {
    app.clock.set(REFERENCE_NOW);
    await database.db.deleteFrom('webhook_events').execute();
    await database.db.deleteFrom('webhook_endpoints').execute();
    await database.db.deleteFrom('staff_notifications').execute();
  });
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  /** A receiver registered for `events` (all by default), and a way to write drafts. */
  async function setup(options: { events?: string[] } = {}) {
    const receiver = await startReceiver(() => Math.floor(app.clock.now() / 1000));
    cleanup.push(() => receiver.close());
    const { id: endpointId, secret } = await app.services.webhooks.create(
      {
        url: receiver.url,
        description: '포털 수신',
        events: options.events ?? [...WEBHOOK_EVENTS],
      },
      null,
    );
    receiver.secret = secret;
    const draft = (title: string, extra: Record<string, unknown> = {}) =>
      app.services.desk.create(actor, {
        sectionId,
        title,
        bodyHtml: '<p>본문입니다.</p>',
        authorIds: [authorId],
        ...extra,
      });
    return { receiver, endpointId, draft };
  }

  const delivered = (receiver: Receiver) => receiver.received.map((r) => r.type);

  it('queues events in the desk’s transaction and delivers them signed', async () => {
    const { receiver, draft } = await setup();
    const { desk } = app.services;
    const id = await draft('해녀 학교 개교');
    // A draft's changes are nobody's business.
    await desk.save(actor, id, {
      sectionId: (await desk.get(actor, id)).sectionId,
      title: '해녀 학교 문 열어',
    });
    expect((await app.watch.webhooks()).dispatched).toBe(0);

    await desk.publish(actor, id);
    await app.watch.webhooks();
    expect(receiver.received).toHaveLength(1);
    const [first] = receiver.received;
    expect(first?.verified).toBe(true);
    expect(first?.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(first?.signature.startsWith(`t=${Math.floor(REFERENCE_NOW / 1000)},`)).toBe(true);
    expect(first?.payload).toEqual({
      id: first?.eventId,
      type: 'article.published',
      occurredAt: '2025-12-09T14:00:00+09:00',
      article: {
        id,
        url: `https://news.example.kr/news/${id}`,
        apiUrl: `https://news.example.kr/api/v1/articles/${id}`,
        title: '해녀 학교 문 열어',
        status: 'published',
        section: { id: expect.any(Number), slug: 'society', name: '사회' },
        publishedAt: '2025-12-09T14:00:00+09:00',
        updatedAt: '2025-12-09T14:00:00+09:00',
      },
    });
    expect(first?.eventId).toMatch(/^evt_\d+$/);

    // Autosaves while someone types fold into one update, sent once they settle.
    const editable = await desk.get(actor, id);
    const fields = { sectionId: editable.sectionId, authorIds: editable.authorIds };
    for (const title of ['해녀 학교 문 열어!', '해녀 학교 문 열어!!'])
      await desk.save(actor, id, { ...fields, title }, { autosave: true });
    app.clock.advance(30_000);
    expect((await app.watch.webhooks()).dispatched).toBe(0);
    app.clock.advance(30_000);
    await app.watch.webhooks();
    expect(delivered(receiver)).toEqual(['article.published', 'article.updated']);
    expect((receiver.received[1]?.payload.article as { title: string }).title).toBe(
      '해녀 학교 문 열어!!',
    );

    // An explicit save goes out at once; saving the same thing again sends nothing.
    await desk.save(actor, id, { ...fields, title: '해녀 학교 개교' });
    await desk.save(actor, id, { ...fields, title: '해녀 학교 개교' });
    const noticeId = await desk.addNotice(actor, id, 'correction', '개교일을 바로잡습니다.');
    await app.watch.webhooks();
    await desk.unpublish(actor, id);
    await app.watch.webhooks();
    expect(delivered(receiver)).toEqual([
      'article.published',
      'article.updated',
      'article.updated',
      'article.corrected',
      'article.unpublished',
    ]);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    // A correction names the notice readers now see above the article.
    expect(receiver.received[3]?.payload.notice).toEqual({
      id: noticeId,
      kind: 'correction',
      label: '정정보도',
      body: '개교일을 바로잡습니다.',
      createdAt: '2025-12-09T14:01:00+09:00',
    });
    expect((receiver.received[4]?.payload.article as { status: string }).status).toBe(
      'unpublished',
    );

    // A save refused inside the transaction leaves no event behind.
    const before = await app.database.db.selectFrom('webhook_events').select('id').execute();
    await desk.publish(actor, id);
    await expect(
      desk.save(actor, id, { ...fields, title: '새 제목', featuredPhotoId: 987_654 }),
    ).rejects.toThrow('대표 사진을 찾을 수 없습니다.');
    const after = await app.database.db.selectFrom('webhook_events').select('id').execute();
    expect(after.length).toBe(before.length + 1); // the publication only
  });

  it('sends a scheduled publication at its time, once, even when it is moved', async () => {
    const { receiver, draft } = await setup({
      events: ['article.published', 'article.unpublished'],
    });
    const { desk } = app.services;
    const id = await draft('새해 첫 해돋이 행사');
    await desk.publish(actor, id, REFERENCE_NOW + 2 * HOUR);
    // Moved an hour earlier: only the new time counts.
    await desk.publish(actor, id, REFERENCE_NOW + HOUR);
    const cancelled = await draft('예약했다 취소한 기사');
    await desk.publish(actor, cancelled, REFERENCE_NOW + HOUR);
    await desk.unpublish(actor, cancelled);
    // Out now, then moved an hour ahead: it leaves readers now and comes back then.
    const moved = await draft('시간을 옮긴 기사');
    await desk.publish(actor, moved);
    await app.watch.webhooks();
    await desk.publish(actor, moved, REFERENCE_NOW + HOUR);
    await app.watch.webhooks();
    const seen = () =>
      receiver.received.map((r) => `${r.type} ${(r.payload.article as { id: number }).id}`);
    expect(seen()).toEqual([`article.published ${moved}`, `article.unpublished ${moved}`]);
    app.clock.advance(HOUR);
    await app.watch.webhooks();
    app.clock.advance(HOUR);
    await app.watch.webhooks();
    expect(seen().slice(2).sort()).toEqual(
      [`article.published ${id}`, `article.published ${moved}`].sort(),
    );
    expect(receiver.received.at(-1)?.payload.occurredAt).toBe('2025-12-09T15:00:00+09:00');
  });

  it('retries with exponential backoff for a day and logs every attempt', async () => {
    const { receiver, endpointId, draft } = await setup();
    // The same service with a policy that never switches the endpoint off, to see the
    // whole day of retries.
    const webhooks = createWebhooks({
      db: database.db,
      clock: app.clock,
      links: { article: (id) => `/news/${id}`, apiArticle: (id) => `/api/v1/articles/${id}` },
      instanceId: 'retry-test',
      allowPrivateAddresses: true,
      timeoutMs: 2000,
      policy: { disableAfterFailures: 1000 },
    });
    receiver.mode = 'fail';
    await app.services.desk.publish(actor, await draft('재시도 시험'));
    const start = app.clock.now();
    for (let pass = 0; pass < 20; pass++) {
      await webhooks.run();
      const d = await app.database.db
        .selectFrom('webhook_deliveries')
        .select(['state', 'next_attempt_at'])
        .executeTakeFirstOrThrow();
      if (d.state !== 'pending') break;
      // Nothing goes out early.
      app.clock.set(d.next_attempt_at - 1);
      expect((await webhooks.run()).attempted).toBe(0);
      app.clock.set(d.next_attempt_at);
    }
    const attempts = await app.database.db
      .selectFrom('webhook_attempts')
      .select('at')
      .orderBy('id')
      .execute();
    expect(attempts.map((a) => (a.at - start) / MINUTE)).toEqual([
      0, 1, 3, 7, 15, 31, 63, 127, 255, 511, 871, 1231, 1440,
    ]);
    expect(receiver.received).toHaveLength(13);
    // Every retry is the same event, signed anew at its own time.
    expect(new Set(receiver.received.map((r) => r.eventId)).size).toBe(1);
    expect(new Set(receiver.received.map((r) => r.signature)).size).toBe(13);
    expect(receiver.received.every((r) => r.verified)).toBe(true);

    const [log] = await webhooks.deliveries(endpointId);
    expect(log?.state).toBe('failed');
    expect(log?.attempts).toBe(13);
    expect(log?.log).toHaveLength(13);
    expect(log?.log[0]).toMatchObject({ status: 500, error: 'HTTP 500', excerpt: '잠시 고장' });
    expect(log?.log.every((a) => a.latencyMs >= 0 && a.latencyMs < 2000)).toBe(true);

    // Given up, it can be sent again by hand; a refused connection is logged as such.
    await receiver.close();
    await webhooks.redeliver(endpointId, log?.id ?? 0);
    await webhooks.run();
    const [again] = await webhooks.deliveries(endpointId);
    expect(again?.state).toBe('pending');
    expect(again?.log[0]).toMatchObject({ status: null, error: '연결이 거부되었습니다.' });
  });

  it('disables an endpoint that keeps failing, tells the admins, and catches up once back on', async () => {
    const { receiver, endpointId, draft } = await setup();
    const admin = await staff(app, 'admin', '관리 담당');
    receiver.mode = 'fail';
    await app.services.desk.publish(actor, await draft('계속 실패하는 수신처'));
    for (let pass = 0; pass < 20; pass++) {
      await app.watch.webhooks();
      const endpoint = await app.services.webhooks.get(endpointId);
      if (!endpoint.enabled) break;
      const d = await app.database.db
        .selectFrom('webhook_deliveries')
        .select('next_attempt_at')
        .executeTakeFirstOrThrow();
      app.clock.set(d.next_attempt_at);
    }
    // Ten failures in a row over more than six hours: attempt 10, at 511 minutes.
    const endpoint = await app.services.webhooks.get(endpointId);
    expect(endpoint.enabled).toBe(false);
    expect(endpoint.consecutiveFailures).toBe(10);
    expect(endpoint.disabledReason).toContain('연달아 전송에 실패');
    expect(endpoint.pending).toBe(1);
    expect(receiver.received).toHaveLength(10);
    const notices = await app.services.notifications.list(admin.id);
    expect(notices.map((n) => n.kind)).toEqual(['webhook_disabled']);
    expect(notices[0]?.text).toContain(receiver.url);
    // Off, nothing more is sent.
    app.clock.advance(6 * HOUR);
    expect((await app.watch.webhooks()).attempted).toBe(0);

    receiver.mode = 'ok';
    await app.services.webhooks.setEnabled(endpointId, true);
    await app.watch.webhooks();
    expect(receiver.received).toHaveLength(11);
    const back = await app.services.webhooks.get(endpointId);
    expect(back).toMatchObject({ enabled: true, consecutiveFailures: 0, pending: 0 });
  });

  it('never holds up publishing, even when a receiver hangs', async () => {
    const { receiver, draft } = await setup();
    receiver.mode = 'hang';
    const desk = as(app, await signIn(app, await addStaff(app, 'desk', '출고 담당')));
    const first = await draft('첫 기사');
    const second = await draft('둘째 기사');
    expect((await desk.post(`/admin/articles/${first}/publish`)).statusCode).toBe(303);
    let settled = false;
    const pass = app.watch.webhooks().finally(() => {
      settled = true;
    });
    for (let i = 0; i < 100 && receiver.received.length === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(receiver.received).toHaveLength(1);
    // The worker is waiting on the receiver (up to 2 s); the desk is not: the publication is
    // done while the delivery is still hanging.
    const started = performance.now();
    const published = await desk.post(`/admin/articles/${second}/publish`);
    const took = performance.now() - started;
    expect(published.statusCode).toBe(303);
    expect(settled).toBe(false);
    expect(took).toBeLessThan(2000);
    await pass;
    const [attempt] = await app.database.db.selectFrom('webhook_attempts').selectAll().execute();
    expect(attempt?.error).toBe('시간 초과 (2초 안에 답이 없음)');
    expect(attempt?.latency_ms).toBeGreaterThanOrEqual(1900);
  });

  it('sends each delivery once when two app servers run the worker at the same time', async () => {
    const { receiver, draft } = await setup();
    const other = await createTestApp({ dialect, env: ENV, database });
    cleanup.push(() => other.close());
    receiver.delayMs = 5;
    const count = 16;
    for (let i = 0; i < count; i++)
      await app.services.desk.publish(actor, await draft(`동시 전송 ${i + 1}`));
    let dispatched = 0;
    let attempted = 0;
    for (let round = 0; round < 10; round++) {
      const passes = await Promise.all(
        [app, other, app, other].map((server) => server.services.webhooks.run()),
      );
      for (const p of passes) {
        dispatched += p.dispatched;
        attempted += p.attempted;
      }
      const left = await database.db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('state', '=', 'pending')
        .execute();
      if (left.length === 0 && dispatched === count) break;
    }
    expect(dispatched).toBe(count);
    expect(attempted).toBe(count);
    expect(receiver.received).toHaveLength(count);
    expect(new Set(receiver.received.map((r) => r.eventId)).size).toBe(count);
    expect(receiver.received.every((r) => r.verified)).toBe(true);

    // A restart: what the other server queued before it stopped goes out from here.
    await other.services.desk.publish(actor, await draft('재시작 전에 출고'));
    await other.close();
    await app.watch.webhooks();
    expect(delivered(receiver).at(-1)).toBe('article.published');
    expect(receiver.received).toHaveLength(count + 1);
    expect(receiver.received.at(-1)?.verified).toBe(true);
  });
});
