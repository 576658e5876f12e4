import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { isPublicAddress } from '../../shared/public-address.ts';

export { isPublicAddress };

export class PhotoFetchError extends Error {}

export interface PhotoFetchOptions {
  maxBytes: number;
  timeoutMs: number;
  /** DNS for the host; replaceable in tests. */
  resolve?: (host: string) => Promise<{ address: string; family: number }[]>;
  /** Which resolved addresses may be connected to; isPublicAddress unless a test says. */
  allowAddress?: (address: string) => boolean;
}

const megabytes = (bytes: number) => Math.round(bytes / 1024 / 1024);

/**
 * Photos named by URL in records sent over the admin API: the server must fetch them
 * without reaching its own network. Four things hold that:
 *
 *  - only public addresses (isPublicAddress, in shared/);
 *  - the host is resolved once, every address it has must be public, and the connection
 *    goes to the address that was checked (no second lookup a rebinding DNS could answer
 *    differently);
 *  - no redirects;
 *  - the body is counted as it arrives and the download stops past the limit, whether or
 *    not the server announced a length.
 */
export async function fetchPublicPhoto(url: string, options: PhotoFetchOptions): Promise<Buffer> {
  const target = new URL(url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    throw new PhotoFetchError(`사진 주소는 http(s) URL이어야 합니다: ${url}`);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const allow = options.allowAddress ?? isPublicAddress;
  let addresses: { address: string; family: number }[];
  try {
    addresses = ipaddr.isValid(host)
      ? [{ address: host, family: ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4 }]
      : await (options.resolve ?? ((h) => dnsLookup(h, { all: true })))(host);
  } catch {
    throw new PhotoFetchError(`사진 주소의 호스트를 찾을 수 없습니다: ${host}`);
  }
  const first = addresses[0];
  if (first === undefined || addresses.some((a) => !allow(a.address)))
    throw new PhotoFetchError(`내부망 주소의 사진은 가져올 수 없습니다: ${host}`);

  // The connection uses the address checked above, whatever DNS would say now.
  const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all === true)
      callback(null, [{ address: first.address, family: first.family }]);
    else callback(null, first.address, first.family);
  };
  const client = target.protocol === 'https:' ? https : http;
  return new Promise<Buffer>((resolve, reject) => {
    const request = client.get(
      target,
      {
        lookup: pinned,
        headers: { 'user-agent': 'Tamna photo import', accept: 'image/*' },
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          response.resume();
          request.destroy();
          reject(
            new PhotoFetchError(
              status >= 300 && status < 400
                ? `사진 주소가 다른 곳으로 넘겨집니다 (HTTP ${status}). 최종 주소를 적어 주세요: ${url}`
                : `사진을 내려받지 못했습니다 (${url}): HTTP ${status}`,
            ),
          );
          return;
        }
        const tooLarge = () =>
          new PhotoFetchError(`사진이 ${megabytes(options.maxBytes)}MB보다 큽니다 (${url}).`);
        if (Number(response.headers['content-length'] ?? 0) > options.maxBytes) {
          request.destroy();
          reject(tooLarge());
          return;
        }
        const chunks: Buffer[] = [];
        let received = 0;
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > options.maxBytes) {
            request.destroy();
            reject(tooLarge());
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => resolve(Buffer.concat(chunks)));
        response.on('error', (error) => reject(new PhotoFetchError(error.message)));
      },
    );
    request.on('error', (error) => {
      const reason =
        error.name === 'TimeoutError' || error.name === 'AbortError' ? '시간 초과' : error.message;
      reject(new PhotoFetchError(`사진을 내려받지 못했습니다 (${url}): ${reason}`));
    });
  });
}
