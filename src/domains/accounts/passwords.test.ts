import { describe, expect, it } from 'vitest';
import {
  checkPasswordPolicy,
  generateOneTimePassword,
  hashPassword,
  needsRehash,
  verifyPassword,
} from './passwords.ts';

const FAST = { N: 2 ** 10, r: 8, p: 1 };

describe('password hashing', () => {
  it('encodes scrypt parameters, salt and hash, and verifies', async () => {
    const hash = await hashPassword('제주 바다 1234', FAST);
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword('제주 바다 1234', hash)).toBe(true);
    expect(await verifyPassword('제주 바다 1235', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    const a = await hashPassword('same password', FAST);
    const b = await hashPassword('same password', FAST);
    expect(a).not.toBe(b);
  });

  it('treats composed and decomposed Hangul as the same password', async () => {
    const composed = '한라산정상까지가자';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    expect(await verifyPassword(decomposed, await hashPassword(composed, FAST))).toBe(true);
  });

  it('never matches a malformed stored hash', async () => {
    for (const stored of [
      '',
      'plain',
      'scrypt$1024$8$1$$',
      'bcrypt$x$y$z$a$b',
      'scrypt$0$8$1$AA$AA',
    ])
      expect(await verifyPassword('anything', stored)).toBe(false);
  });

  it('tells when a hash was made with other parameters', async () => {
    const hash = await hashPassword('some password', FAST);
    expect(needsRehash(hash, FAST)).toBe(false);
    expect(needsRehash(hash, { ...FAST, N: 2 ** 11 })).toBe(true);
    expect(needsRehash('garbage', FAST)).toBe(true);
  });
});

describe('password policy', () => {
  const failure = (password: string, email = 'kim@tamna.kr', field?: string) => {
    try {
      checkPasswordPolicy(password, email, field);
    } catch (error) {
      return error;
    }
    return null;
  };

  it.each([
    ['short', '비밀번호는 10자 이상이어야 합니다.'],
    ['가나다라마바사아자', '비밀번호는 10자 이상이어야 합니다.'],
    ['aaaaaaaaaaaa', '같은 문자만 반복한 비밀번호는 쓸 수 없습니다.'],
    ['ㅋㅋㅋㅋㅋㅋㅋㅋㅋㅋㅋ', '같은 문자만 반복한 비밀번호는 쓸 수 없습니다.'],
    ['Kim@Tamna.kr', '이메일 주소를 비밀번호로 쓸 수 없습니다.'],
    ['x'.repeat(100) + 'y'.repeat(101), '비밀번호는 200자 이내로 입력하세요.'],
  ])('refuses %j: %s', (password, message) => {
    expect(failure(password)).toMatchObject({
      code: 'INVALID_INPUT',
      message,
      details: { field: 'password' },
    });
  });

  it('names the form field it was given', () => {
    expect(failure('short', 'a@b.kr', 'newPassword')).toMatchObject({
      details: { field: 'newPassword' },
    });
  });

  it('counts Hangul syllables as characters', () => {
    expect(failure('가나다라마바사아자차')).toBeNull();
  });

  it('accepts its own one-time passwords', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const password = generateOneTimePassword();
      expect(password).toMatch(/^[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){3}$/);
      expect(failure(password)).toBeNull();
      seen.add(password);
    }
    expect(seen.size).toBe(50);
  });
});
