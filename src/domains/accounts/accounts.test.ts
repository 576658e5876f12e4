import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, type DatabaseHandle } from '../../db/index.ts';
import { ManualClock } from '../../shared/clock.ts';
import { freshDatabase, testDialects } from '../../testing/databases.ts';
import { createAccounts, type Accounts, type AccountsDeps } from './index.ts';
import { base32Decode, totp } from './totp.ts';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** 2025-12-09 14:00 KST, on a 30-second boundary (TOTP steps). */
const START = Date.UTC(2025, 11, 9, 5, 0, 0);
const FAST = { N: 2 ** 10, r: 8, p: 1 };
const PASSWORD = '한라산 오름 2025!';
const BAD_CREDENTIALS = { code: 'UNAUTHORIZED', message: '이메일 또는 비밀번호가 맞지 않습니다.' };
const locked = (minutes: number) => ({
  code: 'TOO_MANY_REQUESTS',
  message: `로그인 시도가 너무 많습니다. ${minutes}분 후에 다시 시도해 주세요.`,
});

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

describe.each(testDialects)('accounts on %s', (dialect) => {
  let database: DatabaseHandle;
  let serial = 0;

  beforeAll(async () => {
    database = await freshDatabase(dialect);
    await migrateToLatest(database);
  });
  afterAll(async () => {
    await database?.close();
  });

  /** A service with its own clock; the database is shared, so names and IPs are unique. */
  function setup(options: Partial<AccountsDeps> = {}) {
    const clock = new ManualClock(START);
    const accounts = createAccounts({
      db: database.db,
      clock,
      passwordHashing: FAST,
      ...options,
    });
    serial += 1;
    const email = `staff${serial}@tamna.kr`;
    const ip = `10.0.${serial}.1`;
    return { clock, accounts, email, ip, db: database.db };
  }

  async function withUser(options: Partial<AccountsDeps> = {}) {
    const s = setup(options);
    const { user } = await s.accounts.createUser({
      email: s.email,
      name: '김탐나',
      role: 'reporter',
      password: PASSWORD,
    });
    const login = (password = PASSWORD, ip = s.ip) =>
      s.accounts.login({ email: s.email, password, ip, userAgent: 'test' });
    return { ...s, user, login };
  }

  describe('staff', () => {
    it('creates a user with a normalised email and a byline', async () => {
      const s = setup();
      const { user, oneTimePassword } = await s.accounts.createUser({
        email: `  ${s.email.toUpperCase()} `,
        name: ' 홍길동 ',
        role: 'desk',
        password: PASSWORD,
      });
      expect(oneTimePassword).toBeNull();
      expect(user).toMatchObject({
        email: s.email,
        name: '홍길동',
        role: 'desk',
        roleLabel: '데스크',
        mustChangePassword: false,
        totpEnabled: false,
        disabled: false,
        createdAt: START,
      });
      const author = await s.db
        .selectFrom('authors')
        .selectAll()
        .where('id', '=', user.authorId)
        .executeTakeFirstOrThrow();
      expect(author).toMatchObject({ name: '홍길동', email: s.email });
      expect(await s.accounts.getUser(user.id)).toEqual(user);
      expect(await s.accounts.findUserByEmail(s.email.toUpperCase())).toEqual(user);
    });

    it('reuses the existing byline with the same email', async () => {
      const s = setup();
      const existing = await s.db
        .insertInto('authors')
        .values({ name: '김기자', email: s.email, created_at: START })
        .returning('id')
        .executeTakeFirstOrThrow();
      const { user } = await s.accounts.createUser({
        email: s.email,
        name: '김기자',
        role: 'reporter',
      });
      expect(user.authorId).toBe(existing.id);
    });

    it('generates a one-time password that must be changed, and it signs in', async () => {
      const s = setup();
      const { user, oneTimePassword } = await s.accounts.createUser({
        email: s.email,
        name: '박필자',
        role: 'contributor',
      });
      expect(oneTimePassword).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
      expect(user.mustChangePassword).toBe(true);
      const login = await s.accounts.login({
        email: s.email,
        password: oneTimePassword ?? '',
        ip: s.ip,
      });
      expect(login.user.mustChangePassword).toBe(true);
    });

    it('refuses a duplicate email with a clear message', async () => {
      const { accounts, email } = await withUser();
      await expect(
        accounts.createUser({ email: email.toUpperCase(), name: '또 김', role: 'desk' }),
      ).rejects.toMatchObject({
        code: 'CONFLICT',
        message: `이미 등록된 이메일입니다: ${email}`,
        details: { field: 'email' },
      });
    });

    it.each([
      [{ email: 'not-an-email' }, '올바른 이메일 주소가 아닙니다.', 'email'],
      [{ name: '   ' }, '이름을 입력하세요.', 'name'],
      [{ name: '가'.repeat(81) }, '이름은 80자 이내로 입력하세요.', 'name'],
      [{ password: 'short' }, '비밀번호는 10자 이상이어야 합니다.', 'password'],
      [{ password: 'CHECK@tamna.kr' }, '이메일 주소를 비밀번호로 쓸 수 없습니다.', 'password'],
    ])('refuses %j with a message for the field', async (change, message, field) => {
      const s = setup();
      await expect(
        s.accounts.createUser({
          email: 'check@tamna.kr',
          name: '검사',
          role: 'reporter',
          password: PASSWORD,
          ...change,
        }),
      ).rejects.toMatchObject({ code: 'INVALID_INPUT', message, details: { field } });
    });

    it('lists the valid roles when given an unknown one', async () => {
      const s = setup();
      await expect(
        // @ts-expect-error -- a role from an untyped form
        s.accounts.createUser({ email: s.email, name: '편집', role: 'editor' }),
      ).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message:
          '알 수 없는 역할입니다: editor. admin(관리자), desk(데스크), reporter(기자), contributor(외부 필자) 중 하나를 고르세요.',
        details: { field: 'role' },
      });
    });

    it('updates name and email together with the byline', async () => {
      const { accounts, user, db } = await withUser();
      const updated = await accounts.updateUser(user.id, {
        name: '김제주',
        email: `renamed-${user.email}`,
      });
      expect(updated).toMatchObject({ name: '김제주', email: `renamed-${user.email}` });
      expect(updated.authorId).toBe(user.authorId);
      const author = await db
        .selectFrom('authors')
        .selectAll()
        .where('id', '=', user.authorId)
        .executeTakeFirstOrThrow();
      expect(author).toMatchObject({ name: '김제주', email: `renamed-${user.email}` });
    });

    it('changes roles and lists users in the order they were added', async () => {
      const { accounts, user } = await withUser();
      expect((await accounts.setRole(user.id, 'desk')).role).toBe('desk');
      const ids = (await accounts.listUsers()).map((u) => u.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(ids).toContain(user.id);
      await expect(accounts.setRole(999_999, 'desk')).rejects.toMatchObject({
        code: 'NOT_FOUND',
        message: '사용자를 찾을 수 없습니다.',
      });
    });
  });

  describe('sign-in', () => {
    it('creates a session whose token is stored only as its sha256', async () => {
      const { login, db, user } = await withUser();
      const first = await login();
      const second = await login();
      expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(first.needsSecondFactor).toBe(false);
      expect(first.user.id).toBe(user.id);
      const rows = await db
        .selectFrom('sessions')
        .selectAll()
        .where('user_id', '=', user.id)
        .execute();
      expect(rows.map((r) => r.id_hash).sort()).toEqual(
        [sha256(first.token), sha256(second.token)].sort(),
      );
      expect(JSON.stringify(rows)).not.toContain(first.token);
      expect(first.session.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(first.session.csrfToken).not.toBe(second.session.csrfToken);
      expect(first.session).toMatchObject({
        userId: user.id,
        createdAt: START,
        expiresAt: START + 12 * HOUR,
        userAgent: 'test',
        secondFactorPending: false,
      });
    });

    it('authenticates the token and nothing else', async () => {
      const { login, accounts, user } = await withUser();
      const { token, session } = await login();
      expect(await accounts.authenticate(token)).toEqual({ user, session });
      // Change the last character to one it is not, or 1 run in 64 tampers nothing.
      const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
      expect(await accounts.authenticate(tampered)).toBeNull();
      expect(await accounts.authenticate('')).toBeNull();
      expect(await accounts.authenticate('x'.repeat(1000))).toBeNull();
    });

    it('gives the same answer for an unknown email and a wrong password', async () => {
      const { accounts, login, ip } = await withUser();
      const wrong = await login('wrong password!').catch((e: unknown) => e);
      const unknown = await accounts
        .login({ email: 'nobody@tamna.kr', password: PASSWORD, ip })
        .catch((e: unknown) => e);
      expect(wrong).toMatchObject(BAD_CREDENTIALS);
      expect(unknown).toMatchObject(BAD_CREDENTIALS);
      expect(unknown).toEqual(wrong);
    });

    it('takes about as long for an unknown email as for a wrong password', async () => {
      // A real cost so the hash dominates the database round trips.
      const { accounts, login } = await withUser({
        passwordHashing: { N: 2 ** 13, r: 8, p: 1 },
      });
      const time = async (attempt: () => Promise<unknown>) => {
        const started = performance.now();
        await attempt().catch(() => {});
        return performance.now() - started;
      };
      const unknown = () =>
        accounts.login({ email: 'ghost@tamna.kr', password: 'wrong password!', ip: '' });
      await unknown().catch(() => {}); // the first one also makes the dummy hash
      // Pairs taken in turn, medians compared: a pause of the busy machine (CI runs two
      // files at a time on two cores) lands on one attempt, not on a median of seven.
      const ROUNDS = 7;
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[ROUNDS >> 1] ?? 0;
      const wrongTimes: number[] = [];
      const unknownTimes: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        wrongTimes.push(await time(() => login('wrong password!', '')));
        unknownTimes.push(await time(unknown));
      }
      // Without the dummy hash the unknown email would answer in a fraction of the time.
      expect(median(unknownTimes)).toBeGreaterThan(median(wrongTimes) * 0.4);
    });

    it('signs in a user whatever the case of the email', async () => {
      const { accounts, email, ip } = await withUser();
      const result = await accounts.login({ email: email.toUpperCase(), password: PASSWORD, ip });
      expect(result.user.email).toBe(email);
    });

    it('upgrades a hash made with older parameters at sign-in', async () => {
      const { email, ip, user, db, clock } = await withUser();
      const stronger = createAccounts({
        db,
        clock,
        passwordHashing: { N: 2 ** 11, r: 8, p: 1 },
      });
      await stronger.login({ email, password: PASSWORD, ip });
      const row = await db
        .selectFrom('users')
        .select('password_hash')
        .where('id', '=', user.id)
        .executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^scrypt\$2048\$8\$1\$/);
      await stronger.login({ email, password: PASSWORD, ip });
    });

    it('refuses a disabled user even with the right password, and ends their sessions', async () => {
      const { accounts, login, user } = await withUser();
      const { token } = await login();
      expect((await accounts.disableUser(user.id)).disabled).toBe(true);
      expect(await accounts.authenticate(token)).toBeNull();
      await expect(login()).rejects.toMatchObject({
        code: 'FORBIDDEN',
        message: '사용이 중지된 계정입니다. 관리자에게 문의하세요.',
      });
      await expect(login('wrong password!')).rejects.toMatchObject(BAD_CREDENTIALS);
      await accounts.enableUser(user.id);
      await login();
    });
  });

  describe('throttling', () => {
    it('locks an account after 5 failures for 15 minutes, even for the right password', async () => {
      const { login, clock } = await withUser();
      for (let i = 0; i < 4; i++)
        await expect(login('wrong password!')).rejects.toMatchObject(BAD_CREDENTIALS);
      await expect(login('wrong password!')).rejects.toMatchObject(locked(15));
      await expect(login()).rejects.toMatchObject(locked(15));
      clock.advance(3 * MINUTE);
      await expect(login()).rejects.toMatchObject({
        ...locked(12),
        details: { retryAfterSeconds: 12 * 60 },
      });
      clock.advance(12 * MINUTE - 1000);
      await expect(login()).rejects.toMatchObject(locked(1));
      clock.advance(1000);
      await login();
    });

    it('clears the account’s failures on success', async () => {
      const { login } = await withUser();
      for (let i = 0; i < 4; i++)
        await expect(login('wrong password!')).rejects.toMatchObject(BAD_CREDENTIALS);
      await login();
      for (let i = 0; i < 4; i++)
        await expect(login('wrong password!')).rejects.toMatchObject(BAD_CREDENTIALS);
      await login();
    });

    it('counts failures within a 15-minute window only', async () => {
      const { login, clock } = await withUser();
      for (let i = 0; i < 4; i++)
        await expect(login('wrong password!')).rejects.toMatchObject(BAD_CREDENTIALS);
      clock.advance(15 * MINUTE);
      for (let i = 0; i < 4; i++)
        await expect(login('wrong password!')).rejects.toMatchObject(BAD_CREDENTIALS);
      await login();
    });

    it('lets strangers elsewhere only slow an account down, never lock it for long', async () => {
      const { accounts, login, ip, clock } = await withUser();
      // Five wrong passwords from one address used to lock the account everywhere.
      for (let i = 0; i < 5; i++)
        await expect(login('wrong password!', `192.0.2.${i}`)).rejects.toMatchObject(
          BAD_CREDENTIALS,
        );
      await login(PASSWORD, '198.51.100.7');
      // Ten failures from ten addresses: the eleventh attempt waits 30 s, then 60 s, ...
      for (let i = 0; i < 9; i++)
        await expect(login('wrong password!', `192.0.2.${10 + i}`)).rejects.toMatchObject(
          BAD_CREDENTIALS,
        );
      await expect(login('wrong password!', '192.0.2.30')).rejects.toMatchObject({
        ...locked(1),
        details: { retryAfterSeconds: 30 },
      });
      await expect(login(PASSWORD, '198.51.100.7')).rejects.toMatchObject(locked(1));
      clock.advance(30 * 1000);
      await expect(login('wrong password!', '192.0.2.31')).rejects.toMatchObject({
        ...locked(1),
        details: { retryAfterSeconds: 60 },
      });
      clock.advance(60 * 1000);
      await login(PASSWORD, '198.51.100.7');
      // Unknown emails are counted like real ones, so a lock reveals nothing.
      const ghost = () => accounts.login({ email: 'ghost2@tamna.kr', password: 'x', ip });
      for (let i = 0; i < 4; i++) await expect(ghost()).rejects.toMatchObject(BAD_CREDENTIALS);
      await expect(ghost()).rejects.toMatchObject(locked(15));
    });

    it('never checks more parallel guesses than the limit allows', async () => {
      const { login } = await withUser();
      const results = await Promise.allSettled(
        Array.from({ length: 40 }, () => login('wrong password!')),
      );
      const codes = results.map((r) =>
        r.status === 'rejected' ? (r.reason as { code: string }).code : 'OK',
      );
      // Every attempt is answered as a wrong password or a lock: no database error either.
      expect(codes.filter((c) => c !== 'UNAUTHORIZED' && c !== 'TOO_MANY_REQUESTS')).toEqual([]);
      expect(codes.filter((c) => c === 'UNAUTHORIZED').length).toBeLessThanOrEqual(5);
    });

    it('refuses the right password when it arrives among parallel guesses past the limit', async () => {
      const { login } = await withUser();
      const attempts = Array.from({ length: 30 }, (_, i) =>
        i === 24 ? login() : login('wrong password!'),
      );
      const results = await Promise.allSettled(attempts);
      // The 25th attempt is counted past the limit of 5 before any password is checked.
      expect(results[24]).toMatchObject({
        status: 'rejected',
        reason: { code: 'TOO_MANY_REQUESTS' },
      });
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(0);
    });

    it('locks an address after 20 failures, whichever accounts they were for', async () => {
      const { accounts, login, ip, clock } = await withUser();
      for (let i = 0; i < 19; i++)
        await expect(
          accounts.login({ email: `guess${i}@tamna.kr`, password: 'x', ip }),
        ).rejects.toMatchObject(BAD_CREDENTIALS);
      await expect(
        accounts.login({ email: 'guess19@tamna.kr', password: 'x', ip }),
      ).rejects.toMatchObject(locked(15));
      await expect(login(PASSWORD, ip)).rejects.toMatchObject(locked(15));
      await login(PASSWORD, '203.0.113.9');
      clock.advance(15 * MINUTE);
      await login(PASSWORD, ip);
    });

    it('counts wrong current passwords on the password form towards the account', async () => {
      const { accounts, login, user } = await withUser();
      for (let i = 0; i < 9; i++)
        await expect(
          accounts.changePassword(user.id, 'wrong password!', '새 비밀번호 2026!'),
        ).rejects.toMatchObject({
          code: 'INVALID_INPUT',
          message: '현재 비밀번호가 맞지 않습니다.',
          details: { field: 'currentPassword' },
        });
      await expect(
        accounts.changePassword(user.id, 'wrong password!', '새 비밀번호 2026!'),
      ).rejects.toMatchObject({
        code: 'TOO_MANY_REQUESTS',
        message: '비밀번호를 너무 많이 틀렸습니다. 1분 후에 다시 시도해 주세요.',
      });
      await expect(login()).rejects.toMatchObject(locked(1));
      // An admin's reset lifts the wait.
      const { oneTimePassword } = await accounts.setPasswordByAdmin(user.id);
      await login(oneTimePassword ?? '');
    });
  });

  describe('sessions', () => {
    it('slides the idle expiry, writing at most once a minute', async () => {
      const { login, accounts, clock, db } = await withUser();
      const { token } = await login();
      const row = () =>
        db
          .selectFrom('sessions')
          .select(['last_seen_at', 'expires_at'])
          .where('id_hash', '=', sha256(token))
          .executeTakeFirst();
      clock.advance(30 * 1000);
      expect((await accounts.authenticate(token))?.session.lastSeenAt).toBe(START);
      expect(await row()).toEqual({ last_seen_at: START, expires_at: START + 12 * HOUR });
      clock.advance(31 * 1000);
      expect(await accounts.authenticate(token)).not.toBeNull();
      expect(await row()).toEqual({
        last_seen_at: START + 61 * 1000,
        expires_at: START + 61 * 1000 + 12 * HOUR,
      });
      clock.set(START + 61 * 1000 + 11 * HOUR);
      expect(await accounts.authenticate(token)).not.toBeNull();
      clock.advance(12 * HOUR - 1);
      expect(await accounts.authenticate(token)).not.toBeNull();
      clock.advance(12 * HOUR);
      expect(await accounts.authenticate(token)).toBeNull();
      // Deleted on the way.
      expect(await row()).toBeUndefined();
    });

    it('ends a session after 7 days however active it is', async () => {
      const { login, accounts, clock } = await withUser();
      const { token } = await login();
      for (let t = 6 * HOUR; t < 7 * DAY; t += 6 * HOUR) {
        clock.set(START + t);
        expect(await accounts.authenticate(token), `at ${t / HOUR} h`).not.toBeNull();
      }
      clock.set(START + 7 * DAY - 1);
      expect((await accounts.authenticate(token))?.session.expiresAt).toBe(START + 7 * DAY);
      clock.set(START + 7 * DAY);
      expect(await accounts.authenticate(token)).toBeNull();
    });

    it('honours a configured idle time', async () => {
      const { login, accounts, clock } = await withUser({ sessionTtlMs: 30 * MINUTE });
      const { token, session } = await login();
      expect(session.expiresAt).toBe(START + 30 * MINUTE);
      clock.advance(30 * MINUTE);
      expect(await accounts.authenticate(token)).toBeNull();
    });

    it('logs out one session, or all of a user’s', async () => {
      const a = await withUser();
      const b = await withUser();
      const [one, two, three] = [await a.login(), await a.login(), await a.login()];
      const other = await b.login();
      await a.accounts.logout(one.token);
      expect(await a.accounts.authenticate(one.token)).toBeNull();
      expect(await a.accounts.authenticate(two.token)).not.toBeNull();
      await a.accounts.logout('not a token');
      expect(await a.accounts.listSessions(a.user.id, two.token)).toEqual([
        expect.objectContaining({ current: true, userAgent: 'test', createdAt: START }),
        expect.objectContaining({ current: false }),
      ]);
      expect(await a.accounts.logoutEverywhere(a.user.id)).toBe(2);
      expect(await a.accounts.authenticate(two.token)).toBeNull();
      expect(await a.accounts.authenticate(three.token)).toBeNull();
      expect(await b.accounts.authenticate(other.token)).not.toBeNull();
    });

    it('keeps the current session when the password changes, and ends the others', async () => {
      const { accounts, login, user, email, ip } = await withUser();
      const here = await login();
      const elsewhere = await login();
      await expect(
        accounts.changePassword(user.id, PASSWORD, 'short', here.token),
      ).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: '비밀번호는 10자 이상이어야 합니다.',
        details: { field: 'newPassword' },
      });
      await expect(
        accounts.changePassword(user.id, PASSWORD, PASSWORD, here.token),
      ).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'newPassword' } });
      const changed = await accounts.changePassword(
        user.id,
        PASSWORD,
        '새 비밀번호 2026!',
        here.token,
      );
      expect(changed.mustChangePassword).toBe(false);
      expect(await accounts.authenticate(here.token)).not.toBeNull();
      expect(await accounts.authenticate(elsewhere.token)).toBeNull();
      await expect(login()).rejects.toMatchObject(BAD_CREDENTIALS);
      await accounts.login({ email, password: '새 비밀번호 2026!', ip });
    });

    it('clears must-change-password when the user chooses their own', async () => {
      const s = setup();
      const { user, oneTimePassword } = await s.accounts.createUser({
        email: s.email,
        name: '신입',
        role: 'reporter',
      });
      const { token } = await s.accounts.login({
        email: s.email,
        password: oneTimePassword ?? '',
        ip: s.ip,
      });
      await s.accounts.changePassword(user.id, oneTimePassword ?? '', PASSWORD, token);
      expect((await s.accounts.authenticate(token))?.user.mustChangePassword).toBe(false);
    });

    it('gives a new one-time password on an admin reset and ends every session', async () => {
      const { accounts, login, user } = await withUser();
      const { token } = await login();
      const reset = await accounts.setPasswordByAdmin(user.id);
      expect(reset.user.mustChangePassword).toBe(true);
      expect(await accounts.authenticate(token)).toBeNull();
      await expect(login()).rejects.toMatchObject(BAD_CREDENTIALS);
      await login(reset.oneTimePassword ?? '');
      const chosen = await accounts.setPasswordByAdmin(user.id, '관리자가 정한 비밀번호');
      expect(chosen.oneTimePassword).toBeNull();
      await login('관리자가 정한 비밀번호');
    });
  });

  describe('two-factor', () => {
    async function withTotp() {
      const s = await withUser();
      const setupResult = await s.accounts.beginTotpSetup(s.user.id);
      const key = base32Decode(setupResult.secret);
      const code = (offsetSteps = 0) => totp(key, s.clock.now() + offsetSteps * 30_000);
      // 5 s into a step, so ±1 step is unambiguous.
      s.clock.advance(5000);
      return { ...s, setup: setupResult, code };
    }

    it('sets up with a secret and an otpauth URI, enabled only after a matching code', async () => {
      const { accounts, user, setup: begun, code, email } = await withTotp();
      expect(begun.secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(begun.uri).toBe(
        `otpauth://totp/${encodeURIComponent('탐나')}:${encodeURIComponent(email)}?secret=${begun.secret}` +
          `&issuer=${encodeURIComponent('탐나')}&algorithm=SHA1&digits=6&period=30`,
      );
      expect((await accounts.getUser(user.id))?.totpEnabled).toBe(false);
      const wrong = code() === '000000' ? '111111' : '000000';
      await expect(accounts.confirmTotp(user.id, wrong)).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: '인증 코드가 맞지 않습니다. 앱에 표시된 6자리 숫자를 입력하세요.',
        details: { field: 'code' },
      });
      expect((await accounts.confirmTotp(user.id, code())).totpEnabled).toBe(true);
      await expect(accounts.beginTotpSetup(user.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    });

    it('holds a new session at the code form until a code is entered', async () => {
      const { accounts, user, code, login, clock } = await withTotp();
      const settings = await login();
      await accounts.confirmTotp(user.id, code(), settings.token);
      // The session that turned it on has proved the second factor; others have not.
      expect((await accounts.authenticate(settings.token))?.session.secondFactorPending).toBe(
        false,
      );
      const result = await login();
      expect(result.needsSecondFactor).toBe(true);
      expect((await accounts.authenticate(result.token))?.session.secondFactorPending).toBe(true);
      // The code that confirmed setup cannot be used again.
      await expect(accounts.verifySecondFactor(result.token, code())).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        details: { field: 'code' },
      });
      clock.advance(30_000);
      const passed = await accounts.verifySecondFactor(
        result.token,
        ` ${code().slice(0, 3)} ${code().slice(3)} `,
      );
      expect(passed.session.secondFactorPending).toBe(false);
      expect((await accounts.authenticate(result.token))?.session.secondFactorPending).toBe(false);
    });

    it('refuses a replayed code, in any session', async () => {
      const { accounts, user, code, login, clock } = await withTotp();
      await accounts.confirmTotp(user.id, code());
      clock.advance(30_000);
      const first = await login();
      const second = await login();
      const used = code();
      await accounts.verifySecondFactor(first.token, used);
      await expect(accounts.verifySecondFactor(second.token, used)).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
      // An older code still inside the window is refused too: steps only move forward.
      await expect(accounts.verifySecondFactor(second.token, code(-1))).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
      await accounts.verifySecondFactor(second.token, code(1));
    });

    it('accepts one step either side of now, not two', async () => {
      const { accounts, user, code, login, clock } = await withTotp();
      await accounts.confirmTotp(user.id, code());
      clock.advance(5 * 30_000);
      const a = await login();
      await expect(accounts.verifySecondFactor(a.token, code(-2))).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
      await expect(accounts.verifySecondFactor(a.token, code(2))).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
      await accounts.verifySecondFactor(a.token, code(-1));
      const b = await login();
      await accounts.verifySecondFactor(b.token, code(1));
    });

    it('locks code entry after 5 wrong codes', async () => {
      const { accounts, user, code, login, clock } = await withTotp();
      await accounts.confirmTotp(user.id, code());
      const { token } = await login();
      const wrong = (c: string) => (c === '000000' ? '111111' : '000000');
      for (let i = 0; i < 4; i++)
        await expect(accounts.verifySecondFactor(token, wrong(code()))).rejects.toMatchObject({
          code: 'INVALID_INPUT',
        });
      const lock = {
        code: 'TOO_MANY_REQUESTS',
        message: '인증 코드를 너무 많이 틀렸습니다. 15분 후에 다시 시도해 주세요.',
      };
      await expect(accounts.verifySecondFactor(token, wrong(code()))).rejects.toMatchObject(lock);
      clock.advance(30_000);
      await expect(accounts.verifySecondFactor(token, code())).rejects.toMatchObject(lock);
      clock.advance(15 * MINUTE);
      await accounts.verifySecondFactor(token, code());
    });

    it('turns off with a current code, or by an admin without one', async () => {
      const { accounts, user, code, login, clock } = await withTotp();
      await accounts.confirmTotp(user.id, code());
      clock.advance(30_000);
      await expect(accounts.disableTotp(user.id, '12345')).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
      expect((await accounts.disableTotp(user.id, code())).totpEnabled).toBe(false);
      expect((await login()).needsSecondFactor).toBe(false);
      await accounts.beginTotpSetup(user.id);
      const again = await accounts.getUser(user.id);
      expect(again?.totpEnabled).toBe(false);
      expect((await accounts.disableTotp(user.id)).totpEnabled).toBe(false);
    });

    it('refuses the code form without a live session', async () => {
      const { accounts } = setup();
      await expect(accounts.verifySecondFactor('x'.repeat(43), '123456')).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
        message: '로그인이 만료되었습니다. 다시 로그인하세요.',
      });
    });

    it('uses the configured issuer', async () => {
      const s = setup({ totpIssuer: '탐나일보' });
      const { user } = await s.accounts.createUser({ email: s.email, name: '이', role: 'desk' });
      const { uri } = await s.accounts.beginTotpSetup(user.id);
      expect(uri).toContain(`issuer=${encodeURIComponent('탐나일보')}`);
    });
  });

  describe('setup links', () => {
    it('sets a password once, after checking it, and ends the sessions', async () => {
      const { accounts, login, user, email, ip } = await withUser();
      const { token: session } = await login();
      const { token, expiresAt } = await accounts.createSetupToken(user.id, 'reset');
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(expiresAt).toBe(START + DAY);
      await expect(accounts.redeemSetupToken(token, 'aaaaaaaaaaaa')).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        details: { field: 'password' },
      });
      const redeemed = await accounts.redeemSetupToken(token, '링크로 정한 비밀번호');
      expect(redeemed.mustChangePassword).toBe(false);
      expect(await accounts.authenticate(session)).toBeNull();
      await accounts.login({ email, password: '링크로 정한 비밀번호', ip });
      await expect(
        accounts.redeemSetupToken(token, '두 번째 비밀번호입니다'),
      ).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: '링크가 만료되었거나 이미 사용되었습니다. 관리자에게 새 링크를 요청하세요.',
        details: { field: 'token' },
      });
    });

    it('expires after 24 hours', async () => {
      const { accounts, user, clock } = await withUser();
      const { token } = await accounts.createSetupToken(user.id);
      clock.advance(DAY);
      await expect(accounts.redeemSetupToken(token, '늦게 정한 비밀번호')).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        details: { field: 'token' },
      });
    });

    it('voids older links when a new one is made', async () => {
      const { accounts, user } = await withUser();
      const old = await accounts.createSetupToken(user.id);
      const current = await accounts.createSetupToken(user.id);
      await expect(
        accounts.redeemSetupToken(old.token, '예전 링크 비밀번호'),
      ).rejects.toMatchObject({
        details: { field: 'token' },
      });
      await accounts.redeemSetupToken(current.token, '새 링크 비밀번호야');
    });

    it('invites a user who can only get in through the link', async () => {
      const s = setup();
      const { user, setupToken } = await s.accounts.invite({
        email: s.email,
        name: '초대',
        role: 'reporter',
      });
      expect(user.mustChangePassword).toBe(true);
      const done = await s.accounts.redeemSetupToken(setupToken, '초대받은 새 비밀번호');
      expect(done.mustChangePassword).toBe(false);
      await s.accounts.login({ email: s.email, password: '초대받은 새 비밀번호', ip: s.ip });
    });

    it('refuses a link for a disabled account', async () => {
      const { accounts, user } = await withUser();
      const { token } = await accounts.createSetupToken(user.id);
      await accounts.disableUser(user.id);
      await expect(accounts.redeemSetupToken(token, '막힌 계정 비밀번호')).rejects.toMatchObject({
        details: { field: 'token' },
      });
    });
  });

  describe('on an empty database', () => {
    let own: DatabaseHandle;
    beforeAll(async () => {
      own = await freshDatabase(dialect);
      await migrateToLatest(own);
    });
    afterAll(async () => {
      await own?.close();
    });

    it('never leaves the newsroom without an active admin', async () => {
      const accounts: Accounts = createAccounts({
        db: own.db,
        clock: new ManualClock(START),
        passwordHashing: FAST,
      });
      const { user: first } = await accounts.createUser({
        email: 'first@tamna.kr',
        name: '첫 관리자',
        role: 'admin',
      });
      await expect(accounts.setRole(first.id, 'desk')).rejects.toMatchObject({
        code: 'CONFLICT',
        message: '마지막 관리자는 역할을 바꿀 수 없습니다. 다른 관리자를 먼저 지정하세요.',
      });
      await expect(accounts.disableUser(first.id)).rejects.toMatchObject({
        code: 'CONFLICT',
        message: '마지막 관리자는 사용 중지할 수 없습니다. 다른 관리자를 먼저 지정하세요.',
      });
      const { user: second } = await accounts.createUser({
        email: 'second@tamna.kr',
        name: '둘째 관리자',
        role: 'admin',
      });
      await accounts.disableUser(first.id);
      await expect(accounts.setRole(second.id, 'desk')).rejects.toMatchObject({ code: 'CONFLICT' });
      await accounts.enableUser(first.id);
      expect((await accounts.setRole(second.id, 'desk')).role).toBe('desk');
    });

    it('purges expired sessions, spent links and stale throttle rows', async () => {
      const clock = new ManualClock(START);
      const accounts = createAccounts({ db: own.db, clock, passwordHashing: FAST });
      const { user } = await accounts.createUser({
        email: 'purge@tamna.kr',
        name: '정리',
        role: 'reporter',
        password: PASSWORD,
      });
      const login = (password: string) =>
        accounts.login({ email: 'purge@tamna.kr', password, ip: '10.9.9.9' });
      await login(PASSWORD);
      await login('wrong password!').catch(() => {});
      const used = await accounts.createSetupToken(user.id);
      await accounts.redeemSetupToken(used.token, PASSWORD + '?');
      await accounts.createSetupToken(user.id);
      expect(await accounts.purgeExpired()).toEqual({ sessions: 0, tokens: 1, throttles: 0 });
      clock.advance(DAY);
      expect(await accounts.purgeExpired()).toEqual({ sessions: 0, tokens: 1, throttles: 1 });
      const live = await login(PASSWORD + '?');
      clock.advance(12 * HOUR);
      expect(await accounts.purgeExpired()).toEqual({ sessions: 1, tokens: 0, throttles: 0 });
      expect(await accounts.authenticate(live.token)).toBeNull();
    });
  });
});
