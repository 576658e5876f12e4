import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { seedFixture, type Fixture } from '../../testing/fixtures.ts';
import { HEAD_SCRIPT } from '../../views/head-script.ts';

const PHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148';

describe('policy pages, the footer and the article’s tools', () => {
  let app: TestApp;
  let fx: Fixture;

  beforeAll(async () => {
    app = await createTestApp();
    fx = await seedFixture(app);
  });
  afterAll(async () => {
    await app.close();
  });

  const get = (url: string, ua?: string) =>
    app.http.inject({ url, headers: ua === undefined ? {} : { 'user-agent': ua } });

  it('serves each policy page at its address, cached, naming the paper and its officers', async () => {
    const privacy = await get('/policy/privacy');
    expect(privacy.statusCode).toBe(200);
    expect(privacy.headers['cache-control']).toMatch(/^public, max-age=0, s-maxage=\d+/);
    expect(privacy.body).toContain('<title>개인정보처리방침 - 탐나일보</title>');
    expect(privacy.body).toContain('개인정보 보호책임자: 고한결 (발행인)');
    expect(privacy.body).toContain(
      '<a href="/policy/privacy" aria-current="page" class="policy-privacy">',
    );
    expect((await get('/policy/youth')).body).toContain('청소년보호책임자: 강다온');
    for (const slug of ['terms', 'copyright', 'ethics', 'advertising'])
      expect((await get(`/policy/${slug}`)).statusCode, slug).toBe(200);
    const tip = await get('/policy/tip');
    expect(tip.statusCode).toBe(301);
    expect(tip.headers.location).toBe('/jebo');
    expect((await get('/policy/nothing')).statusCode).toBe(404);
    expect((await get('/policy/..%2Fadmin')).statusCode).toBe(404);
  });

  it('links every policy page from the footer, 개인정보처리방침 marked, with the 신문법 details', async () => {
    const html = (await get('/')).body;
    const footer = html.slice(html.indexOf('<footer class="site-footer">'));
    for (const [href, title] of [
      ['/policy/terms', '이용약관'],
      ['/policy/privacy', '개인정보처리방침'],
      ['/policy/youth', '청소년보호정책'],
      ['/policy/copyright', '저작권 정책'],
      ['/policy/ethics', '윤리강령'],
      ['/jebo', '기사제보'],
      ['/policy/advertising', '광고문의'],
    ])
      expect(footer).toMatch(new RegExp(`<a href="${href}"[^>]*>${title}</a>`));
    expect(footer).toContain('<a href="/policy/privacy" class="policy-privacy">');
    for (const detail of [
      '인터넷신문 등록번호',
      '제주 아00000',
      '발행인',
      '편집인',
      '청소년보호책임자',
    ])
      expect(footer).toContain(detail);
  });

  it('shows a saved wording at once (the page cache drops it)', async () => {
    expect((await get('/policy/ethics')).body).not.toContain('새 윤리강령');
    const { user: admin } = await app.services.accounts.createUser({
      email: 'boss@tamnailbo.example',
      name: '고한결',
      role: 'admin',
      password: '제주바다-2025-desk!',
    });
    await app.services.policies.save(
      'ethics',
      '<h2>새 윤리강령</h2><p>진실을 보도한다.</p>',
      admin.id,
    );
    const page = (await get('/policy/ethics')).body;
    expect(page).toContain('<h2>새 윤리강령</h2>');
    expect(page).toContain('최종 수정 <time');
  });

  it('allows exactly its own inline script by hash, and no Kakao host without a key', async () => {
    const res = await get(`/news/${fx.published[0]}`);
    const csp = res.headers['content-security-policy'] as string;
    const hash = createHash('sha256').update(HEAD_SCRIPT).digest('base64');
    expect(csp).toContain(`script-src 'self' 'sha256-${hash}';`);
    expect(csp).not.toContain('kakao');
    expect(res.body).toContain(`<script>${HEAD_SCRIPT}</script>`);
    expect(res.body).not.toContain('data-share="kakao"');
  });

  it('puts share links and reading tools under the byline, and the address for print', async () => {
    const id = fx.published[0]!;
    const html = (await get(`/news/${id}`, PHONE)).body;
    const url = encodeURIComponent(`https://news.example.kr/news/${id}`);
    expect(html).toContain(`href="https://www.facebook.com/sharer/sharer.php?u=${url}"`);
    expect(html).toMatch(
      new RegExp(`href="https://x\\.com/intent/post\\?url=${url}&amp;text=[^"]+"`),
    );
    expect(html).toMatch(
      /href="https:\/\/band\.us\/plugin\/share\?body=[^"]+&amp;route=https%3A%2F%2Fnews\.example\.kr"/,
    );
    expect(html).toContain('data-share="copy"');
    expect(html).toContain('data-font-step="1"');
    expect(html).toContain('data-print');
    expect(html).toContain(
      `<p class="print-only print-url">https://news.example.kr/news/${id}</p>`,
    );
    // No third-party script on the page before a reader asks.
    expect(html).not.toMatch(/<script[^>]+src="https?:/);
  });
});

describe('with a Kakao JavaScript key', () => {
  let app: TestApp;
  let fx: Fixture;
  const key = '0123456789abcdef0123456789abcdef';

  beforeAll(async () => {
    app = await createTestApp({ env: { TAMNA_KAKAO_JS_KEY: key } });
    fx = await seedFixture(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('shows the KakaoTalk button and lets the SDK’s host serve script, nothing else', async () => {
    const res = await app.http.inject({ url: `/news/${fx.published[0]}` });
    expect(res.body).toContain('data-share="kakao"');
    expect(res.body).toContain(`data-kakao-key="${key}"`);
    expect(res.body).not.toContain('kakaocdn');
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toMatch(/script-src 'self' 'sha256-[^']+' https:\/\/t1\.kakaocdn\.net;/);
    expect(csp).toContain("connect-src 'self';");
  });
});
