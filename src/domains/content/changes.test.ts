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

  it('dates a caption or byline edit on the published articles showing it, not on drafts', async () => {
    const { desk: d } = app.services;
    const updatedAt = async (id: number) =>
      Number(
        (
          await app.database.db
            .selectFrom('articles')
            .select('updated_at')
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        ).updated_at,
      );
    const draft = await d.create(desk, fields({ featuredPhotoId: fx.photoId }));
    const out = fx.published[2]!;
    const [draftAt, draftState] = [await updatedAt(draft), await state(draft)];
    app.clock.advance(60_000);
    await app.services.photos.updatePhotoText(fx.photoId, { credit: '사진=탐나일보 사진부' });
    expect(await updatedAt(out)).toBe(app.clock.now());
    expect(await updatedAt(draft)).toBe(draftAt);
    // The draft's revision grows (its text changed), but partners hear of nothing yet.
    expect(await state(draft)).toMatchObject({ revision: draftState.revision + 1, seq: 0 });

    app.clock.advance(60_000);
    const before = await state(out);
    await app.services.writer.updateAuthorProfile(fx.authorId, {
      beat: '',
      intro: '',
      identity: { name: '김탐나', title: '선임기자', email: 'kim@tamnailbo.example' },
    });
    expect(await updatedAt(out)).toBe(app.clock.now());
    expect(await state(out)).toMatchObject({ revision: before.revision + 1 });
    expect((await state(out)).seq).toBeGreaterThan(before.seq);
    expect(await updatedAt(draft)).toBe(draftAt);
  });

  it('renames a byline on hundreds of articles: one revision and one change number each', async () => {
    const { writer } = app.services;
    const author = await writer.createAuthor({ name: '오래된', email: 'old@tamnailbo.example' });
    const now = app.clock.now();
    const db = app.database.db;
    // More than one statement's slice (500), a scheduled piece and a draft among them.
    const ids = (
      await db
        .insertInto('articles')
        .values(
          Array.from({ length: 520 }, (_, i) => ({
            section_id: fx.sections.politics,
            title: `옛 기사 ${i}`,
            subtitle: '',
            body_html: '<p>본문</p>',
            summary: '본문',
            status: i === 1 ? ('draft' as const) : ('published' as const),
            is_breaking: 0,
            breaking_until: null,
            is_photo_story: 0,
            featured_photo_id: null,
            published_at: i === 0 ? now + HOUR : now - (i + 1) * HOUR,
            first_published_at: i === 0 ? now + HOUR : i === 1 ? null : now - (i + 1) * HOUR,
            updated_at: now - HOUR,
            created_at: now - HOUR,
            embargo_until: null,
            external_id: null,
            owner_id: null,
            trashed_from: null,
          })),
        )
        .returning('id')
        .execute()
    ).map((r) => Number(r.id));
    await db
      .insertInto('article_authors')
      .values(ids.map((id) => ({ article_id: id, author_id: author, position: 0 })))
      .execute();
    const head = Number(
      (await db.selectFrom('article_change_counter').select('value').executeTakeFirstOrThrow())
        .value,
    );
    app.clock.advance(60_000);
    await writer.updateAuthorProfile(author, {
      beat: '',
      intro: '',
      identity: { name: '새 이름', title: '', email: 'old@tamnailbo.example' },
    });
    const rows = await db
      .selectFrom('articles')
      .select(['id', 'revision', 'change_seq', 'change_due_at', 'updated_at', 'revised_at'])
      .where('id', 'in', ids)
      .orderBy('id')
      .execute();
    expect(rows.every((r) => Number(r.revision) === 2)).toBe(true);
    expect(rows.every((r) => Number(r.revised_at) === app.clock.now())).toBe(true);
    const [scheduled, draft, ...out] = rows;
    // Partners hear of every piece out or scheduled, each under a number of its own.
    const seqs = [scheduled, ...out].map((r) => Number(r?.change_seq));
    expect(new Set(seqs).size).toBe(519);
    expect(Math.min(...seqs)).toBe(head + 1);
    expect(Math.max(...seqs)).toBe(head + 519);
    expect(Number(draft?.change_seq)).toBe(0);
    expect(Number(scheduled?.change_due_at)).toBe(now + HOUR);
    expect(out.every((r) => r.change_due_at === null)).toBe(true);
    // Dated now where readers see it; a draft keeps its own date.
    expect(out.every((r) => Number(r.updated_at) === app.clock.now())).toBe(true);
    expect(Number(draft?.updated_at)).toBe(now - HOUR);
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
