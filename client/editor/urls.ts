/**
 * URL checks shared by the link dialog, the video dialog and the HTML parser. Pure
 * functions (no DOM) so they are unit-tested in Node.
 */

/** Schemes a writer may type into the link dialog. */
const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/**
 * Schemes the server's sanitizer keeps in stored bodies. Links with these (or relative
 * links from imported articles) must survive loading into the editor, otherwise opening
 * and saving an old article would silently strip its links.
 */
const STORED_LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:', 'tel:']);

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

export type LinkCheck = { ok: true; href: string } | { ok: false; message: string };

/**
 * Checks what a writer typed as a link target. A bare host such as `www.jejunews.kr/a`
 * gets `https://` in front, because that is what writers mean and browsers do the same.
 */
export function checkLinkInput(input: string): LinkCheck {
  const value = input.trim();
  if (value === '') return { ok: false, message: '링크 주소를 입력하세요.' };
  const candidate = HAS_SCHEME.test(value) || value.startsWith('/') ? value : `https://${value}`;
  let url: URL;
  try {
    // The URL parser also strips the tabs and newlines that `java\tscript:` tricks rely on.
    url = new URL(candidate);
  } catch {
    return { ok: false, message: '올바른 링크 주소가 아닙니다. 예: https://www.example.com' };
  }
  if (!LINK_SCHEMES.has(url.protocol)) {
    return { ok: false, message: 'http, https, mailto 주소만 링크로 넣을 수 있습니다.' };
  }
  if ((url.protocol === 'http:' || url.protocol === 'https:') && !url.hostname.includes('.')) {
    return { ok: false, message: '올바른 링크 주소가 아닙니다. 예: https://www.example.com' };
  }
  if (url.protocol === 'mailto:' && !/^[^@\s]+@[^@\s]+$/.test(safeDecode(url.pathname))) {
    return { ok: false, message: '올바른 전자우편 주소가 아닙니다. 예: mailto:desk@example.com' };
  }
  return { ok: true, href: url.href };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Whether a link found in stored HTML may be kept (relative links included). */
export function isStoredLinkAllowed(href: string): boolean {
  const value = href.trim();
  if (!HAS_SCHEME.test(value)) return !value.startsWith('//');
  try {
    return STORED_LINK_SCHEMES.has(new URL(value).protocol);
  } catch {
    return false;
  }
}

const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;
const YOUTUBE_HOSTS = new Set(['youtube.com', 'www.youtube.com', 'm.youtube.com']);

export type VideoCheck = { ok: true; videoId: string } | { ok: false; message: string };

const VIDEO_HELP =
  '유튜브 동영상 주소만 넣을 수 있습니다. 예: https://www.youtube.com/watch?v=… 또는 https://youtu.be/…';

/**
 * Accepts youtube.com/watch?v=ID, youtu.be/ID, youtube.com/shorts/ID and
 * youtube.com/embed/ID with an 11-character id; the id is all we keep, so the stored
 * embed URL is always one we built ourselves.
 */
export function parseYouTubeUrl(input: string): VideoCheck {
  const value = input.trim();
  if (value === '') return { ok: false, message: '유튜브 동영상 주소를 입력하세요.' };
  let url: URL;
  try {
    url = new URL(HAS_SCHEME.test(value) ? value : `https://${value}`);
  } catch {
    return { ok: false, message: VIDEO_HELP };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { ok: false, message: VIDEO_HELP };
  if (url.username !== '' || url.password !== '' || url.port !== '') {
    return { ok: false, message: VIDEO_HELP };
  }
  const host = url.hostname.toLowerCase();
  const segments = url.pathname.split('/').filter((s) => s !== '');
  let id: string | null = null;
  if (host === 'youtu.be' && segments.length === 1) {
    id = segments[0] ?? null;
  } else if (YOUTUBE_HOSTS.has(host)) {
    if (segments.length === 1 && segments[0] === 'watch') id = url.searchParams.get('v');
    else if (segments.length === 2 && (segments[0] === 'shorts' || segments[0] === 'embed')) {
      id = segments[1] ?? null;
    }
  }
  if (id === null) return { ok: false, message: VIDEO_HELP };
  if (!YOUTUBE_ID.test(id)) {
    return { ok: false, message: '동영상 주소의 영상 ID가 올바르지 않습니다 (영문·숫자 11자).' };
  }
  return { ok: true, videoId: id };
}

/** The only iframe address the editor ever writes (privacy-enhanced mode, no cookies). */
export function youTubeEmbedUrl(videoId: string): string {
  return `https://www.youtube-nocookie.com/embed/${videoId}`;
}

const EMBED_SRC =
  /^https:\/\/www\.youtube(?:-nocookie)?\.com\/embed\/([A-Za-z0-9_-]{11})(?:[?#].*)?$/;

/** The video id of an embed iframe found in stored HTML, or null if it is not ours. */
export function videoIdFromEmbedSrc(src: string): string | null {
  return EMBED_SRC.exec(src.trim())?.[1] ?? null;
}
