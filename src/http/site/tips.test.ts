import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addStaff } from '../../testing/admin-session.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { testDialects } from '../../testing/databases.ts';
import { jpegWithGps, multipartForm, tinyPdf } from '../../testing/tip-files.ts';

const SITE = 'https://news.example.kr';

type File = Parameters<typeof multipartForm>[1] extends (infer F)[] | undefined ? F : never;

describe.each(testDialects)('기사제보 on the public site (%s)', (dialect) => {
  let app: TestApp;

  // One app for the file: each test starts with no tips and no counted attempts.
  beforeAll(async () => {
    app = await createTestApp({ dialect });
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(async () => {
    await app.database.db.deleteFrom('tips').execute();
    await app.database.db.deleteFrom('tip_limits').execute();
  });

  /** Opens the form as a reader does; returns its signed timestamp. */
  async function openForm(): Promise<string> {
    const page = await app.http.inject({ url: '/jebo' });
    expect(page.statusCode).toBe(200);
    const token = /name="form_token" value="([^"]+)"/.exec(page.body)?.[1];
    if (token === undefined) throw new Error('no form token');
    return token;
  }

  const fields = (token: string, over: Record<string, string> = {}) => ({
    form_token: token,
    homepage: '',
    name: '김제보',
    contact: '010-1234-5678',
    body: '동문시장 앞 횡단보도 신호등이 사흘째 꺼져 있습니다. 아이들이 위험합니다.',
    consent: '1',
    ...over,
  });

  function post(
    form: Record<string, string>,
    files: File[] = [],
    options: { headers?: Record<string, string>; remoteAddress?: string } = {},
  ) {
    const { payload, contentType } = multipartForm(form, files);
    return app.http.inject({
      method: 'POST',
      url: '/jebo',
      remoteAddress: options.remoteAddress ?? '203.0.113.7',
      headers: { origin: SITE, 'content-type': contentType, ...options.headers },
      payload,
    });
  }

  const storedTips = () => app.database.db.selectFrom('tips').selectAll().execute();

  it('shows the form uncached, with the paper’s text, the consent notice and the honeypot', async () => {
    const page = await app.http.inject({ url: '/jebo' });
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['content-security-policy']).toContain("form-action 'self'");
    expect(page.body).toContain('<h1 class="policy-title">기사제보</h1>');
    expect(page.body).toContain('탐나일보는 독자 여러분의 제보를 기다립니다');
    expect(page.body).toContain('enctype="multipart/form-data"');
    expect(page.body).toContain('이름, 연락처, 첨부 파일은 90일 뒤 자동으로');
    expect(page.body).toMatch(
      /<div class="tip-trap" aria-hidden="true">.*name="homepage" tabindex="-1"/s,
    );
    // Each render is signed anew.
    const first = await openForm();
    app.clock.advance(1);
    expect(await openForm()).not.toBe(first);
  });

  it('takes a tip with a photo, answers with a receipt number and tells the desk (not the sender’s name)', async () => {
    await addStaff(app, 'desk', '오데스크', 'desk@tamnailbo.example');
    await addStaff(app, 'reporter', '강기자', 'reporter@tamnailbo.example');
    const token = await openForm();
    app.clock.advance(20_000);
    const res = await post(fields(token), [
      { name: '신호등 사진.jpg', type: 'image/jpeg', bytes: await jpegWithGps() },
    ]);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(303);
    const location = res.headers.location ?? '';
    expect(location).toMatch(/^\/jebo\/received\?r=\d{6}-[A-Z2-9]{6}$/);
    const receipt = location.split('=')[1]!;

    const done = await app.http.inject({ url: location });
    expect(done.headers['cache-control']).toBe('no-store');
    expect(done.body).toContain(`접수번호 <strong>${receipt}</strong>`);
    expect(done.body).toContain('<meta name="robots" content="noindex">');

    const [tip] = await storedTips();
    expect(tip).toMatchObject({ receipt, name: '김제보', file_count: 1 });
    const files = await app.database.db.selectFrom('tip_files').select('name').execute();
    expect(files).toEqual([{ name: '신호등 사진.jpg' }]);

    const desk = await app.services.accounts.findUserByEmail('desk@tamnailbo.example');
    const reporter = await app.services.accounts.findUserByEmail('reporter@tamnailbo.example');
    const notices = await app.services.notifications.list(desk!.id);
    expect(notices).toMatchObject([{ kind: 'tip', tipId: tip!.id, read: false }]);
    expect(notices[0]!.text).toBe(`새 기사제보가 들어왔습니다 (접수번호 ${receipt}).`);
    expect(await app.services.notifications.unreadCount(reporter!.id)).toBe(0);
  });

  it('refuses a form sent the moment it was opened, keeping what was typed', async () => {
    const token = await openForm();
    app.clock.advance(1_000);
    const res = await post(fields(token, { name: '<b>빠른</b> 사람' }));
    expect(res.statusCode).toBe(400);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('너무 빨리 보내셨습니다');
    expect(res.body).toContain('value="&lt;b&gt;빠른&lt;/b&gt; 사람"');
    expect(await storedTips()).toEqual([]);
    // A day-old form is refused too, and does not use up the sender's share.
    app.clock.advance(2 * 24 * 60 * 60 * 1000);
    const old = await post(fields(token));
    expect(old.statusCode).toBe(400);
    expect(old.body).toContain('양식을 연 지 오래되었습니다');
    const forged = await post(fields(`${app.clock.now() - 10_000}.${'A'.repeat(43)}`));
    expect(forged.body).toContain('제보를 보내지 못했습니다');
    expect(await storedTips()).toEqual([]);
  });

  it('holds back a filled honeypot without saying why', async () => {
    const token = await openForm();
    app.clock.advance(20_000);
    const res = await post(fields(token, { homepage: 'http://spam.example' }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('제보를 보내지 못했습니다');
    expect(res.body).not.toContain('홈페이지 주소를');
    expect(await storedTips()).toEqual([]);
  });

  it.each([
    [{ origin: 'https://evil.example' }],
    [{ origin: 'null' }],
    [{ origin: '', 'sec-fetch-site': 'cross-site' }],
    [{ origin: '', referer: 'https://evil.example/form.html' }],
  ])('refuses a post from another site (%j) before reading it', async (headers) => {
    const token = await openForm();
    app.clock.advance(20_000);
    const clean = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== ''));
    const { payload, contentType } = multipartForm(fields(token));
    const res = await app.http.inject({
      method: 'POST',
      url: '/jebo',
      headers: { 'content-type': contentType, ...clean },
      payload,
    });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('다른 사이트에서 보낸 제보는 받지 않습니다');
    expect(await storedTips()).toEqual([]);
  });

  it('accepts a post from the address it was sent to, whatever the configured URL', async () => {
    const token = await openForm();
    app.clock.advance(20_000);
    const res = await post(fields(token), [], {
      headers: { origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' },
    });
    expect(res.statusCode).toBe(303);
  });

  it('answers missing, hostile and oversized input with Korean messages, never a 500', async () => {
    const token = await openForm();
    app.clock.advance(20_000);
    const cases: [Record<string, string>, File[], number, string][] = [
      [fields(token, { name: '' }), [], 400, '이름을 적어 주세요.'],
      [fields(token, { contact: '나중에' }), [], 400, '연락처는 전화번호'],
      [fields(token, { body: '' }), [], 400, '제보 내용을 10자 이상'],
      [fields(token, { consent: '' }), [], 400, '개인정보 수집·이용에 동의해야'],
      [fields(token, { body: '가'.repeat(30_000) }), [], 400, '입력한 내용이 너무 깁니다'],
      [fields(token, { body: '가'.repeat(5_001) }), [], 400, '5,000자까지'],
      [
        fields(token),
        [{ name: 'x.jpg', type: 'image/jpeg', bytes: Buffer.from('<?php echo 1; ?>') }],
        400,
        '지원하지 않는 사진 형식입니다',
      ],
      [
        fields(token),
        [{ name: 'big.jpg', type: 'image/jpeg', bytes: Buffer.alloc(11 * 1024 * 1024, 1) }],
        413,
        '첨부 파일은 하나에 10MB까지',
      ],
      [
        fields(token),
        Array.from({ length: 7 }, () => ({
          name: 'p.pdf',
          type: 'application/pdf',
          bytes: tinyPdf(),
        })),
        400,
        '사진은 5장까지',
      ],
      [
        fields(token),
        [
          { name: 'a.pdf', type: 'application/pdf', bytes: tinyPdf() },
          { name: 'b.pdf', type: 'application/pdf', bytes: tinyPdf() },
        ],
        400,
        'PDF는 한 개만',
      ],
    ];
    for (const [form, files, status, message] of cases) {
      const res = await post(form, files);
      expect(res.statusCode, message).toBe(status);
      expect(res.body, message).toContain(message);
      expect(res.headers['cache-control']).toBe('no-store');
    }
    // Not multipart at all.
    const plain = await app.http.inject({
      method: 'POST',
      url: '/jebo',
      headers: { origin: SITE, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=x',
    });
    expect(plain.statusCode).toBe(400);
    expect(plain.body).toContain('제보 양식으로 보내 주세요');
    expect(await storedTips()).toEqual([]);
    // None of those used up the sender's share: fixing the form and sending works.
    const ok = await post(fields(token), [
      { name: '회신.pdf', type: 'application/pdf', bytes: tinyPdf() },
    ]);
    expect(ok.statusCode).toBe(303);
  });

  it('takes exactly five of twenty parallel tips from one address, and still takes others', async () => {
    const token = await openForm();
    app.clock.advance(20_000);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        post(fields(token, { body: `${i}번째 제보입니다. 같은 곳에서 보냅니다.` })),
      ),
    );
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes.filter((c) => c === 303)).toHaveLength(5);
    expect(codes.filter((c) => c === 429)).toHaveLength(15);
    const refused = answers.find((a) => a.statusCode === 429)!;
    expect(refused.body).toContain('같은 곳에서 제보가 많이 와서');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await storedTips()).toHaveLength(5);
    const other = await post(fields(token), [], { remoteAddress: '198.51.100.20' });
    expect(other.statusCode).toBe(303);
  });

  it('shows no receipt for a made-up one', async () => {
    const res = await app.http.inject({ url: '/jebo/received?r=%3Cscript%3E' });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('class="tip-receipt"');
    expect(res.body).not.toContain('<script>alert');
  });
});
