/**
 * Domain errors carry a code; the HTTP layer maps codes to status codes in one place,
 * so no domain ever needs to know about HTTP.
 */
export type AppErrorCode =
  | 'NOT_FOUND'
  | 'INVALID_INPUT'
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'UNAUTHORIZED'
  | 'TOO_MANY_REQUESTS'
  | 'CONFIG'
  | 'UNAVAILABLE';

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const notFound = (message: string): AppError => new AppError('NOT_FOUND', message);
export const invalidInput = (message: string, details?: Record<string, unknown>): AppError =>
  new AppError('INVALID_INPUT', message, details);

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
