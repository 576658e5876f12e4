import { describe, expect, it } from 'vitest';
import { createSectionsAndReporters, insertArticles } from '../bench/generate.ts';
import { migrateToLatest } from '../src/db/index.ts';
import { createWriter } from '../src/domains/content/index.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { freshDatabase, testDialects } from '../src/testing/databases.ts';

const NOW = Date.parse('2026-12-01T09:00:00+09:00');

describe.each(testDialects)('the benchmark generator on %s', (dialect) => {
  it('leaves the next article number after the ones it wrote', async () => {
    const handle = await freshDatabase(dialect);
    try {
      await migrateToLatest(handle);
      const writer = createWriter({ db: handle.db, clock: new ManualClock(NOW) });
      const { sectionIds, authorIds } = await createSectionsAndReporters(writer);
      await insertArticles(handle.db, {
        total: 30,
        shape: 'page',
        now: NOW,
        sectionIds,
        authorIds,
        index: true,
      });
      // PostgreSQL's sequence stayed at 1 when the generator wrote ids itself: the desk's
      // first article collided with article 1.
      const next = await writer.createArticle({
        sectionId: [...sectionIds.values()][0]!,
        title: '벤치마크 뒤 첫 기사',
        bodyHtml: '<p>본문</p>',
      });
      expect(next).toBe(31);
    } finally {
      await handle.close();
    }
  });
});
