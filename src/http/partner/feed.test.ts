import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { seedFixture, type Fixture } from '../../testing/fixtures.ts';
import { tokenMatches } from './feed.ts';

const NAVER = 'naver-0123456789abcdef0123456789';
const DAUM = 'daum-fedcba9876543210fedcba98765';

describe('tokenMatches', () => {
  const hashed = [NAVER, DAUM].map((t) => createHash('sha256').update(t).digest());
  it('accepts each configured token and nothing near it', () => {
    expect(tokenMatches(NAVER, hashed)).toBe(true);
    expect(tokenMatches(DAUM, hashed)).toBe(true);
    for (const wrong of [
      '',
      NAVER.slice(0, -1),
      `${NAVER}x`,
      NAVER.toUpperCase(),
      `${NAVER},${DAUM}`,
    ])
      expect(tokenMatches(wrong, hashed), wrong).toBe(false);
  });
});

describe('GET /partner/feed.json without a partner token configured', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('does not exist', async () => {
    const res = await app.http.inject({
      url: '/partner/feed.json',
      headers: { authorization: `Bearer ${NAVER}` },
    });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('text/html');
  });
});

describe('GET /partner/feed.json', () => {
  let app: TestApp;
  let fx: Fixture;
  beforeAll(async () => {
    app = await createTestApp({ env: { TAMNA_PARTNER_TOKEN: `${NAVER},${DAUM}` } });
    fx = await seedFixture(app, { articlesPerSection: 1 });
  });
  afterAll(async () => {
    await app.close();
  });

  const get = (query = '', token: string | null = NAVER) =>
    app.http.inject({
      url: `/partner/feed.json${query}`,
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
    });

  it('refuses a missing or wrong token with 401 and says how to send one', async () => {
    for (const res of [
      await get('', null),
      await get('', 'wrong-token-0123456789abcdef'),
      await get('', `${NAVER} extra`),
      await get('', 'x'.repeat(10_000)),
      await app.http.inject({
        url: '/partner/feed.json',
        headers: { authorization: `Basic ${Buffer.from(`a:${NAVER}`).toString('base64')}` },
      }),
    ]) {
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="partner"');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.json()).toEqual({
        error: 'unauthorized',
        message: expect.stringContaining('Authorization: Bearer'),
      });
    }
  });

  it('answers each partner’s token, in the header or the address', async () => {
    for (const res of [await get(), await get('', DAUM), await get(`?token=${DAUM}`, null)]) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-store');
      const body = res.json<{ publisher: unknown; generatedAt: string; items: unknown[] }>();
      expect(body.publisher).toEqual({ name: '탐나일보', url: 'https://news.example.kr' });
      expect(body.generatedAt).toBe('2025-12-09T14:00:00+09:00');
      expect(body.items).toHaveLength(fx.published.length + 1);
    }
  });

  it('pages with limit and next, and lists a takedown as a deletion', async () => {
    const first = (await get('?limit=2')).json<{
      items: { id: number }[];
      next: string;
      more: boolean;
    }>();
    expect(first.items).toHaveLength(2);
    expect(first.more).toBe(true);
    const rest = (await get(`?since=${first.next}&limit=500`)).json<{
      items: unknown[];
      next: string;
      more: boolean;
    }>();
    expect(rest.items).toHaveLength(fx.published.length - 1);
    expect(rest.more).toBe(false);

    await app.services.writer.setStatus(fx.published[0]!, 'unpublished');
    const after = (await get(`?since=${rest.next}`)).json<{ items: unknown[] }>();
    expect(after.items).toEqual([{ id: fx.published[0], deleted: true }]);
  });

  it('answers a hostile since or limit with 400 and a Korean message, never a 500', async () => {
    const cases: [string, string][] = [
      ['?since=garbage', 'invalid_cursor'],
      [`?since=${'A'.repeat(5000)}`, 'invalid_cursor'],
      ['?since=%27%20or%201%3D1%20--', 'invalid_cursor'],
      ['?since=%00', 'invalid_cursor'],
      [`?since=${Buffer.from('c1:99999999').toString('base64url')}`, 'invalid_cursor'],
      [`?since=${Buffer.from('c1:-5').toString('base64url')}`, 'invalid_cursor'],
      ['?since=a&since=b', 'invalid_cursor'],
      ['?limit=0', 'invalid_limit'],
      ['?limit=501', 'invalid_limit'],
      ['?limit=ten', 'invalid_limit'],
      ['?limit=1e2', 'invalid_limit'],
    ];
    for (const [query, error] of cases) {
      const res = await get(query);
      expect(res.statusCode, query).toBe(400);
      const body = res.json<{ error: string; message: string }>();
      expect(body.error, query).toBe(error);
      expect(body.message, query).toMatch(/[가-힣]/);
    }
  });
});
