/**
 * Staff accounts: who may sign in to the newsroom, how (password, optional TOTP second
 * factor, throttled), for how long (sessions), and what they may do (the permission table).
 *
 * AppError codes thrown here, for the HTTP layer to map:
 * - INVALID_INPUT (400): bad field; `details.field` names it (email, name, role, password,
 *   currentPassword, newPassword, code, token).
 * - CONFLICT (409): duplicate email (`details.field` = 'email'), last active admin,
 *   two-factor already on.
 * - UNAUTHORIZED (401): wrong email or password (one message for both); expired session at
 *   the code form.
 * - FORBIDDEN (403): right password for a disabled account.
 * - TOO_MANY_REQUESTS (429): sign-in, password check or code entry locked;
 *   `details.retryAfterSeconds` is for the Retry-After header.
 * - NOT_FOUND (404): no such user id.
 */
export {
  createAccounts,
  type Accounts,
  type AccountsDeps,
  type Authenticated,
  type CreatedUser,
  type CreateUserInput,
  type LoginResult,
  type StaffSession,
  type StaffUser,
  type TotpSetup,
} from './service.ts';
export {
  ACTIONS,
  can,
  rolesWith,
  canEditArticle,
  isStaffRole,
  ROLE_LABELS,
  STAFF_ROLES,
  type Action,
} from './permissions.ts';
export {
  DEFAULT_SCRYPT,
  PASSWORD_MIN_LENGTH,
  hashPassword,
  verifyPassword,
  type ScryptParams,
} from './passwords.ts';
export { DEFAULT_THROTTLE, type ThrottleRule } from './throttle.ts';
export type { StaffRole } from '../../db/index.ts';
export { base32Decode, totp } from './totp.ts';
