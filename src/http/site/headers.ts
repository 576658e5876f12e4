import { createHash } from 'node:crypto';
import { HEAD_SCRIPT } from '../../views/head-script.ts';

/** The KakaoTalk share SDK's host; client/site/share.ts loads it when the reader asks. */
export const KAKAO_SDK_ORIGIN = 'https://t1.kakaocdn.net';

const headScriptHash = `'sha256-${createHash('sha256').update(HEAD_SCRIPT).digest('base64')}'`;

/**
 * Headers of every response, pages, admin and /media/ alike: no content sniffing, and once
 * the site is served over TLS, browsers keep to TLS for a year (HSTS). Subdomains are left
 * out: a paper's other hosts may not have TLS yet.
 */
export function everyResponseHeaders(siteUrl: string): Readonly<Record<string, string>> {
  const headers: Record<string, string> = { 'x-content-type-options': 'nosniff' };
  if (siteUrl.startsWith('https://')) headers['strict-transport-security'] = 'max-age=31536000';
  return Object.freeze(headers);
}

/**
 * Security headers for public pages, computed once per server: the public site runs its
 * own script and one inline script allowed by its hash (font size before the first paint),
 * frames only allowlisted video players, and may not be framed by others. With a Kakao key
 * the KakaoTalk SDK's host may serve script too (loaded only when a reader shares).
 */
export function siteSecurityHeadersFor(options: {
  kakao: boolean;
}): Readonly<Record<string, string>> {
  return Object.freeze({
    'content-security-policy': [
      "default-src 'self'",
      "img-src 'self' data: https:",
      "style-src 'self'",
      `script-src 'self' ${headScriptHash}${options.kakao ? ` ${KAKAO_SDK_ORIGIN}` : ''}`,
      "font-src 'self'",
      "connect-src 'self'",
      // 'self': HTML ad tags run in sandboxed frames served from /ad/frame/<id>.
      "frame-src 'self' https://www.youtube-nocookie.com https://www.youtube.com",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'self'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'x-frame-options': 'SAMEORIGIN',
    'cross-origin-opener-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
  });
}

/** The headers of a site without a Kakao key (what most tests and tools expect). */
export const siteSecurityHeaders = siteSecurityHeadersFor({ kakao: false });
