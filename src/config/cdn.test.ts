import { describe, expect, it } from 'vitest';
import { loadConfig } from './index.ts';

const ZONE = '0123456789abcdef0123456789abcdef';
const TOKEN = 'cf-token-0123456789abcdef0123';
const load = (env: Record<string, string>) => loadConfig({ TAMNA_DATA_DIR: '/tmp/tamna', ...env });

describe('CDN settings', () => {
  it('without a provider purges nothing and keeps shared copies a minute, varying by User-Agent', () => {
    expect(load({}).cdn).toEqual({
      provider: null,
      deviceHeader: null,
      maxAgeSeconds: 60,
      tagPrefix: '',
      tagHeaders: [],
    });
  });

  it('reads Cloudflare: zone and token, Cache-Tag, and its own device header', () => {
    expect(
      load({
        TAMNA_CDN_PROVIDER: 'Cloudflare',
        TAMNA_CDN_CLOUDFLARE_ZONE_ID: ZONE,
        TAMNA_CDN_CLOUDFLARE_API_TOKEN: TOKEN,
      }).cdn,
    ).toEqual({
      provider: {
        kind: 'cloudflare',
        zoneId: ZONE,
        apiToken: TOKEN,
        apiUrl: 'https://api.cloudflare.com/client/v4',
      },
      deviceHeader: 'cf-device-type',
      maxAgeSeconds: 300,
      tagPrefix: '',
      tagHeaders: ['cache-tag'],
    });
  });

  it('reads Fastly with soft purges, and a generic Varnish/nginx with its endpoints', () => {
    const fastly = load({
      TAMNA_CDN_PROVIDER: 'fastly',
      TAMNA_CDN_FASTLY_SERVICE_ID: 'SU1Z0isxPaozGVKXdv0eY',
      TAMNA_CDN_FASTLY_API_KEY: 'fastly-key-0123456789abcdef',
      TAMNA_CDN_FASTLY_SOFT_PURGE: 'true',
      TAMNA_CDN_TAG_PREFIX: 'jeju-',
      TAMNA_CDN_MAX_AGE: '600',
    }).cdn;
    expect(fastly.provider).toMatchObject({ kind: 'fastly', softPurge: true });
    expect(fastly).toMatchObject({
      deviceHeader: 'x-tamna-device',
      tagHeaders: ['surrogate-key'],
      tagPrefix: 'jeju-',
      maxAgeSeconds: 600,
    });
    const varnish = load({
      TAMNA_CDN_PROVIDER: 'http',
      TAMNA_CDN_HTTP_ENDPOINTS: 'http://10.0.0.5:6081/, http://10.0.0.6:6081',
      TAMNA_CDN_TAG_HEADERS: 'Surrogate-Key,Cache-Tag',
      TAMNA_CDN_DEVICE_HEADER: 'X-Device',
    }).cdn;
    expect(varnish).toMatchObject({
      provider: {
        kind: 'http',
        endpoints: ['http://10.0.0.5:6081', 'http://10.0.0.6:6081'],
        mode: 'ban',
      },
      tagHeaders: ['surrogate-key', 'cache-tag'],
      deviceHeader: 'x-device',
    });
  });

  it('stops with one clear line for each mistake, never repeating a secret', () => {
    const message = (env: Record<string, string>) => {
      try {
        load(env);
      } catch (error) {
        return (error as Error).message;
      }
      return 'no error';
    };
    expect(message({ TAMNA_CDN_PROVIDER: 'akamai' })).toBe(
      'TAMNA_CDN_PROVIDER="akamai" is not supported; use cloudflare, fastly or http (Varnish, nginx), or leave it unset.',
    );
    expect(
      message({ TAMNA_CDN_PROVIDER: 'cloudflare', TAMNA_CDN_CLOUDFLARE_API_TOKEN: TOKEN }),
    ).toMatch(/^TAMNA_CDN_PROVIDER=cloudflare needs TAMNA_CDN_CLOUDFLARE_ZONE_ID: the Zone ID/);
    const badToken = message({
      TAMNA_CDN_PROVIDER: 'cloudflare',
      TAMNA_CDN_CLOUDFLARE_ZONE_ID: ZONE,
      TAMNA_CDN_CLOUDFLARE_API_TOKEN: 'has spaces in it, secret!',
    });
    expect(badToken).toMatch(/^TAMNA_CDN_CLOUDFLARE_API_TOKEN does not look right/);
    expect(badToken).not.toContain('secret!');
    expect(
      message({ TAMNA_CDN_PROVIDER: 'fastly', TAMNA_CDN_FASTLY_SERVICE_ID: 'abcdefgh12' }),
    ).toMatch(/needs TAMNA_CDN_FASTLY_API_KEY/);
    expect(message({ TAMNA_CDN_PROVIDER: 'http' })).toMatch(/needs TAMNA_CDN_HTTP_ENDPOINTS/);
    expect(
      message({ TAMNA_CDN_PROVIDER: 'http', TAMNA_CDN_HTTP_ENDPOINTS: 'varnish:6081' }),
    ).toMatch(/must start with http:\/\/ or https:\/\//);
    expect(
      message({
        TAMNA_CDN_PROVIDER: 'http',
        TAMNA_CDN_HTTP_ENDPOINTS: 'http://v:6081',
        TAMNA_CDN_HTTP_MODE: 'xkey',
      }),
    ).toMatch(/TAMNA_CDN_HTTP_MODE="xkey" must be ban/);
    expect(message({ TAMNA_CDN_MAX_AGE: '5' })).toMatch(/from 10 to 86400/);
    expect(message({ TAMNA_CDN_TAG_PREFIX: 'two words' })).toMatch(/TAMNA_CDN_TAG_PREFIX/);
    expect(message({ TAMNA_CDN_TAG_HEADERS: 'xkey' })).toMatch(/use Cache-Tag, Surrogate-Key/);
    expect(message({ TAMNA_CDN_DEVICE_HEADER: 'X Device' })).toMatch(/must be a header name/);
  });
});
