import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, as, signIn } from '../../../testing/admin-session.ts';
import { createTestApp, type TestApp } from '../../../testing/app.ts';
import { startReceiver, type Receiver } from '../../../testing/webhook-receiver.ts';

describe('웹훅 in the admin', () => {
  let app: TestApp;
  let admin: ReturnType<typeof as>;
  let receiver: Receiver;

  beforeAll(async () => {
    app = await createTestApp({ env: { TAMNA_WEBHOOKS_ALLOW_PRIVATE: '1' } });
    admin = as(app, await signIn(app, await addStaff(app, 'admin', '관리 담당')));
    receiver = await startReceiver(() => Math.floor(app.clock.now() / 1000));
  });
  afterAll(async () => {
    await receiver?.close();
    await app?.close();
  });

  /** Registers the test receiver through the form; returns the endpoint's page path. */
  async function register(events: string[] = ['article.published']): Promise<string> {
    const res = await admin.post('/admin/webhooks', {
      url: receiver.url,
      description: '포털 <b>수신</b>',
      events,
    });
    expect(res.statusCode).toBe(200);
    const secret = /<code class="invite-link secret-once">(whsec_[A-Za-z0-9_-]{43})<\/code>/.exec(
      res.body,
    )?.[1];
    expect(secret).toBeDefined();
    receiver.secret = secret as string;
    const list = await admin.get('/admin/webhooks');
    expect(list.body).not.toContain(secret as string);
    const ids = [...list.body.matchAll(/href="\/admin\/webhooks\/(\d+)"/g)].map((m) => m[1]);
    return `/admin/webhooks/${ids.at(-1)}`;
  }

  it('is for admins only', async () => {
    const desk = as(app, await signIn(app, await addStaff(app, 'desk', '데스크 담당')));
    expect((await desk.get('/admin/webhooks')).statusCode).toBe(403);
    expect((await desk.post('/admin/webhooks', { url: receiver.url })).statusCode).toBe(403);
  });

  it('refuses addresses that are not http(s), carry a password, or choose no event', async () => {
    for (const [url, message] of [
      ['ftp://partner.example/hooks', 'http:// 또는 https:// 주소만 등록할 수 있습니다.'],
      ['https://user:pw@partner.example/hooks', '주소에 사용자 이름이나 비밀번호를 넣지 마세요.'],
      ['partner.example', 'https://로 시작하는 전체 주소를 입력하세요.'],
    ] as const) {
      const res = await admin.post('/admin/webhooks', { url, events: ['article.published'] });
      expect(res.statusCode, url).toBe(400);
      expect(res.body, url).toContain(message);
      expect(res.body, url).toContain(`value="${url}"`);
    }
    const none = await admin.post('/admin/webhooks', { url: receiver.url });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('받을 사건을 하나 이상 고르세요.');
  });

  it('registers an endpoint, tests it, and shows every attempt in the log', async () => {
    const page = await register();
    const list = await admin.get('/admin/webhooks');
    expect(list.body).toContain('<small> 포털 수신</small>');
    expect(list.body).toContain('기사 출고');

    expect((await admin.post(`${page}/ping`)).headers.location).toBe(`${page}?ok=webhook-ping`);
    await app.watch.webhooks();
    expect(receiver.received.at(-1)).toMatchObject({ type: 'ping', verified: true });
    const detail = await admin.get(page);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain('테스트 전송');
    expect(detail.body).toContain('전달됨');
    expect(detail.body).toMatch(/HTTP 200 · \d[\d,]*ms/);
    expect(detail.body).toContain('<code>받았습니다</code>');

    receiver.mode = 'redirect';
    await admin.post(`${page}/ping`);
    await app.watch.webhooks();
    receiver.mode = 'ok';
    const failed = await admin.get(page);
    expect(failed.body).toContain('재시도 대기');
    expect(failed.body).toContain('다른 주소로 넘기는 답(HTTP 302)은 따르지 않습니다.');
  });

  it('turns an endpoint off and on, rotates its secret and deletes it', async () => {
    const page = await register(['article.updated', 'article.corrected']);
    expect((await admin.post(`${page}/disable`)).statusCode).toBe(303);
    expect((await admin.get(page)).body).toContain('다시 켜기');
    await admin.post(`${page}/enable`);
    expect((await admin.get(page)).body).toContain('끄기');

    const old = receiver.secret;
    const rotated = await admin.post(`${page}/rotate`);
    const secret = /secret-once">(whsec_[^<]+)</.exec(rotated.body)?.[1];
    expect(secret).toBeDefined();
    expect(secret).not.toBe(old);
    // For a day both secrets sign: a receiver still on the old one keeps verifying.
    await admin.post(`${page}/ping`);
    await app.watch.webhooks();
    expect(receiver.received.at(-1)?.verified).toBe(true);
    expect(receiver.received.at(-1)?.signature.match(/v1=/g)).toHaveLength(2);

    const saved = await admin.post(page, {
      url: receiver.url,
      description: '바꾼 설명',
      events: ['article.unpublished'],
    });
    expect(saved.headers.location).toBe(`${page}?ok=webhook-saved`);
    expect((await admin.get(page)).body).toContain('바꾼 설명');

    const gone = await admin.post(`${page}/delete`);
    expect(gone.headers.location).toBe('/admin/webhooks?ok=webhook-deleted');
    expect((await admin.get(page)).statusCode).toBe(404);
  });

  it('puts an endpoint switched off for failing at the top, and the notice leads there', async () => {
    const page = await register();
    const id = Number(page.split('/').at(-1));
    await app.database.db
      .updateTable('webhook_endpoints')
      .set({ enabled: 0, disabled_at: app.clock.now(), disabled_reason: '10번 넘게 실패' })
      .where('id', '=', id)
      .execute();
    await app.services.notifications.webhookDisabled({
      id,
      url: receiver.url,
      reason: '10번 넘게 실패',
    });
    const list = await admin.get('/admin/webhooks');
    expect(list.body).toContain('<h2>꺼진 웹훅</h2>');
    expect(list.body).toContain('10번 넘게 실패');
    const notices = await admin.get('/admin/notifications');
    expect(notices.body).toContain('웹훅 중지');
    const open = /href="(\/admin\/notifications\/\d+\/open)"/.exec(notices.body)?.[1];
    const opened = await admin.get(open as string);
    expect(opened.headers.location).toBe('/admin/webhooks');
  });
});
