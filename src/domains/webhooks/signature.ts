import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How a receiver knows a webhook came from this paper and was not replayed, the way
 * Stripe signs its events: the header
 *
 *   X-Tamna-Signature: t=1765256400,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd
 *
 * carries the Unix time of the attempt and the hex HMAC-SHA256, keyed with the endpoint's
 * secret, of `<t>.<raw body>`. The receiver recomputes it over the bytes it received,
 * compares in constant time, and refuses a `t` more than five minutes away from its own
 * clock. For a day after the secret is rotated, a second `v1=` signs with the old secret.
 */
export const SIGNATURE_HEADER = 'x-tamna-signature';
/** How far the signed time may be from the receiver's clock. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function signPayload(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The header value for `body` signed at `timestamp` (seconds) with each secret. */
export function signatureHeader(
  secrets: readonly string[],
  timestamp: number,
  body: string,
): string {
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${signPayload(s, timestamp, body)}`)].join(
    ',',
  );
}

/**
 * The receiver's check: true when `header` holds a v1 signature of `body` by `secret`
 * made within `toleranceSeconds` of `nowSeconds`.
 */
export function verifySignature(
  header: string,
  body: string,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value !== undefined && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (key === 'v1' && value !== undefined && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === null || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signPayload(secret, timestamp, body), 'hex');
  return signatures.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected));
}
