import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { freshDatabase, testDialects } from '../../testing/databases.ts';
import type { Database } from '../schema.ts';
import { initial } from './0001_initial.ts';
import { newsroom } from './0002_newsroom.ts';
import { weather } from './0003_weather.ts';
import { adsAndReaders } from './0004_ads_and_readers.ts';
import { frontDesk } from './0005_front_desk.ts';
import { photoFocus } from './0006_photo_focus.ts';
import { authorsAndSections } from './0007_authors_and_sections.ts';
import { deskWorkflow } from './0008_desk_workflow.ts';
import { search } from './0009_search.ts';
import { articleOrigin } from './0012_article_origin.ts';

describe.each(testDialects)('migration 0012 on %s', (dialect) => {
  it('makes existing articles 자체기사 and numbers them for partners in id order', async () => {
    const handle = await freshDatabase(dialect);
    try {
      const raw = handle.db as unknown as Kysely<unknown>;
      for (const m of [initial, newsroom, weather, adsAndReaders, frontDesk])
        await m(dialect).up(raw);
      await photoFocus.up(raw);
      for (const m of [authorsAndSections, deskWorkflow, search]) await m(dialect).up(raw);
      const db = handle.db as unknown as Kysely<Database>;
      const past = Date.now() - 86_400_000;
      const future = Date.now() + 86_400_000;
      await db
        .insertInto('sections')
        .values({
          slug: 's',
          name: '사회',
          parent_id: null,
          position: 0,
          hidden: 0,
          layout: 'list',
          created_at: past,
        })
        .execute();
      const article = (status: string, publishedAt: number | null) =>
        ({
          section_id: 1,
          title: status,
          status,
          is_breaking: 0,
          is_photo_story: 0,
          published_at: publishedAt,
          updated_at: past + 1000,
          created_at: past,
        }) as never;
      await db
        .insertInto('articles')
        .values([article('published', past), article('draft', null), article('published', future)])
        .execute();

      await articleOrigin(dialect).up(raw);

      const rows = await db
        .selectFrom('articles')
        .select([
          'origin',
          'revision',
          'revised_at',
          'first_published_at',
          'change_seq',
          'change_due_at',
        ])
        .orderBy('id')
        .execute();
      expect(rows.map((r) => ({ ...r }))).toEqual([
        {
          origin: 'own',
          revision: 1,
          revised_at: past + 1000,
          first_published_at: past,
          change_seq: 1,
          change_due_at: null,
        },
        {
          origin: 'own',
          revision: 1,
          revised_at: past + 1000,
          first_published_at: null,
          change_seq: 2,
          change_due_at: null,
        },
        {
          origin: 'own',
          revision: 1,
          revised_at: past + 1000,
          first_published_at: future,
          change_seq: 3,
          change_due_at: future,
        },
      ]);
      const counter = await db.selectFrom('article_change_counter').selectAll().execute();
      expect(counter).toEqual([{ id: 1, value: 3 }]);
    } finally {
      await handle.close();
    }
  });
});
