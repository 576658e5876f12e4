import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureHeader, verifySignature } from './signature.ts';

describe('webhook signatures', () => {
  const body = '{"id":"evt_1","type":"article.published"}';
  const t = 1_765_256_400;

  it('is HMAC-SHA256 of "<t>.<body>" in hex, as the README tells receivers', () => {
    const expected = createHmac('sha256', 'whsec_test').update(`${t}.${body}`).digest('hex');
    expect(signatureHeader(['whsec_test'], t, body)).toBe(`t=${t},v1=${expected}`);
  });

  it('verifies within five minutes and refuses replays, other bodies and other secrets', () => {
    const header = signatureHeader(['whsec_test'], t, body);
    expect(verifySignature(header, body, 'whsec_test', t + 299)).toBe(true);
    expect(verifySignature(header, body, 'whsec_test', t - 299)).toBe(true);
    expect(verifySignature(header, body, 'whsec_test', t + 301)).toBe(false);
    expect(verifySignature(header, `${body} `, 'whsec_test', t)).toBe(false);
    expect(verifySignature(header, body, 'whsec_other', t)).toBe(false);
    expect(verifySignature(header.replace(`t=${t}`, `t=${t + 1}`), body, 'whsec_test', t)).toBe(
      false,
    );
    for (const broken of ['', 'v1=abc', `t=${t}`, `t=x,v1=${'0'.repeat(64)}`, 't=1,v1=zz'])
      expect(verifySignature(broken, body, 'whsec_test', t)).toBe(false);
  });

  it('signs with the old secret too while a rotation settles', () => {
    const header = signatureHeader(['whsec_new', 'whsec_old'], t, body);
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect(verifySignature(header, body, 'whsec_new', t)).toBe(true);
    expect(verifySignature(header, body, 'whsec_old', t)).toBe(true);
  });
});
