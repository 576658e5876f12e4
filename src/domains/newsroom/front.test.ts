import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { testDialects } from '../../testing/databases.ts';
import { seedFixture, type Fixture } from '../../testing/fixtures.ts';
import type { Actor } from './desk.ts';

const HOUR = 60 * 60 * 1000;

describe.each(testDialects)('front desk on %s', (dialect) => {
  let app: TestApp;
  let fx: Fixture;
  let editor: Actor;
  let reporter: Actor;

  beforeEach(async () => {
    app = await createTestApp({ dialect });
    fx = await seedFixture(app, { articlesPerSection: 2 });
    const add = async (role: 'desk' | 'reporter', name: string): Promise<Actor> => {
      const { user } = await app.services.accounts.createUser({
        email: `${role}@tamnailbo.example`,
        name,
        role,
        password: '제주바다-2025-desk!',
      });
      return { id: user.id, role, name };
    };
    editor = await add('desk', '한데스크');
    reporter = await add('reporter', '이기자');
  });
  afterEach(async () => {
    await app.close();
  });

  const article = (title: string, extra: Record<string, unknown> = {}) =>
    app.services.writer.createArticle({
      sectionId: fx.sections.politics,
      title,
      status: 'published',
      publishedAt: app.clock.now() - 60_000,
      authorIds: [fx.authorId],
      ...extra,
    });

  it('keeps pinned places where the desk put them and fills the others by the rule', async () => {
    const { front, content } = app.services;
    const [a, b] = fx.published as [number, number];
    await front.arrange(editor, { headline: [a], top: [null, null, b] });
    const page = await content.frontPage();
    expect(page.headline?.id).toBe(a);
    expect(page.topStories[2]?.id).toBe(b);
    // The other places hold the newest pieces, none of them shown twice.
    const ids = [page.headline?.id, ...page.topStories.map((t) => t.id)];
    expect(new Set(ids).size).toBe(ids.length);
    const newest = (await content.latestPublished(20)).find(
      (t) => !t.isPhotoStory && t.id !== a && t.id !== b,
    );
    expect(page.topStories[0]?.id).toBe(newest?.id);
    expect(await front.arrangement()).toEqual({ headline: [a], top: [null, null, b] });
  });

  it('refuses an article in two places, too many places and unpublished pieces', async () => {
    const { front, desk } = app.services;
    const [a] = fx.published as [number];
    await expect(front.arrange(editor, { headline: [a], top: [a] })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: `같은 기사(${a}번)를 두 자리에 놓을 수 없습니다.`,
    });
    await expect(front.arrange(editor, { headline: [a, null] })).resolves.toBeTypeOf('number');
    await expect(front.arrange(editor, { headline: [null, a] })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(front.arrange(editor, { 'section:999999': [a] })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    const draft = await desk.create(reporter, { sectionId: fx.sections.politics, title: '초고' });
    await expect(front.arrange(editor, { top: [draft] })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(front.arrange(reporter, { top: [a] })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('keeps every arrangement with who and when, and brings an earlier one back', async () => {
    const { front, desk } = app.services;
    const [a, b, c] = fx.published as [number, number, number];
    const first = await front.arrange(editor, { headline: [a], top: [b] });
    app.clock.advance(HOUR);
    await front.arrange(editor, { headline: [c] });
    // b left the paper since the first version: its place goes back to the rule.
    await desk.unpublish(editor, b);
    const restored = await front.restore(editor, first);
    expect(restored.dropped).toEqual([b]);
    expect(await front.arrangement()).toEqual({ headline: [a] });
    const history = await front.history();
    expect(history.map((v) => v.restoredFrom)).toEqual([first, null, null]);
    expect(history[0]).toMatchObject({ userName: '한데스크', at: app.clock.now() });
    expect(history[1]?.arrangement).toEqual({ headline: [c] });
    expect(history[2]).toMatchObject({ at: app.clock.now() - HOUR });
    await expect(front.restore(editor, 987654)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(front.restore(reporter, first)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('leads with running 속보 over a newer piece with a photo, until the 속보 ends', async () => {
    const { content } = app.services;
    const lead = await article('도심 화재, 주민 대피', {
      isBreaking: true,
      breakingUntil: app.clock.now() + 2 * HOUR,
      photoIds: [fx.photoId],
    });
    app.clock.advance(10 * 60_000);
    // The scheduled economy piece with a flat photo that knocked the lead off before.
    const economy = await article('지역 소비 지표 소폭 상승', { photoIds: [fx.photoId] });
    let page = await content.frontPage();
    expect(page.headline?.id).toBe(lead);
    expect(page.breaking.map((b) => b.id)).toEqual([lead]);
    expect(page.headline?.isBreaking).toBe(true);
    app.clock.advance(2 * HOUR);
    page = await content.frontPage();
    expect(page.breaking).toEqual([]);
    expect(page.headline?.id).toBe(economy);
    expect(page.topStories.find((t) => t.id === lead)?.isBreaking).toBe(false);
  });

  it('ends 속보 with one call and tells the caches which pages changed', async () => {
    const { front, content } = app.services;
    const lead = await article('항공기 결항 속출', {
      isBreaking: true,
      breakingUntil: app.clock.now() + HOUR,
    });
    expect((await front.breakingNow()).map((b) => b.id)).toEqual([lead]);
    const heard: string[] = [];
    app.bus.subscribe((tags) => {
      heard.push(...tags);
    });
    await front.endBreaking(editor, lead);
    expect(heard).toEqual(expect.arrayContaining([`article:${lead}`, 'front']));
    expect(await front.breakingNow()).toEqual([]);
    expect((await content.frontPage()).breaking).toEqual([]);
    await expect(front.endBreaking(reporter, lead)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('finds published articles by title or number for the desk', async () => {
    const { front } = app.services;
    const id = await article('한라산 첫눈 소식');
    const byTitle = await front.search('첫눈');
    expect(byTitle.map((r) => r.id)).toEqual([id]);
    expect((await front.search(`${id}번`)).map((r) => r.id)).toContain(id);
    expect(await front.search('100%_없는')).toEqual([]);
    expect(await front.search('숨긴 섹션')).toEqual([]);
    expect((await front.search('')).length).toBeGreaterThan(3);
  });
});
