import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../newsroom/index.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { testDialects } from '../../testing/databases.ts';
import { seedFixture, type Fixture } from '../../testing/fixtures.ts';

const HOUR = 60 * 60 * 1000;

async function deskEditor(app: TestApp): Promise<Actor> {
  const user = await app.services.accounts.createUser({
    email: 'desk@tamnailbo.example',
    name: '오데스크',
    role: 'desk',
    password: '제주바다-2025-desk!',
  });
  return { id: user.user.id, role: 'desk', name: '오데스크' };
}

describe.each(testDialects)('revision counter and change sequence on %s', (dialect) => {
  let app: TestApp;
  let fx: Fixture;
  let desk: Actor;

  beforeAll(async () => {
    app = await createTestApp({ dialect });
    fx = await seedFixture(app, { articlesPerSection: 1 });
    desk = await deskEditor(app);
  });
  afterAll(async () => {
    await app.close();
  });

  const state = async (id: number) => {
    const row = await app.database.db
      .selectFrom('articles')
      .select(['revision', 'change_seq', 'first_published_at', 'change_due_at', 'origin'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return {
      revision: Number(row.revision),
      seq: Number(row.change_seq),
      first: row.first_published_at === null ? null : Number(row.first_published_at),
      due: row.change_due_at === null ? null : Number(row.change_due_at),
      origin: row.origin,
    };
  };

  const fields = (overrides: Record<string, unknown> = {}) => ({
    sectionId: fx.sections.society,
    title: '한라산 탐방로 일부 통제',
    subtitle: '눈길 안전 점검',
    bodyHtml: '<p>한라산국립공원은 9일 탐방로 일부를 통제한다고 밝혔다.</p>',
    tags: ['한라산'],
    authorIds: [fx.authorId],
    ...overrides,
  });

  it('grows the revision only with changes readers see, and tells partners only of pieces out', async () => {
    const { desk: d } = app.services;
    const id = await d.create(desk, fields());
    expect(await state(id)).toMatchObject({ revision: 1, seq: 0, first: null, origin: 'own' });

    // An autosave of the same text, then a real edit of a draft: a revision, no news yet.
    await d.save(desk, id, fields(), { autosave: true });
    expect((await state(id)).revision).toBe(1);
    await d.save(desk, id, fields({ bodyHtml: '<p>고친 첫 문단.</p>' }), { autosave: true });
    expect(await state(id)).toMatchObject({ revision: 2, seq: 0 });

    const publishedAt = app.clock.now();
    await d.publish(desk, id);
    const out = await state(id);
    expect(out).toMatchObject({ revision: 2, first: publishedAt, due: null });
    expect(out.seq).toBeGreaterThan(0);

    // Saved again unchanged, or with only what readers do not see: nothing for partners.
    app.clock.advance(60_000);
    const same = fields({ bodyHtml: '<p>고친 첫 문단.</p>' });
    await d.save(desk, id, same);
    await d.save(desk, id, { ...same, seoDescription: '검색엔진용 설명' });
    expect(await state(id)).toEqual(out);

    const steps: [string, () => Promise<unknown>][] = [
      ['title', () => d.save(desk, id, { ...same, title: '한라산 탐방로 전면 통제' })],
      [
        'origin',
        () =>
          d.save(desk, id, { ...same, title: '한라산 탐방로 전면 통제', origin: 'press_release' }),
      ],
      [
        'tags',
        () =>
          d.save(desk, id, {
            ...same,
            title: '한라산 탐방로 전면 통제',
            origin: 'press_release',
            tags: ['한라산', '탐방로'],
          }),
      ],
      ['notice', () => d.addNotice(desk, id, 'correction', '통제 구간을 바로잡습니다.')],
    ];
    let last = out;
    for (const [what, step] of steps) {
      await step();
      const now = await state(id);
      expect(now.revision, what).toBe(last.revision + 1);
      expect(now.seq, what).toBeGreaterThan(last.seq);
      last = now;
    }
    expect(last.origin).toBe('press_release');

    const [notice] = await d.notices(id);
    await d.editNotice(desk, id, notice!.id, '통제 구간을 바로잡습니다.');
    expect((await state(id)).revision).toBe(last.revision);
    await d.editNotice(desk, id, notice!.id, '통제 구간과 시간을 바로잡습니다.');
    await d.withdrawNotice(desk, id, notice!.id, '잘못 붙임');
    expect((await state(id)).revision).toBe(last.revision + 2);

    // Taken down and put out again later: partners hear both times, the first time stays.
    const before = await state(id);
    await d.unpublish(desk, id);
    const down = await state(id);
    expect(down).toMatchObject({ revision: before.revision, first: publishedAt });
    expect(down.seq).toBeGreaterThan(before.seq);
    app.clock.advance(HOUR);
    await d.publish(desk, id);
    const again = await state(id);
    expect(again).toMatchObject({ revision: before.revision, first: publishedAt });
    expect(again.seq).toBeGreaterThan(down.seq);
  });

  it('counts a caption changed in the photo library as a revision of every article showing it', async () => {
    const id = fx.published[0]!;
    const other = fx.published[1]!;
    const [a, b] = [await state(id), await state(other)];
    await app.services.photos.updatePhotoText(fx.photoId, { caption: '제주항 전경, 9일 오전' });
    expect(await state(id)).toMatchObject({ revision: a.revision + 1 });
    expect((await state(id)).seq).toBeGreaterThan(a.seq);
    expect(await state(other)).toMatchObject({ revision: b.revision + 1 });
    // The same words again change nothing.
    const after = await state(id);
    await app.services.photos.updatePhotoText(fx.photoId, { caption: '제주항 전경, 9일 오전' });
    expect(await state(id)).toEqual(after);
  });

  it('keeps a schedule out of partners’ sight until its time, and forgets a cancelled one', async () => {
    const { desk: d } = app.services;
    const id = await d.create(desk, fields());
    const at = app.clock.now() + 2 * HOUR;
    await d.publish(desk, id, at);
    expect(await state(id)).toMatchObject({ first: at, due: at });
    await d.unpublish(desk, id);
    expect(await state(id)).toMatchObject({ first: null, due: null });
  });

  it('re-imports the same record without a new revision, and a changed one with one', async () => {
    const line = (title: string) =>
      JSON.stringify({
        externalId: 'old-1',
        section: '사회',
        title,
        bodyHtml: '<p>본문</p>',
        publishedAt: '2025-12-01T09:00:00+09:00',
      });
    await app.importer.importNdjson(line('옛 기사'));
    const row = await app.database.db
      .selectFrom('articles')
      .select('id')
      .where('external_id', '=', 'old-1')
      .executeTakeFirstOrThrow();
    const first = await state(row.id);
    expect(first).toMatchObject({
      revision: 1,
      first: Date.parse('2025-12-01T09:00:00+09:00'),
      origin: 'own',
    });
    expect(first.seq).toBeGreaterThan(0);
    await app.importer.importNdjson(line('옛 기사'));
    expect(await state(row.id)).toEqual(first);
    await app.importer.importNdjson(line('옛 기사 (고침)'));
    expect(await state(row.id)).toMatchObject({ revision: 2 });
  });
});
