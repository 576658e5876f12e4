import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchPublicPhoto, isPublicAddress } from './photo-fetch.ts';

describe('isPublicAddress', () => {
  // The old rule list had ::ffff:0:0/96, which Node's BlockList also applies to plain IPv4:
  // every IPv4 host counted as internal and API imports could fetch no photo from one.
  it.each(['93.184.216.34', '8.8.8.8', '211.234.10.5', '2606:4700::1111', '::ffff:8.8.8.8'])(
    'lets %s through',
    (address) => expect(isPublicAddress(address)).toBe(true),
  );

  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.0.10',
    '100.64.0.1',
    '169.254.169.254',
    '0.0.0.0',
    '255.255.255.255',
    '224.0.0.1',
    '198.51.100.7',
    '::1',
    '::',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
    '::7f00:1', // IPv4-compatible ::127.0.0.1
    '64:ff9b::7f00:1', // NAT64
    '2002:7f00:1::1', // 6to4 around 127.0.0.1
    '2001:0:4136:e378:8000:63bf:3fff:fdd2', // Teredo
    'fec0::1', // site-local
    'fe80::1',
    'fc00::1',
    'ff02::1',
    '2001:db8::1',
    'not an address',
  ])('refuses %s', (address) => expect(isPublicAddress(address)).toBe(false));
});

describe('fetchPublicPhoto against a local server', () => {
  let server: http.Server;
  let port = 0;
  const seen: { host: string | undefined; closed: boolean }[] = [];

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      const record = { host: request.headers.host, closed: false };
      seen.push(record);
      response.on('close', () => (record.closed = true));
      if (request.url === '/photo.jpg') {
        response.writeHead(200, { 'content-type': 'image/jpeg' }).end(Buffer.alloc(2048, 7));
      } else if (request.url === '/endless') {
        // Chunked, no length: 400 MB once took the importer to 1.42 GB.
        response.writeHead(200, { 'content-type': 'image/jpeg' });
        const chunk = Buffer.alloc(64 * 1024, 1);
        const pump = () => {
          while (!response.destroyed && response.write(chunk));
          if (!response.destroyed) response.once('drain', pump);
        };
        pump();
      } else if (request.url === '/moved') {
        response.writeHead(302, { location: 'http://127.0.0.1/secret' }).end();
      } else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** photos.example resolves (once) to this machine, which the test allows. */
  function options(maxBytes = 1024 * 1024) {
    const lookups: string[] = [];
    return {
      lookups,
      options: {
        maxBytes,
        timeoutMs: 5_000,
        resolve: async (host: string) => {
          lookups.push(host);
          return [{ address: '127.0.0.1', family: 4 }];
        },
        allowAddress: (address: string) => address === '127.0.0.1',
      },
    };
  }

  it('connects to the address it checked, resolving the host once', async () => {
    const { lookups, options: o } = options();
    const bytes = await fetchPublicPhoto(`http://photos.example:${port}/photo.jpg`, o);
    expect(bytes.length).toBe(2048);
    expect(lookups).toEqual(['photos.example']);
    expect(seen.at(-1)?.host).toBe(`photos.example:${port}`);
  });

  it('refuses a host when any of its addresses is internal', async () => {
    await expect(
      fetchPublicPhoto(`http://rebind.example:${port}/photo.jpg`, {
        maxBytes: 1024,
        timeoutMs: 1000,
        resolve: async () => [
          { address: '93.184.216.34', family: 4 },
          { address: '127.0.0.1', family: 4 },
        ],
      }),
    ).rejects.toThrow('내부망 주소의 사진은 가져올 수 없습니다: rebind.example');
  });

  it('stops reading past the limit when the server sends no length', async () => {
    const { options: o } = options(1024 * 1024);
    await expect(fetchPublicPhoto(`http://photos.example:${port}/endless`, o)).rejects.toThrow(
      '사진이 1MB보다 큽니다',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen.at(-1)?.closed).toBe(true);
  });

  it('does not follow redirects, and says what to do', async () => {
    const { options: o } = options();
    await expect(fetchPublicPhoto(`http://photos.example:${port}/moved`, o)).rejects.toThrow(
      '사진 주소가 다른 곳으로 넘겨집니다 (HTTP 302)',
    );
  });

  it('explains a host that does not resolve', async () => {
    await expect(
      fetchPublicPhoto('http://nowhere.example/a.jpg', {
        maxBytes: 1024,
        timeoutMs: 1000,
        resolve: async () => {
          throw new Error('ENOTFOUND');
        },
      }),
    ).rejects.toThrow('사진 주소의 호스트를 찾을 수 없습니다: nowhere.example');
  });
});
