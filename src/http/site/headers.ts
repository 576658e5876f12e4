import { createHash } from 'node:crypto';
import { HEAD_SCRIPT } from '../../views/head-script.ts';

/** The KakaoTalk share SDK's host; client/site/share.ts loads it when the reader asks. */
export const KAKAO_SDK_ORIGIN = 'https://t1.kakaocdn.net';

const headScriptHash = `'sha256-${createHash('sha256').update(HEAD_SCRIPT).digest('base64')}'`;

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
