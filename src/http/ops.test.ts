import { Writable } from 'node:stream';
import { sql } from 'kysely';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { testDialects } from '../testing/databases.ts';

const TOKEN = 'metrics-token-0123456789';

describe('metrics and request ids', () => {
  let app: TestApp | null = null;
  afterEach(async () => {
    await app?.close();
    app = null;
  });

  it('serves Prometheus metrics only with the token', async () => {
    app = await createTestApp({ env: { TAMNA_METRICS_TOKEN: TOKEN } });
    const section = await app.services.writer.createSection({ slug: 'society', name: '사회' });
    await app.services.writer.createArticle({
      sectionId: section,
      title: '기사',
      status: 'published',
    });
    await app.http.inject({ method: 'GET', url: '/' });
    await app.http.inject({ method: 'GET', url: '/' });
    await app.http.inject({ method: 'GET', url: '/nowhere' });
    expect((await app.http.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const wrong = await app.http.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN.replace('0', '1')}` },
    });
    expect(wrong.statusCode).toBe(401);
    const res = await app.http.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const text = res.body;
    expect(text).toMatch(/tamna_http_requests_total\{kind="front",status="2xx"\} 2/);
    expect(text).toMatch(/tamna_http_requests_total\{kind="not_found",status="4xx"\} 1/);
    expect(text).toMatch(/tamna_http_request_duration_seconds_bucket\{le="[\d.]+",kind="front"\}/);
    expect(text).toMatch(/tamna_page_cache_hits_total 1/);
    expect(text).toMatch(/tamna_page_cache_misses_total [1-9]/);
    expect(text).toMatch(/tamna_page_cache_bytes [1-9]/);
    expect(text).toMatch(/tamna_page_render_seconds_count\{kind="front"\} 1/);
    expect(text).toMatch(/tamna_db_query_duration_seconds_count\{outcome="ok"\} [1-9]/);
    expect(text).toMatch(/tamna_process_resident_memory_bytes [1-9]/);
  });

  it('has no /metrics at all without a token', async () => {
    app = await createTestApp();
    const res = await app.http.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer anything-at-all-here' },
    });
    expect(res.statusCode).toBe(404);
  });

  it('gives every response a request id, keeping a proxy’s plausible one', async () => {
    app = await createTestApp();
    const a = await app.http.inject({ method: 'GET', url: '/healthz' });
    const b = await app.http.inject({ method: 'GET', url: '/healthz' });
    expect(a.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-z]+$/);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
    const kept = await app.http.inject({
      method: 'GET',
      url: '/',
      headers: { 'x-request-id': 'f1e2d3c4b5a697886f1e2d3c4b5a6978' },
    });
    expect(kept.headers['x-request-id']).toBe('f1e2d3c4b5a697886f1e2d3c4b5a6978');
    const forged = await app.http.inject({
      method: 'GET',
      url: '/',
      headers: { 'x-request-id': 'x\u0000"}{log injection' },
    });
    expect(forged.headers['x-request-id']).not.toContain('log');
  });

  it('logs a failed request with its request id and answers in Korean', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logged = await createTestApp({ logger: pino({ level: 'error' }, sink) });
    try {
      await logged.database.close();
      const res = await logged.http.inject({
        method: 'GET',
        url: '/',
        headers: { 'x-request-id': 'req-abcdef-123456' },
      });
      expect(res.statusCode).toBe(500);
      // Before the fix, routes added before the error handler answered with Fastify's JSON
      // and logged nothing.
      expect(res.body).toBe('일시적인 오류가 발생했습니다.');
      const line = lines
        .map((l) => JSON.parse(l) as { reqId?: string; msg?: string })
        .find((l) => l.msg === 'request failed');
      expect(line?.reqId).toBe('req-abcdef-123456');
    } finally {
      await logged.close().catch(() => {});
    }
  });
});

describe.each(testDialects)('/readyz on %s', (dialect) => {
  let app: TestApp;
  afterEach(async () => {
    await app.close();
  });

  it('is ready when the database answers and migrations are current, not while stopping', async () => {
    app = await createTestApp({ dialect });
    const ready = await app.http.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
    app.beginShutdown();
    const stopping = await app.http.inject({ method: 'GET', url: '/readyz' });
    expect(stopping.statusCode).toBe(503);
    expect(stopping.json()).toEqual({ status: 'unavailable', reason: 'shutting down' });
    // Liveness is another question: the process still answers.
    expect((await app.http.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('is not ready while this code has migrations the database has not run', async () => {
    app = await createTestApp({ dialect });
    await sql`delete from kysely_migration where name = ${'0009_search'}`.execute(app.database.db);
    const res = await app.http.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      status: 'unavailable',
      reason: 'migrations pending: 0009_search',
    });
  });
});
