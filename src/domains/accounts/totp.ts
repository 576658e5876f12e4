import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP), written here because the
 * whole algorithm is a dozen lines of HMAC and a dependency would be a larger surface.
 * Authenticator apps (Google, Microsoft, 1Password, ...) use SHA-1, 6 digits, 30 s.
 */
export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

export interface TotpOptions {
  algorithm?: TotpAlgorithm;
  digits?: number;
  periodSeconds?: number;
}

const DEFAULTS: Required<TotpOptions> = { algorithm: 'sha1', digits: 6, periodSeconds: 30 };

/** RFC 4226 §5.3: HMAC, dynamic truncation, modulo 10^digits. */
export function hotp(
  key: Buffer,
  counter: number,
  digits = 6,
  algorithm: TotpAlgorithm = 'sha1',
): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, key).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The time step (RFC 6238 "T") that contains `timeMs`. */
export function totpStep(timeMs: number, periodSeconds = DEFAULTS.periodSeconds): number {
  return Math.floor(timeMs / 1000 / periodSeconds);
}

export function totp(key: Buffer, timeMs: number, options: TotpOptions = {}): string {
  const o = { ...DEFAULTS, ...options };
  return hotp(key, totpStep(timeMs, o.periodSeconds), o.digits, o.algorithm);
}

/**
 * The step whose code matches, looking `window` steps either side of now to allow for a
 * phone clock that is a little off and for the seconds it takes to type the code; null when
 * none matches. Every candidate is compared, in constant time, so timing reveals nothing.
 */
export function matchTotpStep(
  key: Buffer,
  code: string,
  timeMs: number,
  window = 1,
  options: TotpOptions = {},
): number | null {
  const o = { ...DEFAULTS, ...options };
  const given = Buffer.from(code);
  const now = totpStep(timeMs, o.periodSeconds);
  let found: number | null = null;
  for (let step = now - window; step <= now + window; step++) {
    if (step < 0) continue;
    const expected = Buffer.from(hotp(key, step, o.digits, o.algorithm));
    if (expected.length === given.length && timingSafeEqual(expected, given) && found === null)
      found = step;
  }
  return found;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding, as otpauth:// URIs carry it. */
export function base32Encode(data: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of data) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** Case-insensitive; ignores spaces and padding (people copy secrets by hand). */
export function base32Decode(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s=]/g, '');
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error(`not a base32 character: ${char}`);
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** 160 bits, the HMAC-SHA-1 block-friendly size RFC 4226 recommends. */
export function generateTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

/** The URI an authenticator app reads from the QR code (Google's Key Uri Format). */
export function otpauthUri(input: { issuer: string; account: string; secret: string }): string {
  const label = `${encodeURIComponent(input.issuer)}:${encodeURIComponent(input.account)}`;
  const query = new URLSearchParams({
    secret: input.secret,
    issuer: input.issuer,
    algorithm: 'SHA1',
    digits: '6',
    period: '30',
  });
  // URLSearchParams writes spaces as "+", which some authenticator apps show literally.
  return `otpauth://totp/${label}?${query.toString().replace(/\+/g, '%20')}`;
}
