/**
 * Why a KMA source gave no usable answer. The message is for the newsroom (admin "test
 * now", the CLI, the log): it says what came back, in Korean, without the key.
 */
export type SourceErrorKind =
  | 'network' // connection refused, DNS, reset
  | 'timeout'
  | 'http' // a server-side status (5xx, 408, 429): worth another try
  | 'refused' // any other status other than 200
  | 'auth' // the key was refused
  | 'format' // an answer we cannot read
  | 'no-data'; // a well-formed answer with nothing in it

export class WeatherSourceError extends Error {
  override readonly name = 'WeatherSourceError';
  constructor(
    readonly kind: SourceErrorKind,
    message: string,
  ) {
    super(message);
  }

  /** Worth another try a little later within the same refresh. */
  get retryable(): boolean {
    return this.kind === 'network' || this.kind === 'timeout' || this.kind === 'http';
  }
}

/** A short, single-line excerpt of an unexpected body, for the error message. */
export function excerpt(body: string, max = 120): string {
  const line = body
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

export function looksLikeHtml(body: string): boolean {
  return /^\s*(<!doctype html|<html|<head|<body)/i.test(body);
}

/** What an error body says: the message of a JSON error, or the text itself, shortened. */
export function bodyMessage(body: string): string {
  try {
    const message = findMessage(JSON.parse(body));
    if (message !== null) return message;
  } catch {
    // not JSON: the text itself
  }
  return excerpt(body);
}

function findMessage(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  for (const key of ['message', 'msg', 'errMsg', 'resultMsg']) {
    const v = record[key];
    if (typeof v === 'string' && v.trim() !== '') return excerpt(v);
  }
  for (const v of Object.values(record)) {
    const found = findMessage(v);
    if (found !== null) return found;
  }
  return null;
}
