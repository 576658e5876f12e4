import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { invalidInput } from '../../shared/errors.ts';

/** scrypt cost parameters. Stored with every hash, so they can be raised later. */
export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

/**
 * 32 MiB and about 145 ms of CPU per hash (measured on the 2-core development machine):
 * expensive enough for offline guessing, cheap enough for a newsroom's sign-ins. scrypt
 * runs on libuv's thread pool, so hashing never blocks the event loop; at most four
 * hashes (128 MiB) run at once. OWASP's current floor is N=2^17; raise N here when the
 * servers allow it, and stored hashes are upgraded at each user's next sign-in.
 */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = {
    N: params.N,
    r: params.r,
    p: params.p,
    // Node refuses anything above 32 MiB by default, which N=2^15, r=8 needs exactly
    // (128 * N * r); leave headroom so a raised N does not fail at sign-in.
    maxmem: 256 * params.N * params.r + 1024 * 1024,
  };
  return new Promise((resolve, reject) => {
    // NFC: the same Korean password typed on macOS (NFD-prone) and Windows must match.
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64url. */
export async function hashPassword(
  password: string,
  params: ScryptParams = DEFAULT_SCRYPT,
): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, params);
  return [
    'scrypt',
    params.N,
    params.r,
    params.p,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

function parseHash(encoded: string): ParsedHash | null {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (N === undefined || r === undefined || p === undefined) return null;
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0)) return null;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const key = Buffer.from(parts[5] ?? '', 'base64url');
  if (salt.length === 0 || key.length !== KEY_LENGTH) return null;
  return { params: { N, r, p }, salt, key };
}

/** Constant-time comparison; a malformed stored hash never matches. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parsed = parseHash(encoded);
  if (parsed === null) return false;
  const key = await derive(password, parsed.salt, parsed.params);
  return timingSafeEqual(key, parsed.key);
}

/** True when the hash was made with other parameters than the current ones. */
export function needsRehash(encoded: string, params: ScryptParams = DEFAULT_SCRYPT): boolean {
  const parsed = parseHash(encoded);
  return (
    parsed === null ||
    parsed.params.N !== params.N ||
    parsed.params.r !== params.r ||
    parsed.params.p !== params.p
  );
}

/**
 * The password rules, checked when a password is set (never at sign-in, so tightening the
 * rules does not lock anyone out). `field` names the form field for the error.
 */
export function checkPasswordPolicy(password: string, email: string, field = 'password'): void {
  const chars = [...password.normalize('NFC')];
  if (chars.length < PASSWORD_MIN_LENGTH)
    throw invalidInput(`비밀번호는 ${PASSWORD_MIN_LENGTH}자 이상이어야 합니다.`, { field });
  if (chars.length > PASSWORD_MAX_LENGTH)
    throw invalidInput(`비밀번호는 ${PASSWORD_MAX_LENGTH}자 이내로 입력하세요.`, { field });
  if (new Set(chars).size === 1)
    throw invalidInput('같은 문자만 반복한 비밀번호는 쓸 수 없습니다.', { field });
  if (password.trim().toLowerCase() === email.trim().toLowerCase())
    throw invalidInput('이메일 주소를 비밀번호로 쓸 수 없습니다.', { field });
}

// No 0/o, 1/l/i: the one-time password is read off a screen or dictated over the phone.
const ONE_TIME_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Four groups of four from 31 symbols: about 79 bits, e.g. `k7pm-3xqa-w9tr-hc4e`. */
export function generateOneTimePassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < 4; g++) {
    let group = '';
    for (let i = 0; i < 4; i++) group += ONE_TIME_ALPHABET[randomInt(ONE_TIME_ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}
