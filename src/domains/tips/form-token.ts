import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';

export type TokenCheck = 'ok' | 'too-fast' | 'expired' | 'invalid';

/**
 * The key that signs the form's timestamp, made once and kept in the database so every
 * app server signs and checks with the same one. Two servers starting together both try
 * to insert; the first wins and both read its key.
 */
export function siteSecret(db: Kysely<Database>, name: string, now: () => number) {
  let key: Promise<Buffer> | null = null;
  async function load(): Promise<Buffer> {
    await db
      .insertInto('site_secrets')
      .values({ name, value: randomBytes(32).toString('base64url'), created_at: now() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await db
      .selectFrom('site_secrets')
      .select('value')
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    return Buffer.from(row.value, 'base64url');
  }
  return (): Promise<Buffer> => {
    key ??= load().catch((error: unknown) => {
      key = null;
      throw error;
    });
    return key;
  };
}

/**
 * The tip form's timestamp, signed: `<issued ms>.<hmac>`. A person needs a few seconds to
 * fill in the form; a script posting the moment it fetched it is turned away, and so is
 * a form older than a day (or a timestamp made up without the key).
 */
export function formTokens(key: () => Promise<Buffer>, rules: { minMs: number; maxMs: number }) {
  const sign = (k: Buffer, issuedAt: number) =>
    createHmac('sha256', k).update(`tip-form:${issuedAt}`).digest('base64url');
  return {
    async issue(now: number): Promise<string> {
      return `${now}.${sign(await key(), now)}`;
    },
    async check(token: string, now: number): Promise<TokenCheck> {
      const m = /^(\d{13})\.([\w-]{43})$/.exec(token);
      if (m === null) return 'invalid';
      const issuedAt = Number(m[1]);
      const given = Buffer.from(m[2] ?? '');
      const expected = Buffer.from(sign(await key(), issuedAt));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
      // A clock a little behind on another server must not make a fair form "from the future".
      if (issuedAt > now + 60_000) return 'invalid';
      if (now - issuedAt < rules.minMs) return 'too-fast';
      if (now - issuedAt > rules.maxMs) return 'expired';
      return 'ok';
    },
  };
}
