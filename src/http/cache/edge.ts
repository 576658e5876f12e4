import type { IncomingHttpHeaders } from 'node:http';
import type { CdnConfig, TagHeaderName } from '../../config/index.ts';
import { tagHeaderValue } from '../../shared/edge-tags.ts';

export type DeviceClass = 'mobile' | 'desktop';

/**
 * What a shared cache (a CDN, Varnish, nginx) is told about pages: how long it may keep
 * them, how it tells phones from desktops, and which tags it purges them by.
 */
export interface EdgePolicy {
  /** The longest s-maxage, in seconds (a page expiring sooner gets less). */
  sharedMaxAge: number;
  staleWhileRevalidate: number;
  /**
   * The request header (lower case) in which the CDN states the device class it keys the
   * page by; null: decided here by User-Agent, and pages vary on User-Agent.
   */
  deviceHeader: string | null;
  /** Tag headers pages carry: the ones the CDN reads (and strips). */
  tagHeaders: readonly TagHeaderName[];
  tagPrefix: string;
}

/**
 * Without a CDN that Tamna purges, a shared cache in front must not keep a page long: an
 * unpublished or corrected article shows there for at most s-maxage + stale-while-revalidate.
 */
export const NO_CDN: EdgePolicy = Object.freeze({
  sharedMaxAge: 60,
  staleWhileRevalidate: 30,
  deviceHeader: null,
  tagHeaders: [],
  tagPrefix: '',
});

/**
 * With a purged CDN, pages may stay longer (every change purges them), and a reader may be
 * served the previous copy for a minute while the CDN fetches a fresh one — never one that
 * was purged: a purge removes the object, so there is nothing stale left to serve.
 */
export function edgePolicyFor(cdn: CdnConfig): EdgePolicy {
  if (cdn.provider === null)
    return { ...NO_CDN, sharedMaxAge: cdn.maxAgeSeconds, deviceHeader: cdn.deviceHeader };
  return {
    sharedMaxAge: cdn.maxAgeSeconds,
    staleWhileRevalidate: 60,
    deviceHeader: cdn.deviceHeader,
    tagHeaders: cdn.tagHeaders,
    tagPrefix: cdn.tagPrefix,
  };
}

const MOBILE_UA = /Mobi|Android|iPhone|iPod|Opera Mini|IEMobile/i;

export function deviceClass(userAgent: string | undefined): DeviceClass {
  return userAgent !== undefined && MOBILE_UA.test(userAgent) ? 'mobile' : 'desktop';
}

/**
 * The reader's device class: the CDN's word for it when it sends one (Tamna's
 * `X-Tamna-Device: mobile|desktop`, Cloudflare's `CF-Device-Type: mobile|tablet|desktop`;
 * tablets get the desktop page), else the User-Agent's (a request that bypassed the CDN).
 */
export function deviceOf(policy: EdgePolicy, headers: IncomingHttpHeaders): DeviceClass {
  if (policy.deviceHeader !== null) {
    const given = headers[policy.deviceHeader];
    const value = (Array.isArray(given) ? given[0] : given)?.trim().toLowerCase();
    if (value === 'mobile' || value === 'phone') return 'mobile';
    if (value === 'desktop' || value === 'tablet') return 'desktop';
  }
  return deviceClass(headers['user-agent']);
}

/** The Vary header of a page rendered per device class. */
export function deviceVary(policy: EdgePolicy): string {
  return `Accept-Encoding, ${policy.deviceHeader === null ? 'User-Agent' : headerCase(policy.deviceHeader)}`;
}

function headerCase(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

/** The tag headers of a page with these cache tags. */
export function tagHeadersOf(
  policy: EdgePolicy,
  tags: readonly string[],
): Record<string, string> | null {
  if (policy.tagHeaders.length === 0 || tags.length === 0) return null;
  const out: Record<string, string> = {};
  for (const name of policy.tagHeaders) {
    out[name] = tagHeaderValue(tags, {
      prefix: policy.tagPrefix,
      separator: name === 'cache-tag' ? ',' : ' ',
    });
  }
  return out;
}
