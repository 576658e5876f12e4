import { describe, expect, it } from 'vitest';
import {
  base32Decode,
  base32Encode,
  generateTotpSecret,
  hotp,
  matchTotpStep,
  otpauthUri,
  totp,
  type TotpAlgorithm,
} from './totp.ts';

describe('HOTP (RFC 4226 appendix D)', () => {
  const key = Buffer.from('12345678901234567890');
  const expected = [
    '755224',
    '287082',
    '359152',
    '969429',
    '338314',
    '254676',
    '287922',
    '162583',
    '399871',
    '520489',
  ];
  it.each(expected.map((code, counter) => [counter, code]))('counter %i → %s', (counter, code) => {
    expect(hotp(key, counter)).toBe(code);
  });
});

describe('TOTP (RFC 6238 appendix B)', () => {
  // The RFC's seeds: the ASCII digits repeated to the hash's natural key length.
  const keys: Record<TotpAlgorithm, Buffer> = {
    sha1: Buffer.from('12345678901234567890'),
    sha256: Buffer.from('12345678901234567890123456789012'),
    sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
  };
  const vectors: [number, string, TotpAlgorithm][] = [
    [59, '94287082', 'sha1'],
    [59, '46119246', 'sha256'],
    [59, '90693936', 'sha512'],
    [1111111109, '07081804', 'sha1'],
    [1111111109, '68084774', 'sha256'],
    [1111111109, '25091201', 'sha512'],
    [1111111111, '14050471', 'sha1'],
    [1111111111, '67062674', 'sha256'],
    [1111111111, '99943326', 'sha512'],
    [1234567890, '89005924', 'sha1'],
    [1234567890, '91819424', 'sha256'],
    [1234567890, '93441116', 'sha512'],
    [2000000000, '69279037', 'sha1'],
    [2000000000, '90698825', 'sha256'],
    [2000000000, '38618901', 'sha512'],
    [20000000000, '65353130', 'sha1'],
    [20000000000, '77737706', 'sha256'],
    [20000000000, '47863826', 'sha512'],
  ];
  it.each(vectors)('T=%i s → %s (%s)', (seconds, code, algorithm) => {
    expect(totp(keys[algorithm], seconds * 1000, { digits: 8, algorithm })).toBe(code);
  });

  it('gives 6-digit SHA-1 codes by default, the last six of the 8-digit ones', () => {
    expect(totp(keys.sha1, 59_000)).toBe('287082');
    expect(totp(keys.sha1, 1111111109_000)).toBe('081804');
  });
});

describe('TOTP window', () => {
  const key = Buffer.from('12345678901234567890');
  const now = 1111111111_000; // step 37037037, 1 s into it
  const codeAt = (offsetSteps: number) => totp(key, now + offsetSteps * 30_000);

  it('accepts the current code and one step either side, and says which step', () => {
    expect(matchTotpStep(key, codeAt(0), now)).toBe(37037037);
    expect(matchTotpStep(key, codeAt(-1), now)).toBe(37037036);
    expect(matchTotpStep(key, codeAt(1), now)).toBe(37037038);
  });

  it('refuses codes two steps away and malformed codes', () => {
    expect(matchTotpStep(key, codeAt(-2), now)).toBeNull();
    expect(matchTotpStep(key, codeAt(2), now)).toBeNull();
    expect(matchTotpStep(key, '', now)).toBeNull();
    expect(matchTotpStep(key, `${codeAt(0)}0`, now)).toBeNull();
  });
});

describe('base32 (RFC 4648 §10)', () => {
  it.each([
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ])('%j ↔ %s', (text, encoded) => {
    expect(base32Encode(Buffer.from(text))).toBe(encoded);
    expect(base32Decode(encoded).toString()).toBe(text);
  });

  it('decodes padded, lower-case, spaced input as people type it', () => {
    expect(base32Decode('mzxw 6ytb oi======').toString()).toBe('foobar');
    expect(() => base32Decode('MZXW1')).toThrow(/base32/);
  });

  it('makes 160-bit secrets', () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret).length).toBe(20);
  });
});

it('builds the otpauth URI authenticator apps read', () => {
  expect(
    otpauthUri({ issuer: '탐나 일보', account: 'kim@tamna.kr', secret: 'JBSWY3DPEHPK3PXP' }),
  ).toBe(
    'otpauth://totp/%ED%83%90%EB%82%98%20%EC%9D%BC%EB%B3%B4:kim%40tamna.kr' +
      '?secret=JBSWY3DPEHPK3PXP&issuer=%ED%83%90%EB%82%98%20%EC%9D%BC%EB%B3%B4' +
      '&algorithm=SHA1&digits=6&period=30',
  );
});
