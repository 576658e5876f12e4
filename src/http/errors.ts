import { isAppError, type AppErrorCode } from '../shared/errors.ts';

/** The one place domain error codes become HTTP status codes. */
export const statusForCode: Record<AppErrorCode, number> = {
  NOT_FOUND: 404,
  INVALID_INPUT: 400,
  CONFLICT: 409,
  FORBIDDEN: 403,
  UNAUTHORIZED: 401,
  TOO_MANY_REQUESTS: 429,
  CONFIG: 500,
  UNAVAILABLE: 503,
};

/**
 * How any error thrown while answering a request is answered, for the site and the admin
 * alike. `detail` is the domain's own message when a person may read it (4xx); `kind`
 * lets each side word the rest in its own terms.
 */
export interface ErrorAnswer {
  status: number;
  detail: string | null;
  kind: 'domain' | 'file-too-large' | 'body-too-large' | 'bad-request' | 'not-found' | 'server';
}

export function statusOf(error: unknown): ErrorAnswer {
  if (isAppError(error)) {
    const status = statusForCode[error.code];
    // A 5xx message is shown only when written for people (a media store that does not
    // answer); others may hold internals such as SQL.
    return status < 500 || error.details?.public === true
      ? { status, detail: error.message, kind: 'domain' }
      : { status, detail: null, kind: 'server' };
  }
  const { statusCode, code } = error as { statusCode?: unknown; code?: unknown };
  // Fastify's and its plugins' client errors: bad encodings, oversized bodies and files.
  if (code === 'FST_REQ_FILE_TOO_LARGE')
    return { status: 413, detail: null, kind: 'file-too-large' };
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    if (statusCode === 413) return { status: 413, detail: null, kind: 'body-too-large' };
    if (statusCode === 404) return { status: 404, detail: null, kind: 'not-found' };
    return { status: 400, detail: null, kind: 'bad-request' };
  }
  return { status: 500, detail: null, kind: 'server' };
}
