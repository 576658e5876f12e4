/**
 * A browser's User-Agent header in the words a staff member recognises on the 로그인한
 * 기기 list: "Chrome · Windows", "삼성 인터넷 · Android". Only the browsers and systems
 * Korean newsrooms meet are told apart; version numbers are left out on purpose (they
 * change monthly and say nothing to a reporter checking "was this me?"). A small table
 * instead of a parser library: the list is read, not trusted, so a miss costs only words.
 */

// Order matters: Edge, Whale, Samsung Internet and Opera also say "Chrome", Chrome on iOS
// says "Safari", and in-app browsers carry their host's tokens in front of the engine's.
const BROWSERS: readonly (readonly [RegExp, string])[] = [
  [/KAKAOTALK/i, '카카오톡'],
  [/NAVER\(inapp|NAVER\//, '네이버 앱'],
  [/Whale\//, '네이버 웨일'],
  [/SamsungBrowser\//, '삼성 인터넷'],
  [/Edg(e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/Chrome\/|CriOS\//, 'Chrome'],
  [/Version\/[\d.]+.*Safari\//, 'Safari'],
  [/curl\/|Wget\//i, '명령줄 도구'],
];

const SYSTEMS: readonly (readonly [RegExp, string])[] = [
  [/Windows/, 'Windows'],
  [/iPhone|iPod/, 'iPhone'],
  [/iPad/, 'iPad'],
  [/Android/, 'Android'],
  [/CrOS/, 'ChromeOS'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Linux/, 'Linux'],
];

/** "Chrome · Windows", one of the two when the other is unknown, or 알 수 없는 기기. */
export function describeUserAgent(userAgent: string): string {
  const ua = userAgent.slice(0, 500);
  const browser = BROWSERS.find(([pattern]) => pattern.test(ua))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(ua))?.[1];
  const parts = [browser, system].filter((p): p is string => p !== undefined);
  return parts.length > 0 ? parts.join(' · ') : '알 수 없는 기기';
}
