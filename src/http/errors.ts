import type { AppErrorCode } from '../shared/errors.ts';

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
