import { bodyMessage, WeatherSourceError } from './source-error.ts';
import { authLike } from './hub.ts';

export interface FetchPolicy {
  /** Per attempt. */
  timeoutMs: number;
  /** Further attempts after the first, for network errors, timeouts and 5xx. */
  retries: number;
  /** Wait before the first retry; each later one waits three times longer. */
  backoffMs: number;
}

export type Fetch = typeof globalThis.fetch;
export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Answers are tens of kilobytes; anything past this is not a KMA answer. */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

/**
 * GETs a KMA URL and returns its text, retrying what may pass (network errors, timeouts,
 * server errors) with backoff. Errors never carry the URL: it holds the key.
 */
export async function fetchText(
  url: string,
  policy: FetchPolicy,
  deps: { fetch: Fetch; sleep: Sleep },
): Promise<string> {
  let wait = policy.backoffMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetchOnce(url, policy.timeoutMs, deps.fetch);
    } catch (error) {
      const failure = asSourceError(error, policy.timeoutMs);
      if (!failure.retryable || attempt >= policy.retries) throw failure;
      await deps.sleep(wait);
      wait *= 3;
    }
  }
}

async function fetchOnce(url: string, timeoutMs: number, fetch: Fetch): Promise<string> {
  const response = await fetch(url, {
    signal: AbortSignal.timeout(timeoutMs),
    redirect: 'error',
    headers: { accept: 'application/json, text/plain, */*' },
  });
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) {
    await response.body?.cancel();
    throw new WeatherSourceError('format', `응답이 너무 큽니다(${declared} 바이트).`);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.byteLength > MAX_BODY_BYTES) {
    throw new WeatherSourceError('format', `응답이 너무 큽니다(${bytes.byteLength} 바이트).`);
  }
  const text = decode(bytes, response.headers.get('content-type'));
  if (response.status === 200) return text;
  const detail = bodyMessage(text);
  const message = `HTTP ${response.status}${detail === '' ? '' : `: ${detail}`}`;
  if (
    response.status === 401 ||
    response.status === 403 ||
    (response.status < 500 && authLike(detail))
  ) {
    throw new WeatherSourceError('auth', `인증키가 거부되었습니다 — ${message}`);
  }
  const serverSide = response.status >= 500 || response.status === 408 || response.status === 429;
  throw new WeatherSourceError(serverSide ? 'http' : 'refused', message);
}

/** KMA's text answers are EUC-KR unless they say otherwise; the portal's JSON is UTF-8. */
function decode(bytes: Uint8Array, contentType: string | null): string {
  const charset = /charset=([\w-]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    try {
      return new TextDecoder(charset).decode(bytes);
    } catch {
      // an unknown label: try the usual two below
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('euc-kr').decode(bytes);
  }
}

function asSourceError(error: unknown, timeoutMs: number): WeatherSourceError {
  if (error instanceof WeatherSourceError) return error;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new WeatherSourceError('timeout', `${timeoutMs / 1000}초 안에 응답이 없습니다.`);
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : null;
  const code = cause !== null && 'code' in cause ? String(cause.code) : '';
  const reason = code !== '' ? code : error instanceof Error ? error.message : String(error);
  return new WeatherSourceError('network', `연결하지 못했습니다(${reason}).`);
}
