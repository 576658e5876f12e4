import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { seedFixture, type Fixture } from '../../testing/fixtures.ts';

interface Prepared {
  sqlite: SqliteDatabase.Database;
  sql: string;
}

/**
 * Teasers asked for by id (관련기사, 많이 본 뉴스, search hits) are found by primary key on
 * SQLite. With the readers' rule in the SQL, SQLite chose articles_published_idx and walked
 * every published article for five ids: 3 ms an article page at 20,000 articles, growing
 * with the archive (`npm run bench`).
 */
describe('teasers by id on sqlite', () => {
  let app: TestApp;
  let fx: Fixture;
  const prepared: Prepared[] = [];
  const original = SqliteDatabase.prototype.prepare;

  beforeAll(async () => {
    // Every statement the app prepares, with its connection, to ask SQLite for its plan.
    SqliteDatabase.prototype.prepare = function (this: SqliteDatabase.Database, source: string) {
      prepared.push({ sqlite: this, sql: source });
      return original.call(this, source);
    } as typeof original;
    app = await createTestApp({ dialect: 'sqlite' });
    fx = await seedFixture(app);
  });

  afterAll(async () => {
    SqliteDatabase.prototype.prepare = original;
    await app.close();
  });

  it('looks the articles up by primary key and still applies the readers’ rule', async () => {
    const { writer, content } = app.services;
    const draft = await writer.createArticle({ sectionId: fx.sections.politics, title: '초안' });
    const ids = [...fx.published.slice(0, 3), draft];
    prepared.length = 0;
    const teasers = await content.readableTeasers(ids);
    expect(teasers.map((t) => t.id).sort()).toEqual(fx.published.slice(0, 3).sort());

    const byId = prepared.filter((p) => /"a"\."id" in \(/.test(p.sql));
    expect(byId).toHaveLength(1);
    const { sqlite, sql } = byId[0]!;
    const params = Array.from(sql.matchAll(/\?/g), () => null);
    const plan = (
      original.call(sqlite, `explain query plan ${sql}`).all(params) as { detail: string }[]
    ).map((row) => row.detail);
    expect(plan).toContain('SEARCH a USING INTEGER PRIMARY KEY (rowid=?)');
    expect(plan.join('\n')).not.toMatch(/articles_published_idx|SCAN a\b/);
  });
});
