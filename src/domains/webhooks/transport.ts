import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ipLiteral, isPublicAddress } from '../../shared/public-address.ts';

export interface WebhookRequest {
  url: string;
  body: string;
  headers: Readonly<Record<string, string>>;
}

/** What one attempt came to; never thrown, always recorded. */
export interface WebhookResponse {
  /** The HTTP status, or null when no answer came. */
  status: number | null;
  latencyMs: number;
  /** Why the attempt failed, in Korean for the admin's log; null on a 2xx. */
  error: string | null;
  /** The start of the answer's body. */
  excerpt: string | null;
}

export interface TransportOptions {
  /** The whole exchange: connecting, sending, the answer's headers and its first bytes. */
  timeoutMs: number;
  /** Private, loopback and link-local addresses too (a receiver on the paper's own network). */
  allowPrivateAddresses: boolean;
  /** How much of an answer is read; the rest is never downloaded. */
  maxResponseBytes?: number;
  /** DNS for the host; replaceable in tests. */
  resolve?: (host: string) => Promise<{ address: string; family: number }[]>;
}

export type Transport = (request: WebhookRequest) => Promise<WebhookResponse>;

const EXCERPT_CHARS = 300;

// eslint-disable-next-line no-control-regex -- control characters are what is removed
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * Sends webhooks without letting an endpoint reach the paper's own network or hold a
 * worker: only http and https; the host resolved once, every address it has public (unless
 * allowed otherwise) and the connection made to the address checked, so DNS rebinding gets
 * nowhere; redirects are not followed (a 3xx is a failure); one deadline for the exchange;
 * at most `maxResponseBytes` of the answer read.
 */
export function createTransport(options: TransportOptions): Transport {
  const maxBytes = options.maxResponseBytes ?? 4096;
  const resolve = options.resolve ?? ((host: string) => dnsLookup(host, { all: true }));
  const allowed = (address: string) => options.allowPrivateAddresses || isPublicAddress(address);

  return async (request) => {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const failed = (error: string, status: number | null = null): WebhookResponse => ({
      status,
      latencyMs: elapsed(),
      error,
      excerpt: null,
    });
    let target: URL;
    try {
      target = new URL(request.url);
    } catch {
      return failed('주소가 올바르지 않습니다.');
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:')
      return failed('http 또는 https 주소로만 보냅니다.');
    const host = target.hostname;
    let addresses: { address: string; family: number }[];
    const literal = ipLiteral(host);
    try {
      addresses = literal !== null ? [literal] : await resolve(host);
    } catch {
      return failed(`호스트를 찾을 수 없습니다: ${host}`);
    }
    const first = addresses[0];
    if (first === undefined) return failed(`호스트를 찾을 수 없습니다: ${host}`);
    if (addresses.some((a) => !allowed(a.address)))
      return failed(`내부망 주소로는 보내지 않습니다: ${host}`);

    const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
      if (lookupOptions.all === true)
        callback(null, [{ address: first.address, family: first.family }]);
      else callback(null, first.address, first.family);
    };
    const client = target.protocol === 'https:' ? https : http;
    const body = Buffer.from(request.body, 'utf8');

    return new Promise<WebhookResponse>((settle) => {
      let done = false;
      const finish = (result: WebhookResponse) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        settle(result);
      };
      const outgoing = client.request(target, {
        method: 'POST',
        lookup: pinned,
        agent: false,
        headers: { ...request.headers, 'content-length': String(body.length) },
      });
      const timer = setTimeout(() => {
        finish(failed(`시간 초과 (${Math.round(options.timeoutMs / 1000)}초 안에 답이 없음)`));
        outgoing.destroy();
      }, options.timeoutMs);
      outgoing.on('response', (response) => {
        const status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let received = 0;
        const answer = () => {
          const text = Buffer.concat(chunks)
            .subarray(0, maxBytes)
            .toString('utf8')
            .replace(CONTROL, ' ')
            .trim()
            .slice(0, EXCERPT_CHARS);
          const ok = status >= 200 && status < 300;
          finish({
            status,
            latencyMs: elapsed(),
            error: ok
              ? null
              : status >= 300 && status < 400
                ? `다른 주소로 넘기는 답(HTTP ${status})은 따르지 않습니다. 최종 주소를 등록하세요.`
                : `HTTP ${status}`,
            excerpt: text === '' ? null : text,
          });
          response.destroy();
        };
        response.on('data', (chunk: Buffer) => {
          if (received >= maxBytes) return;
          chunks.push(chunk);
          received += chunk.length;
          if (received >= maxBytes) answer();
        });
        response.on('end', answer);
        response.on('close', answer);
        response.on('error', answer);
      });
      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        const reason =
          error.code === 'ECONNREFUSED'
            ? '연결이 거부되었습니다.'
            : error.code === 'ECONNRESET'
              ? '연결이 끊겼습니다.'
              : error.code === 'ENOTFOUND'
                ? `호스트를 찾을 수 없습니다: ${host}`
                : error.code?.startsWith('ERR_TLS') || error.code?.includes('CERT')
                  ? `TLS 인증서 오류: ${error.message}`
                  : `보내지 못했습니다: ${error.message}`;
        finish(failed(reason.slice(0, 500)));
      });
      outgoing.end(body);
    });
  };
}
