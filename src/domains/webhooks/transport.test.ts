import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEndpointUrl } from './service.ts';
import { createTransport } from './transport.ts';

describe('webhook addresses', () => {
  it('refuses what could reach the paper’s own network unless allowed', () => {
    for (const url of [
      'http://127.0.0.1/hook',
      'http://localhost:8080/hook',
      'http://intranet.local/hook',
      'http://[::1]/hook',
      'http://10.0.0.5/hook',
      'http://192.168.0.1/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::ffff:127.0.0.1]/hook',
      'http://0.0.0.0/',
    ])
      expect(() => checkEndpointUrl(url, false), url).toThrow('내부망 주소로는 보낼 수 없습니다.');
    expect(checkEndpointUrl('http://127.0.0.1:9000/hook', true)).toBe('http://127.0.0.1:9000/hook');
    expect(checkEndpointUrl(' https://partner.example/hooks?x=1 ', false)).toBe(
      'https://partner.example/hooks?x=1',
    );
    expect(() => checkEndpointUrl('javascript:alert(1)', false)).toThrow('http:// 또는 https://');
    expect(() => checkEndpointUrl('https://partner.example/#frag', false)).toThrow('#부분');
  });
});

describe('sending a webhook', () => {
  let server: http.Server;
  let base: string;
  const open = new Set<http.ServerResponse>();

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      request.resume();
      if (request.url === '/redirect') {
        response.writeHead(301, { location: 'http://127.0.0.1:1/' }).end();
      } else if (request.url === '/endless') {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.write('가'.repeat(10_000));
        open.add(response);
      } else if (request.url === '/hang') {
        open.add(response);
      } else {
        response.writeHead(204).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const response of open) response.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const request = (path: string) => ({ url: base + path, body: '{}', headers: {} });

  it('refuses a private address, also behind a public-looking name, before connecting', async () => {
    const send = createTransport({ timeoutMs: 1000, allowPrivateAddresses: false });
    const direct = await send(request('/ok'));
    expect(direct).toMatchObject({
      status: null,
      error: '내부망 주소로는 보내지 않습니다: 127.0.0.1',
    });
    // A name whose DNS answers with an internal address (rebinding) is refused the same way.
    const rebinding = createTransport({
      timeoutMs: 1000,
      allowPrivateAddresses: false,
      resolve: async () => [
        { address: '93.184.216.34', family: 4 },
        { address: '10.1.2.3', family: 4 },
      ],
    });
    expect(
      (await rebinding({ url: 'https://partner.example/hook', body: '{}', headers: {} })).error,
    ).toBe('내부망 주소로는 보내지 않습니다: partner.example');
    expect((await send({ url: 'file:///etc/passwd', body: '', headers: {} })).error).toBe(
      'http 또는 https 주소로만 보냅니다.',
    );
  });

  it('does not follow redirects, reads a bounded answer and keeps to its deadline', async () => {
    const send = createTransport({
      timeoutMs: 500,
      allowPrivateAddresses: true,
      maxResponseBytes: 2048,
    });
    expect(await send(request('/ok'))).toMatchObject({ status: 204, error: null });
    const moved = await send(request('/redirect'));
    expect(moved.status).toBe(301);
    expect(moved.error).toContain('따르지 않습니다');
    // An answer that never ends is cut after 2 KB, long before the deadline.
    const endless = await send(request('/endless'));
    expect(endless.status).toBe(200);
    expect(endless.error).toBeNull();
    expect(endless.latencyMs).toBeLessThan(500);
    expect([...(endless.excerpt ?? '')].length).toBeLessThanOrEqual(300);
    const hang = await send(request('/hang'));
    expect(hang).toMatchObject({ status: null, error: '시간 초과 (1초 안에 답이 없음)' });
    expect(hang.latencyMs).toBeGreaterThanOrEqual(450);
    const refused = await send({ url: 'http://127.0.0.1:1/', body: '{}', headers: {} });
    expect(refused.error).toBe('연결이 거부되었습니다.');
  });
});
