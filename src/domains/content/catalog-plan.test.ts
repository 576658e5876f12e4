import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestApp, REFERENCE_NOW } from '../../testing/app.ts';
import { testDialects } from '../../testing/databases.ts';
import { seedFixture } from '../../testing/fixtures.ts';
import { indexScans, statementsSent } from '../../testing/pg-plans.ts';

/**
 * The content API's next page starts its walk of (status, published_at, id) at the cursor.
 * Said as `published_at < x or (published_at = x and id < y)`, the cursor was only a
 * filter: PostgreSQL read every newer article first, 2.1 s for a page half-way down a
 * million articles, so a partner reading the whole catalogue read it quadratically.
 */
describe.runIf(testDialects.includes('postgres'))('the catalogue on postgres', () => {
  it('starts the next page at the cursor', async () => {
    const app = await createTestApp({ dialect: 'postgres' });
    try {
      const fx = await seedFixture(app, { articlesPerSection: 1 });
      const { db } = app.database;
      // An archive loaded by plain SQL, one article a minute, analyzed as autovacuum would.
      await sql`
        insert into articles (section_id, title, subtitle, body_html, summary, status,
          is_breaking, is_photo_story, published_at, updated_at, created_at)
        select ${fx.sections.society}, '기사 ' || g, '', '', '', 'published', 0, 0, t, t, t
        from generate_series(1, 5000) g,
          lateral (select ${REFERENCE_NOW}::bigint - 86400000 - g * 60000 as t) at`.execute(db);
      await sql`analyze articles`.execute(db);

      const after = { publishedAt: REFERENCE_NOW - 86_400_000 - 4000 * 60_000, id: 0 };
      const { result, statements } = await statementsSent(() =>
        app.services.content.catalogPage({}, { after: { ...after, id: 1e9 }, limit: 3 }),
      );
      expect(result.articles.map((a) => a.title)).toEqual(['기사 4000', '기사 4001', '기사 4002']);
      const pages = statements.filter((s) =>
        /order by "a"\."published_at" desc, "a"\."id" desc limit/.test(s.text),
      );
      expect(pages).toHaveLength(1);
      const scans = (await indexScans(db, pages[0]!)).filter((s) =>
        s.index.startsWith('articles_'),
      );
      expect(scans.length).toBeGreaterThan(0);
      for (const scan of scans)
        expect(scan.condition, scan.index).toMatch(
          new RegExp(`published_at <= '${after.publishedAt}'`),
        );
    } finally {
      await app.close();
    }
  });
});
