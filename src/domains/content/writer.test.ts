import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type DatabaseHandle } from '../../db/index.ts';
import { articleChangeTags, tag } from '../../shared/cache-tags.ts';
import { ManualClock } from '../../shared/clock.ts';
import { freshDatabase, testDialects } from '../../testing/databases.ts';
import { createWriter } from './index.ts';

const NOW = Date.UTC(2025, 11, 9, 5, 0);

describe.each(testDialects)('writer announcements on %s', (dialect) => {
  let handle: DatabaseHandle;
  let heard: (readonly string[])[];
  let writer: ReturnType<typeof createWriter>;

  beforeEach(async () => {
    handle = await freshDatabase(dialect);
    await migrateToLatest(handle);
    heard = [];
    writer = createWriter({
      db: handle.db,
      clock: new ManualClock(NOW),
      onChange: (tags) => void heard.push(tags),
    });
  });
  afterEach(async () => {
    await handle.close();
  });

  it('announces a section change as tag.sections, never *', async () => {
    const id = await writer.createSection({ slug: 'society', name: '사회' });
    await writer.updateSection(id, { name: '사회·복지', position: 2, hidden: false });
    expect(heard).toEqual([[tag.sections], [tag.sections]]);
  });

  it('announces an article with its page, section, the front and the photo-story boxes', async () => {
    const sectionId = await writer.createSection({ slug: 'photo', name: '포토' });
    heard = [];
    const id = await writer.createArticle({
      sectionId,
      title: '와이드포토',
      status: 'published',
      isPhotoStory: true,
    });
    expect(heard).toEqual([articleChangeTags(id, sectionId, true)]);
    expect(heard[0]).toEqual([
      tag.article(id),
      tag.section(sectionId),
      tag.front,
      tag.photoStories,
    ]);
  });
});
