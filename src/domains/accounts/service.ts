import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database, StaffRole, UserTable } from '../../db/index.ts';
import { revisedArticleTags, tag, type CacheTag } from '../../shared/cache-tags.ts';
import type { Clock } from '../../shared/clock.ts';
import { ensureAuthor, updateAuthor } from '../content/index.ts';
import { AppError, invalidInput, notFound } from '../../shared/errors.ts';
import {
  checkPasswordPolicy,
  DEFAULT_SCRYPT,
  generateOneTimePassword,
  hashPassword,
  needsRehash,
  verifyPassword,
  type ScryptParams,
} from './passwords.ts';
import { can, isStaffRole, ROLE_LABELS, rolesWith, STAFF_ROLES } from './permissions.ts';
import { createThrottle, DEFAULT_THROTTLE, minutesUntil, type ThrottleRule } from './throttle.ts';
import { base32Decode, generateTotpSecret, matchTotpStep, otpauthUri } from './totp.ts';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

export interface AccountsDeps {
  db: Kysely<Database>;
  clock: Clock;
  /** Idle time after which a session ends (sliding). Default 12 hours. */
  sessionTtlMs?: number;
  /** Age after which a session ends however active it is. Default 7 days. */
  sessionMaxAgeMs?: number;
  /** scrypt cost for new hashes; older hashes are upgraded at sign-in. Tests pass a low N. */
  passwordHashing?: ScryptParams;
  throttle?: Partial<Record<keyof typeof DEFAULT_THROTTLE, ThrottleRule>>;
  /** The name authenticator apps show next to the code. Default 탐나. */
  totpIssuer?: string;
  /** Lifetime of a setup or reset link. Default 24 hours. */
  setupTokenTtlMs?: number;
  /** Called after a commit with the cache tags a change affects (a byline's new name). */
  onChange?: (tags: readonly CacheTag[]) => void | Promise<void>;
}

/** A staff member as the rest of the application sees one: no secrets. */
export interface StaffUser {
  id: number;
  email: string;
  name: string;
  role: StaffRole;
  /** 관리자, 데스크, 기자, 외부 필자 */
  roleLabel: string;
  /** The byline (authors row) that credits this person on articles. */
  authorId: number | null;
  /** Signed in with a one-time password: must choose their own before doing anything. */
  mustChangePassword: boolean;
  totpEnabled: boolean;
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface StaffSession {
  userId: number;
  /** Per-session token the HTTP layer puts in forms and checks on every unsafe request. */
  csrfToken: string;
  /**
   * Two-factor is on for the user and this session has not yet passed it: the HTTP layer
   * must allow nothing but the code form (and sign-out).
   */
  secondFactorPending: boolean;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  userAgent: string;
}

export interface Authenticated {
  user: StaffUser;
  session: StaffSession;
}

export interface LoginResult extends Authenticated {
  /** The cookie value. Only its sha256 is stored; it cannot be recovered later. */
  token: string;
  /** Same as session.secondFactorPending: show the code form next. */
  needsSecondFactor: boolean;
}

export interface SessionSummary {
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  userAgent: string;
  /** The session of the token passed in: "this browser". */
  current: boolean;
}

export interface CreateUserInput {
  email: string;
  name: string;
  role: StaffRole;
  /** Omitted: a one-time password is generated and must be changed at first sign-in. */
  password?: string;
}

export interface CreatedUser {
  user: StaffUser;
  /** Shown once, never stored in the clear; null when the caller chose the password. */
  oneTimePassword: string | null;
}

export interface TotpSetup {
  /** base32, for typing into an app by hand. */
  secret: string;
  /** otpauth://totp/… for the QR code. */
  uri: string;
}

// One message for an unknown email and a wrong password: no telling which accounts exist.
const BAD_CREDENTIALS = '이메일 또는 비밀번호가 맞지 않습니다.';

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** 32 random bytes in base64url: 43 characters of [A-Za-z0-9_-]. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, '이메일 주소가 너무 깁니다.')
  .email('올바른 이메일 주소가 아닙니다.');

const nameSchema = z
  .string()
  .trim()
  .min(1, '이름을 입력하세요.')
  .max(80, '이름은 80자 이내로 입력하세요.');

function parseField<T extends z.ZodType>(schema: T, value: unknown, field: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success)
    throw invalidInput(result.error.issues[0]?.message ?? '입력값이 올바르지 않습니다.', {
      field,
    });
  return result.data;
}

function parseRole(role: unknown): StaffRole {
  if (isStaffRole(role)) return role;
  const known = STAFF_ROLES.map((r) => `${r}(${ROLE_LABELS[r]})`).join(', ');
  throw invalidInput(`알 수 없는 역할입니다: ${String(role)}. ${known} 중 하나를 고르세요.`, {
    field: 'role',
  });
}

function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

function toUser(row: Selectable<UserTable>): StaffUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    roleLabel: ROLE_LABELS[row.role],
    authorId: row.author_id,
    mustChangePassword: row.must_change_password === 1,
    totpEnabled: row.totp_enabled === 1,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * The TOTP column holds the secret and, after the first accepted code, the last accepted
 * time step (`SECRET:STEP`), so a code is never accepted twice. Keeping both in one column
 * lets a compare-and-swap on it refuse a replay even when two servers see the same code at
 * once. (A dedicated `totp_last_step` column would be clearer; this needs no migration.)
 */
function parseTotpColumn(value: string | null): { secret: string; lastStep: number } | null {
  if (value === null || value === '') return null;
  const [secret = '', step] = value.split(':');
  return { secret, lastStep: step === undefined ? -1 : Number(step) };
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}

function duplicateEmail(email: string): AppError {
  return new AppError('CONFLICT', `이미 등록된 이메일입니다: ${email}`, { field: 'email' });
}

/** `what` is the first sentence, e.g. 로그인 시도가 너무 많습니다. */
function tooManyAttempts(what: string, until: number, now: number): AppError {
  return new AppError(
    'TOO_MANY_REQUESTS',
    `${what} ${minutesUntil(until, now)}분 후에 다시 시도해 주세요.`,
    { retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) },
  );
}

/** Staff accounts, passwords, sessions, sign-in throttling and two-factor codes. */
export function createAccounts(deps: AccountsDeps) {
  const { db, clock } = deps;
  const idleTtl = deps.sessionTtlMs ?? 12 * HOUR;
  const maxAge = deps.sessionMaxAgeMs ?? 7 * 24 * HOUR;
  const hashing = deps.passwordHashing ?? DEFAULT_SCRYPT;
  const rules = { ...DEFAULT_THROTTLE, ...deps.throttle };
  const issuer = deps.totpIssuer ?? '탐나';
  const setupTtl = deps.setupTokenTtlMs ?? 24 * HOUR;
  const throttle = createThrottle(db, clock);

  // An unknown email is checked against this hash, so it costs the same time as a wrong
  // password and response times do not reveal which emails have accounts.
  let dummyHash: Promise<string> | undefined;
  const getDummyHash = () => (dummyHash ??= hashPassword(newToken(), hashing));

  // Cut to fit the key column (varchar(300)): sign-in input is whatever was posted.
  const accountKey = (email: string) => `account:${email.slice(0, 254)}`;
  const pairPrefix = (email: string) => `pair:${email.slice(0, 254)}|`;
  const pairKey = (email: string, ip: string) => `${pairPrefix(email)}${ip.slice(0, 40)}`;
  const ipKey = (ip: string) => `ip:${ip.slice(0, 200)}`;
  /** Every count an account's sign-ins left, from every address. */
  const clearAccountCounts = (email: string) =>
    Promise.all([throttle.clear(accountKey(email)), throttle.clearPrefix(pairPrefix(email))]);
  const secondFactorKey = (userId: number) => `totp:${userId}`;

  async function userRow(id: number, executor: Kysely<Database> = db) {
    const row = await executor
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (row === undefined) throw notFound('사용자를 찾을 수 없습니다.');
    return row;
  }

  async function endSessions(userId: number, exceptToken?: string): Promise<number> {
    let query = db.deleteFrom('sessions').where('user_id', '=', userId);
    if (exceptToken !== undefined) query = query.where('id_hash', '!=', sha256(exceptToken));
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Refuses to leave the newsroom without an active admin, who alone can manage staff. */
  async function assertOtherActiveAdmin(trx: Transaction<Database>, userId: number, what: string) {
    const other = await trx
      .selectFrom('users')
      .select('id')
      .where('role', 'in', rolesWith('staff.manage'))
      .where('disabled', '=', 0)
      .where('id', '!=', userId)
      .executeTakeFirst();
    if (other === undefined)
      throw new AppError(
        'CONFLICT',
        `마지막 관리자는 ${what} 수 없습니다. 다른 관리자를 먼저 지정하세요.`,
        { field: 'role' },
      );
  }

  /** The byline for a user: the existing author with that email, or a new one (content's). */
  async function bylineFor(trx: Transaction<Database>, name: string, email: string) {
    return (await ensureAuthor(trx, { name, email }, clock.now())).id;
  }

  async function setPassword(userId: number, password: string, mustChange: boolean): Promise<void> {
    const hash = await hashPassword(password, hashing);
    await db
      .updateTable('users')
      .set({
        password_hash: hash,
        must_change_password: mustChange ? 1 : 0,
        updated_at: clock.now(),
      })
      .where('id', '=', userId)
      .execute();
  }

  async function createSession(
    user: Selectable<UserTable>,
    userAgent: string,
  ): Promise<{ token: string; session: StaffSession }> {
    const now = clock.now();
    const token = newToken();
    const row = {
      id_hash: sha256(token),
      user_id: user.id,
      csrf_token: newToken(),
      second_factor_ok: 0,
      created_at: now,
      last_seen_at: now,
      expires_at: Math.min(now + idleTtl, now + maxAge),
      // The column is varchar(300); PostgreSQL refuses longer values.
      user_agent: userAgent.slice(0, 300),
    };
    await db.insertInto('sessions').values(row).execute();
    return { token, session: toSession(row, user) };
  }

  function toSession(
    row: {
      user_id: number;
      csrf_token: string;
      second_factor_ok: number;
      created_at: number;
      last_seen_at: number;
      expires_at: number;
      user_agent: string;
    },
    user: Selectable<UserTable>,
  ): StaffSession {
    return {
      userId: row.user_id,
      csrfToken: row.csrf_token,
      secondFactorPending: user.totp_enabled === 1 && row.second_factor_ok !== 1,
      createdAt: row.created_at,
      lastSeenAt: row.last_seen_at,
      expiresAt: row.expires_at,
      userAgent: row.user_agent,
    };
  }

  /**
   * The live session for a token and its user, in one query (this runs on every admin
   * request); an expired session is deleted on the way.
   */
  async function liveSession(token: string) {
    if (!TOKEN_PATTERN.test(token)) return null;
    const idHash = sha256(token);
    const found = await db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .selectAll('users')
      .select([
        'sessions.user_id',
        'sessions.csrf_token',
        'sessions.second_factor_ok',
        'sessions.created_at as session_created_at',
        'sessions.last_seen_at',
        'sessions.expires_at',
        'sessions.user_agent',
      ])
      .where('sessions.id_hash', '=', idHash)
      .executeTakeFirst();
    if (found === undefined) return null;
    const {
      user_id,
      csrf_token,
      second_factor_ok,
      session_created_at,
      last_seen_at,
      expires_at,
      user_agent,
      ...user
    } = found;
    const session = {
      user_id,
      csrf_token,
      second_factor_ok,
      created_at: session_created_at,
      last_seen_at,
      expires_at,
      user_agent,
    };
    const now = clock.now();
    if (session.expires_at <= now) {
      await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
      return null;
    }
    if (user.disabled === 1) return null;
    return { idHash, session, user, now };
  }

  /** Checks a code against the user's secret and records its step so it is used once. */
  async function acceptTotpCode(user: Selectable<UserTable>, code: string): Promise<void> {
    const key = secondFactorKey(user.id);
    const now = clock.now();
    const admission = await throttle.admit([[key, rules.secondFactor]]);
    if (!admission.ok)
      throw tooManyAttempts('인증 코드를 너무 많이 틀렸습니다.', admission.until, now);
    const state = parseTotpColumn(user.totp_secret);
    const digits = code.replace(/\s/g, '');
    const step =
      state !== null && /^\d{6}$/.test(digits)
        ? matchTotpStep(base32Decode(state.secret), digits, now, 1)
        : null;
    // A step at or before the last accepted one is a replay (or an older code): refused.
    // The update is conditional on the column still holding what was read, so two servers
    // given the same code at the same moment cannot both accept it.
    let accepted = false;
    if (step !== null && state !== null && step > state.lastStep) {
      const result = await db
        .updateTable('users')
        .set({ totp_secret: `${state.secret}:${step}` })
        .where('id', '=', user.id)
        .where('totp_secret', '=', user.totp_secret)
        .executeTakeFirst();
      accepted = Number(result.numUpdatedRows) === 1;
    }
    if (!accepted) {
      const until = await throttle.failed(admission.tickets);
      if (until !== null) throw tooManyAttempts('인증 코드를 너무 많이 틀렸습니다.', until, now);
      throw invalidInput('인증 코드가 맞지 않습니다. 앱에 표시된 6자리 숫자를 입력하세요.', {
        field: 'code',
      });
    }
    await throttle.clear(key);
  }

  /** Adds a staff member with a byline; without a password, returns a one-time one. */
  async function createUser(input: CreateUserInput): Promise<CreatedUser> {
    const email = parseField(emailSchema, input.email, 'email');
    const name = parseField(nameSchema, input.name, 'name');
    const role = parseRole(input.role);
    const password = input.password ?? generateOneTimePassword();
    const oneTimePassword = input.password === undefined ? password : null;
    checkPasswordPolicy(password, email);
    const hash = await hashPassword(password, hashing);
    const now = clock.now();
    try {
      const id = await db.transaction().execute(async (trx) => {
        const taken = await trx
          .selectFrom('users')
          .select('id')
          .where('email', '=', email)
          .executeTakeFirst();
        if (taken !== undefined) throw duplicateEmail(email);
        const authorId = await bylineFor(trx, name, email);
        const row = await trx
          .insertInto('users')
          .values({
            email,
            name,
            role,
            password_hash: hash,
            must_change_password: oneTimePassword === null ? 0 : 1,
            totp_secret: null,
            totp_enabled: 0,
            author_id: authorId,
            disabled: 0,
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return row.id;
      });
      return { user: toUser(await userRow(id)), oneTimePassword };
    } catch (error) {
      // Two admins adding the same person at once: the unique index decides.
      if (isUniqueViolation(error)) throw duplicateEmail(email);
      throw error;
    }
  }

  /**
   * A link for choosing a password (`setup` for a new account, `reset` for a forgotten
   * one): single use, valid for 24 hours; making a new one voids the user's older ones.
   */
  async function createSetupToken(
    userId: number,
    purpose: 'setup' | 'reset' = 'setup',
  ): Promise<{ token: string; expiresAt: number }> {
    await userRow(userId);
    const token = newToken();
    const expiresAt = clock.now() + setupTtl;
    await db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('user_tokens')
        .where('user_id', '=', userId)
        .where('used_at', 'is', null)
        .execute();
      await trx
        .insertInto('user_tokens')
        .values({
          token_hash: sha256(token),
          user_id: userId,
          purpose,
          expires_at: expiresAt,
          used_at: null,
        })
        .execute();
    });
    return { token, expiresAt };
  }

  return {
    createUser,

    /**
     * A new account whose owner chooses the password through a setup link. The generated
     * password is thrown away, so the link is the only way in.
     */
    async invite(input: Omit<CreateUserInput, 'password'>): Promise<{
      user: StaffUser;
      setupToken: string;
      expiresAt: number;
    }> {
      const { user } = await createUser(input);
      const { token, expiresAt } = await createSetupToken(user.id, 'setup');
      return { user, setupToken: token, expiresAt };
    },

    /**
     * Changes name and/or email, and the linked byline with them (past articles show the
     * current name, and are dated by the change). When the new email already belongs to
     * another byline, the user is linked to that one instead.
     */
    async updateUser(userId: number, input: { name?: string; email?: string }): Promise<StaffUser> {
      const current = await userRow(userId);
      const name =
        input.name === undefined ? current.name : parseField(nameSchema, input.name, 'name');
      const email =
        input.email === undefined ? current.email : parseField(emailSchema, input.email, 'email');
      let announce: CacheTag[] = [];
      try {
        await db.transaction().execute(async (trx) => {
          if (email !== current.email) {
            const taken = await trx
              .selectFrom('users')
              .select('id')
              .where('email', '=', email)
              .executeTakeFirst();
            if (taken !== undefined) throw duplicateEmail(email);
          }
          let authorId = current.author_id;
          const owner =
            authorId === null
              ? undefined
              : await trx
                  .selectFrom('authors')
                  .select('id')
                  .where('email', '=', email)
                  .where('id', '!=', authorId)
                  .executeTakeFirst();
          const own = authorId !== null && owner === undefined ? authorId : null;
          if (own === null) authorId = await bylineFor(trx, name, email);
          await trx
            .updateTable('users')
            .set({ name, email, author_id: authorId, updated_at: clock.now() })
            .where('id', '=', userId)
            .execute();
          // Last: revising the byline's articles takes the change counter (content/changes.ts).
          if (own !== null) {
            const byline = await updateAuthor(trx, own, { name, email }, clock.now());
            if (byline.changed)
              announce = [tag.author(own), tag.byline(own), ...revisedArticleTags(byline.revised)];
          }
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw duplicateEmail(email);
        throw error;
      }
      if (announce.length > 0) await deps.onChange?.(announce);
      return toUser(await userRow(userId));
    },

    async setRole(userId: number, role: StaffRole): Promise<StaffUser> {
      const next = parseRole(role);
      await db.transaction().execute(async (trx) => {
        const row = await userRow(userId, trx);
        if (can(row.role, 'staff.manage') && !can(next, 'staff.manage') && row.disabled === 0)
          await assertOtherActiveAdmin(trx, userId, '역할을 바꿀');
        await trx
          .updateTable('users')
          .set({ role: next, updated_at: clock.now() })
          .where('id', '=', userId)
          .execute();
      });
      return toUser(await userRow(userId));
    },

    /** Stops the account and ends its sessions at once; the byline stays on articles. */
    async disableUser(userId: number): Promise<StaffUser> {
      await db.transaction().execute(async (trx) => {
        const row = await userRow(userId, trx);
        if (can(row.role, 'staff.manage') && row.disabled === 0)
          await assertOtherActiveAdmin(trx, userId, '사용 중지할');
        await trx
          .updateTable('users')
          .set({ disabled: 1, updated_at: clock.now() })
          .where('id', '=', userId)
          .execute();
        await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
      });
      return toUser(await userRow(userId));
    },

    async enableUser(userId: number): Promise<StaffUser> {
      await userRow(userId);
      await db
        .updateTable('users')
        .set({ disabled: 0, updated_at: clock.now() })
        .where('id', '=', userId)
        .execute();
      return toUser(await userRow(userId));
    },

    /** Every account, disabled ones included, in the order they were added. */
    async listUsers(): Promise<StaffUser[]> {
      const rows = await db.selectFrom('users').selectAll().orderBy('id').execute();
      return rows.map(toUser);
    },

    async getUser(userId: number): Promise<StaffUser | null> {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', userId)
        .executeTakeFirst();
      return row === undefined ? null : toUser(row);
    },

    async findUserByEmail(email: string): Promise<StaffUser | null> {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', normaliseEmail(email))
        .executeTakeFirst();
      return row === undefined ? null : toUser(row);
    },

    /**
     * The user's own change. Ends every other session (a changed password usually means
     * someone else may know the old one) but keeps `currentToken`'s, so the user stays
     * signed in where they made the change. Wrong current passwords count towards the
     * account's sign-in lock, so a stolen session cannot be used to guess the password.
     */
    async changePassword(
      userId: number,
      current: string,
      next: string,
      currentToken?: string,
    ): Promise<StaffUser> {
      const row = await userRow(userId);
      const now = clock.now();
      // A signed-in session guessing its own password: counted as sign-ins to the account.
      const admission = await throttle.admit([[accountKey(row.email), rules.account]]);
      if (!admission.ok)
        throw tooManyAttempts('비밀번호를 너무 많이 틀렸습니다.', admission.until, now);
      if (!(await verifyPassword(current, row.password_hash))) {
        const until = await throttle.failed(admission.tickets);
        if (until !== null) throw tooManyAttempts('비밀번호를 너무 많이 틀렸습니다.', until, now);
        throw invalidInput('현재 비밀번호가 맞지 않습니다.', { field: 'currentPassword' });
      }
      checkPasswordPolicy(next, row.email, 'newPassword');
      if (next.normalize('NFC') === current.normalize('NFC'))
        throw invalidInput('새 비밀번호가 지금 비밀번호와 같습니다. 다른 비밀번호를 고르세요.', {
          field: 'newPassword',
        });
      await throttle.giveBack([accountKey(row.email)]);
      await setPassword(userId, next, false);
      await endSessions(userId, currentToken);
      return toUser(await userRow(userId));
    },

    /**
     * An admin resets someone's password (forgotten, or a suspected leak). Without a
     * password, a one-time one is generated. Either way the user must choose their own at
     * the next sign-in, every session ends, and a sign-in lock on the account is lifted.
     */
    async setPasswordByAdmin(userId: number, password?: string): Promise<CreatedUser> {
      const row = await userRow(userId);
      const chosen = password ?? generateOneTimePassword();
      const oneTimePassword = password === undefined ? chosen : null;
      checkPasswordPolicy(chosen, row.email);
      await setPassword(userId, chosen, true);
      await endSessions(userId);
      await clearAccountCounts(row.email);
      return { user: toUser(await userRow(userId)), oneTimePassword };
    },

    /**
     * Signs in. Throws AppError UNAUTHORIZED (the same message for an unknown email and a
     * wrong password), TOO_MANY_REQUESTS while the account or the address is locked (even
     * for the right password), or FORBIDDEN for a disabled account with the right password.
     * `ip` is the client address as the HTTP layer trusts it (behind a CDN, from the
     * forwarded header); '' when unknown, which skips the per-address limit.
     */
    async login(input: {
      email: string;
      password: string;
      ip: string;
      userAgent?: string;
    }): Promise<LoginResult> {
      const email = normaliseEmail(input.email);
      const now = clock.now();
      // Counted before the password is checked, so parallel guesses cannot outrun the limit.
      const entries: [string, ThrottleRule][] = [[accountKey(email), rules.account]];
      if (input.ip !== '')
        entries.push([pairKey(email, input.ip), rules.pair], [ipKey(input.ip), rules.ip]);
      const admission = await throttle.admit(entries);
      if (!admission.ok)
        throw tooManyAttempts('로그인 시도가 너무 많습니다.', admission.until, now);

      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', email)
        .executeTakeFirst();
      const ok =
        row === undefined
          ? await verifyPassword(input.password, await getDummyHash()).then(() => false)
          : await verifyPassword(input.password, row.password_hash);
      if (row === undefined || !ok) {
        const until = await throttle.failed(admission.tickets);
        if (until !== null) throw tooManyAttempts('로그인 시도가 너무 많습니다.', until, now);
        throw new AppError('UNAUTHORIZED', BAD_CREDENTIALS);
      }
      if (row.disabled === 1)
        throw new AppError('FORBIDDEN', '사용이 중지된 계정입니다. 관리자에게 문의하세요.');

      await clearAccountCounts(email);
      // The address keeps counting other accounts' failures, not this success.
      if (input.ip !== '') await throttle.giveBack([ipKey(input.ip)]);
      if (needsRehash(row.password_hash, hashing)) {
        await db
          .updateTable('users')
          .set({ password_hash: await hashPassword(input.password, hashing) })
          .where('id', '=', row.id)
          .execute();
      }
      const { token, session } = await createSession(row, input.userAgent ?? '');
      return { token, session, user: toUser(row), needsSecondFactor: session.secondFactorPending };
    },

    /**
     * The signed-in user for a cookie token, or null. Extends the idle expiry, writing at
     * most once a minute per session so that a page view is not a database write.
     */
    async authenticate(token: string): Promise<Authenticated | null> {
      const live = await liveSession(token);
      if (live === null) return null;
      const { idHash, session, user, now } = live;
      if (now - session.last_seen_at >= MINUTE) {
        session.last_seen_at = now;
        session.expires_at = Math.min(now + idleTtl, session.created_at + maxAge);
        await db
          .updateTable('sessions')
          .set({ last_seen_at: session.last_seen_at, expires_at: session.expires_at })
          .where('id_hash', '=', idHash)
          .execute();
      }
      return { user: toUser(user), session: toSession(session, user) };
    },

    async logout(token: string): Promise<void> {
      if (!TOKEN_PATTERN.test(token)) return;
      await db.deleteFrom('sessions').where('id_hash', '=', sha256(token)).execute();
    },

    /** Ends every session of the user; returns how many there were. */
    async logoutEverywhere(userId: number): Promise<number> {
      return endSessions(userId);
    },

    /** The user's live sessions, newest first, for a "signed in on" list. */
    async listSessions(userId: number, currentToken?: string): Promise<SessionSummary[]> {
      const current = currentToken === undefined ? null : sha256(currentToken);
      const rows = await db
        .selectFrom('sessions')
        .select(['id_hash', 'created_at', 'last_seen_at', 'expires_at', 'user_agent'])
        .where('user_id', '=', userId)
        .where('expires_at', '>', clock.now())
        .orderBy('created_at', 'desc')
        .orderBy('id_hash')
        .execute();
      // The session in use first, then the newest: two sign-ins in the
      // same millisecond kept whatever order the database returned.
      return rows
        .map((r) => ({
          createdAt: r.created_at,
          lastSeenAt: r.last_seen_at,
          expiresAt: r.expires_at,
          userAgent: r.user_agent,
          current: r.id_hash === current,
        }))
        .sort((a, b) => Number(b.current) - Number(a.current));
    },

    /** Deletes expired sessions, spent links and stale throttle rows; run periodically. */
    async purgeExpired(): Promise<{ sessions: number; tokens: number; throttles: number }> {
      const now = clock.now();
      const sessions = await db
        .deleteFrom('sessions')
        .where('expires_at', '<=', now)
        .executeTakeFirst();
      const tokens = await db
        .deleteFrom('user_tokens')
        .where((eb) => eb.or([eb('expires_at', '<=', now), eb('used_at', 'is not', null)]))
        .executeTakeFirst();
      const throttles = await throttle.purge(
        Math.max(...Object.values(rules).map((rule) => rule.windowMs)),
      );
      return {
        sessions: Number(sessions.numDeletedRows),
        tokens: Number(tokens.numDeletedRows),
        throttles,
      };
    },

    /**
     * Starts two-factor setup: a new secret, not yet in force until confirmTotp proves the
     * app has it. Refused while two-factor is on, so the working secret is never replaced
     * by one the user has not scanned.
     */
    async beginTotpSetup(userId: number): Promise<TotpSetup> {
      const row = await userRow(userId);
      if (row.totp_enabled === 1)
        throw new AppError('CONFLICT', '이미 2단계 인증을 쓰고 있습니다. 먼저 해제하세요.');
      const secret = generateTotpSecret();
      await db
        .updateTable('users')
        .set({ totp_secret: secret, updated_at: clock.now() })
        .where('id', '=', userId)
        .execute();
      return { secret, uri: otpauthUri({ issuer, account: row.email, secret }) };
    },

    /**
     * Turns two-factor on once a code from the app matches. The session it is done from
     * (`currentToken`) counts as having passed; the user's other sessions must enter a code.
     */
    async confirmTotp(userId: number, code: string, currentToken?: string): Promise<StaffUser> {
      const row = await userRow(userId);
      if (row.totp_enabled === 1)
        throw new AppError('CONFLICT', '이미 2단계 인증을 쓰고 있습니다.');
      if (row.totp_secret === null)
        throw invalidInput('2단계 인증 설정을 먼저 시작하세요.', { field: 'code' });
      await acceptTotpCode(row, code);
      await db
        .updateTable('users')
        .set({ totp_enabled: 1, updated_at: clock.now() })
        .where('id', '=', userId)
        .execute();
      if (currentToken !== undefined && TOKEN_PATTERN.test(currentToken))
        await db
          .updateTable('sessions')
          .set({ second_factor_ok: 1 })
          .where('id_hash', '=', sha256(currentToken))
          .where('user_id', '=', userId)
          .execute();
      return toUser(await userRow(userId));
    },

    /** The code form after sign-in: marks the session as having passed two-factor. */
    async verifySecondFactor(token: string, code: string): Promise<Authenticated> {
      const live = await liveSession(token);
      if (live === null)
        throw new AppError('UNAUTHORIZED', '로그인이 만료되었습니다. 다시 로그인하세요.');
      const { idHash, session, user } = live;
      if (user.totp_enabled === 1 && session.second_factor_ok !== 1) {
        await acceptTotpCode(user, code);
        await db
          .updateTable('sessions')
          .set({ second_factor_ok: 1 })
          .where('id_hash', '=', idHash)
          .execute();
        session.second_factor_ok = 1;
      }
      return { user: toUser(user), session: toSession(session, user) };
    },

    /**
     * Turns two-factor off. A user turning off their own passes a current `code`, so a
     * borrowed session cannot remove it; an admin resetting it for someone who lost their
     * phone omits the code (the HTTP layer must check staff.manage for that).
     */
    async disableTotp(userId: number, code?: string): Promise<StaffUser> {
      const row = await userRow(userId);
      if (code !== undefined && row.totp_enabled === 1) await acceptTotpCode(row, code);
      await db
        .updateTable('users')
        .set({ totp_secret: null, totp_enabled: 0, updated_at: clock.now() })
        .where('id', '=', userId)
        .execute();
      return toUser(await userRow(userId));
    },

    createSetupToken,

    /** Whose account a setup or reset link is for, while the link is still good. */
    async peekSetupToken(
      token: string,
    ): Promise<{ name: string; email: string; purpose: 'setup' | 'reset' } | null> {
      if (!TOKEN_PATTERN.test(token)) return null;
      const found = await db
        .selectFrom('user_tokens')
        .innerJoin('users', 'users.id', 'user_tokens.user_id')
        .select(['users.name', 'users.email', 'users.disabled', 'user_tokens.purpose'])
        .where('user_tokens.token_hash', '=', sha256(token))
        .where('user_tokens.used_at', 'is', null)
        .where('user_tokens.expires_at', '>', clock.now())
        .executeTakeFirst();
      if (found === undefined || found.disabled === 1) return null;
      return {
        name: found.name,
        email: found.email,
        purpose: found.purpose === 'reset' ? 'reset' : 'setup',
      };
    },

    /**
     * Sets the password from a link. The policy is checked before the link is spent, so a
     * rejected password can be corrected; spending it is one conditional update, so two
     * tabs racing cannot both use it. Ends every session and lifts a sign-in lock.
     */
    async redeemSetupToken(token: string, newPassword: string): Promise<StaffUser> {
      const invalid = () =>
        invalidInput('링크가 만료되었거나 이미 사용되었습니다. 관리자에게 새 링크를 요청하세요.', {
          field: 'token',
        });
      if (!TOKEN_PATTERN.test(token)) throw invalid();
      const now = clock.now();
      const hash = sha256(token);
      const found = await db
        .selectFrom('user_tokens')
        .innerJoin('users', 'users.id', 'user_tokens.user_id')
        .select(['users.id', 'users.email', 'users.disabled'])
        .where('user_tokens.token_hash', '=', hash)
        .where('user_tokens.used_at', 'is', null)
        .where('user_tokens.expires_at', '>', now)
        .executeTakeFirst();
      if (found === undefined || found.disabled === 1) throw invalid();
      checkPasswordPolicy(newPassword, found.email);
      const spent = await db
        .updateTable('user_tokens')
        .set({ used_at: now })
        .where('token_hash', '=', hash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(spent.numUpdatedRows) !== 1) throw invalid();
      await setPassword(found.id, newPassword, false);
      await endSessions(found.id);
      await clearAccountCounts(found.email);
      return toUser(await userRow(found.id));
    },
  };
}

export type Accounts = ReturnType<typeof createAccounts>;
