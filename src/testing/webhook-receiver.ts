import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver got it, and whether its signature held. */
export interface Received {
  type: string;
  eventId: string;
  delivery: string;
  body: string;
  payload: Record<string, unknown>;
  signature: string;
  /** The signature checked the way the README tells receivers to. */
  verified: boolean;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** The endpoint's secret (known once the endpoint is registered). */
  secret: string;
  /** How it answers: 200, an error status, a redirect, never, or with a huge body. */
  mode: 'ok' | 'fail' | 'redirect' | 'hang' | 'huge';
  /** Time taken before answering (to make two workers overlap). */
  delayMs: number;
  close(): Promise<void>;
}

/**
 * A webhook receiver written the way the README tells integrators to: it takes the raw
 * body, recomputes HMAC-SHA256 of `<t>.<body>` with its secret, compares in constant time
 * and refuses a timestamp more than five minutes from its own clock (`nowSeconds`, which
 * tests tie to the app's manual clock).
 */
export async function startReceiver(nowSeconds: () => number): Promise<Receiver> {
  const hanging = new Set<http.ServerResponse>();
  const receiver: Receiver = {
    url: '',
    received: [],
    secret: '',
    mode: 'ok',
    delayMs: 0,
    close: async () => {
      for (const response of hanging) response.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };

  function verify(header: string, body: string): boolean {
    const parts = header.split(',').map((p) => p.split('='));
    const t = parts.find(([k]) => k === 't')?.[1];
    const signatures = parts.filter(([k]) => k === 'v1').map(([, v]) => v ?? '');
    if (t === undefined || !/^\d+$/.test(t)) return false;
    if (Math.abs(nowSeconds() - Number(t)) > 300) return false;
    const expected = createHmac('sha256', receiver.secret).update(`${t}.${body}`).digest();
    return signatures.some((s) => {
      const given = Buffer.from(s, 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  }

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const signature = String(request.headers['x-tamna-signature'] ?? '');
      receiver.received.push({
        type: String(request.headers['x-tamna-event'] ?? ''),
        eventId: String(request.headers['x-tamna-event-id'] ?? ''),
        delivery: String(request.headers['x-tamna-delivery'] ?? ''),
        body,
        payload: JSON.parse(body) as Record<string, unknown>,
        signature,
        verified: verify(signature, body),
      });
      const answer = () => {
        switch (receiver.mode) {
          case 'ok':
            response.writeHead(200, { 'content-type': 'text/plain' }).end('받았습니다');
            return;
          case 'fail':
            response.writeHead(500).end('잠시 고장');
            return;
          case 'redirect':
            response.writeHead(302, { location: 'http://169.254.169.254/latest' }).end();
            return;
          case 'huge':
            response.writeHead(200);
            response.write('x'.repeat(64 * 1024));
            // Never ends: the sender must stop reading by itself.
            hanging.add(response);
            return;
          case 'hang':
            hanging.add(response);
            return;
        }
      };
      if (receiver.delayMs > 0) setTimeout(answer, receiver.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/tamna`;
  return receiver;
}
