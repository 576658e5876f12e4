import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { freshDatabase, testDialects } from '../../testing/databases.ts';
import type { Database } from '../schema.ts';
import { initial } from './0001_initial.ts';
import { newsroom } from './0002_newsroom.ts';
import { weather } from './0003_weather.ts';
import { adsAndReaders } from './0004_ads_and_readers.ts';
import { authorsAndSections } from './0007_authors_and_sections.ts';

describe.each(testDialects)('migration 0007 on %s', (dialect) => {
  // SQLite rebuilds the authors table; dropping the old one must not cut users.author_id
  // (ON DELETE SET NULL) or the bylines pointing at it, nor reuse a deleted author's id.
  it('makes emails optional and keeps every link to existing authors', async () => {
    const handle = await freshDatabase(dialect);
    try {
      const raw = handle.db as unknown as Kysely<unknown>;
      for (const m of [initial, newsroom, weather, adsAndReaders]) await m(dialect).up(raw);
      const db = handle.db as unknown as Kysely<Database>;
      const now = 1_700_000_000_000;
      await db
        .insertInto('authors')
        .values([
          { name: '고한결', email: 'ko@tamna.kr', created_at: now },
          { name: '지운 필자', email: 'gone@tamna.kr', created_at: now },
        ] as never)
        .execute();
      await db.deleteFrom('authors').where('email', '=', 'gone@tamna.kr').execute();
      await db
        .insertInto('users')
        .values({
          email: 'ko@tamna.kr',
          name: '고한결',
          role: 'reporter',
          password_hash: 'x',
          author_id: 1,
          created_at: now,
          updated_at: now,
        } as never)
        .execute();

      await authorsAndSections(dialect).up(raw);

      const user = await db.selectFrom('users').select('author_id').executeTakeFirstOrThrow();
      expect(user.author_id).toBe(1);
      const added = await db
        .insertInto('authors')
        .values({ name: '외부 필자', email: null, title: '객원 기자', created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      expect(added.id).toBe(3);
      await db
        .insertInto('authors')
        .values({ name: '또 다른 필자', email: null, created_at: now })
        .execute();
      await expect(
        db
          .insertInto('authors')
          .values({ name: '같은 주소', email: 'ko@tamna.kr', created_at: now })
          .execute(),
      ).rejects.toThrow();
      const rows = await db.selectFrom('authors').select(['name', 'title']).orderBy('id').execute();
      expect(rows).toEqual([
        { name: '고한결', title: '' },
        { name: '외부 필자', title: '객원 기자' },
        { name: '또 다른 필자', title: '' },
      ]);
    } finally {
      await handle.close();
    }
  });
});
