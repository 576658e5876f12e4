import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchArticle } from '../content/index.ts';
import type { Actor } from '../newsroom/index.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { testDialects } from '../../testing/databases.ts';
import { seedFixture, type Fixture } from '../../testing/fixtures.ts';
import { decodeCursor, encodeCursor, type PartnerFeedPage } from './feed.ts';
import type { PartnerRecord } from './record.ts';
import { toKstIso } from '../../shared/kst.ts';

const HOUR = 60 * 60 * 1000;

type Item = PartnerFeedPage['items'][number];
const isRecord = (item: Item): item is PartnerRecord => !('deleted' in item);

describe('feed cursors', () => {
  it('are opaque, canonical and refuse anything else', () => {
    expect(decodeCursor(encodeCursor(0))).toBe(0);
    expect(decodeCursor(encodeCursor(123_456_789))).toBe(123_456_789);
    expect(encodeCursor(42)).not.toContain('42');
    for (const bad of [
      '',
      '42',
      'now',
      'c1:42',
      Buffer.from('c1:-1').toString('base64url'),
      Buffer.from('c1:042').toString('base64url'),
      Buffer.from('c1:1e3').toString('base64url'),
      Buffer.from('c1:9999999999999999').toString('base64url'),
      `${encodeCursor(5)}=`,
      'A'.repeat(65),
      "' or 1=1 --",
      '%00',
    ])
      expect(decodeCursor(bad), bad).toBeNull();
  });
});

describe.each(testDialects)('the partners’ feed on %s', (dialect) => {
  let app: TestApp;
  let fx: Fixture;
  let desk: Actor;

  beforeAll(async () => {
    app = await createTestApp({ dialect });
    fx = await seedFixture(app, { articlesPerSection: 2 });
    const user = await app.services.accounts.createUser({
      email: 'desk@tamnailbo.example',
      name: '오데스크',
      role: 'desk',
      password: '제주바다-2025-desk!',
    });
    desk = { id: user.user.id, role: 'desk', name: '오데스크' };
  });
  afterAll(async () => {
    await app.close();
  });

  const feed = () => app.services.partnerFeed;

  /** Every page from `since` until the feed says there is no more. */
  async function readAll(since: string | undefined, limit: number) {
    const items: Item[] = [];
    let cursor = since;
    for (let pages = 0; pages < 1000; pages++) {
      const page = await feed().changes({ since: cursor, limit });
      items.push(...page.items);
      cursor = page.next;
      if (!page.more) return { items, next: cursor };
    }
    throw new Error('the feed never ended');
  }

  const draft = (title: string) =>
    app.services.desk.create(desk, {
      sectionId: fx.sections.society,
      title,
      bodyHtml: `<p>${title} 본문입니다.</p>`,
      authorIds: [fx.authorId],
    });

  it('lists every published article once from the beginning, in pages, with full records', async () => {
    const { items, next } = await readAll(undefined, 4);
    // The fixture's articles, with the one in a hidden section: its page is open to readers.
    const published = await app.database.db
      .selectFrom('articles')
      .select('id')
      .where('status', '=', 'published')
      .orderBy('id')
      .execute();
    expect(published.length).toBe(fx.published.length + 1);
    expect(items.map((i) => i.id).sort((a, b) => a - b)).toEqual(published.map((r) => r.id));
    const record = items.find((i) => i.id === fx.published[0]);
    expect(record).toMatchObject({
      url: `https://news.example.kr/news/${fx.published[0]}`,
      revision: 1,
      origin: 'own',
      originLabel: '자체기사',
      advertorial: false,
      section: { name: '정치', path: ['정치'], url: 'https://news.example.kr/section/politics' },
      reporters: [{ name: '김탐나', email: 'kim@tamnailbo.example', title: '기자' }],
      images: [
        {
          url: 'https://news.example.kr/media/fixture/photo.jpg',
          caption: '제주항 전경',
          credit: '사진=탐나일보',
          featured: true,
        },
      ],
      corrections: [],
      firstPublishedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/),
      modifiedAt: expect.stringMatching(/\+09:00$/),
    });
    // Never edited since it went out: last modified when it was first published.
    expect((record as PartnerRecord).modifiedAt).toBe((record as PartnerRecord).firstPublishedAt);
    // Nothing new: an empty page that hands the same position back.
    const again = await feed().changes({ since: next });
    expect(again).toEqual({ items: [], next, more: false });
  });

  it('sends changes, takedowns and a schedule when it comes out, never drafts', async () => {
    const start = (await feed().changes({ since: 'now' })).next;
    const [edited, takenDown] = fx.published;
    const saved = await app.services.desk.get(desk, edited!);
    await app.services.desk.save(desk, edited!, {
      sectionId: saved.sectionId,
      title: `${saved.title} (고침)`,
      subtitle: saved.subtitle,
      bodyHtml: saved.bodyHtml,
      authorIds: saved.authorIds,
      tags: saved.tags,
      origin: 'advertorial',
    });
    await app.services.desk.addNotice(desk, edited!, 'reply', '당사자의 반론을 싣습니다.');
    await app.services.desk.unpublish(desk, takenDown!);
    await draft('아직 쓰는 중인 기사');
    const scheduled = await draft('내일 아침 나갈 기사');
    await app.services.desk.publish(desk, scheduled, app.clock.now() + HOUR);

    const first = await readAll(start, 100);
    expect(first.items).toEqual([
      expect.objectContaining({
        id: edited,
        revision: 3,
        modifiedAt: toKstIso(app.clock.now()),
        title: `${saved.title} (고침)`,
        origin: 'advertorial',
        advertorial: true,
        originLabel: '광고성 기사',
        corrections: [
          expect.objectContaining({
            kind: 'reply',
            label: '반론보도',
            text: '당사자의 반론을 싣습니다.',
          }),
        ],
      }),
      { id: takenDown, deleted: true },
    ]);

    app.clock.advance(HOUR);
    const second = await readAll(first.next, 100);
    expect(second.items).toEqual([
      expect.objectContaining({ id: scheduled, title: '내일 아침 나갈 기사', revision: 1 }),
    ]);
    expect((await readAll(second.next, 100)).items).toEqual([]);
  });

  it('loses nothing and repeats nothing while articles are published concurrently', async () => {
    const start = (await feed().changes({ since: 'now' })).next;
    const drafts: number[] = [];
    for (let i = 0; i < 24; i++) drafts.push(await draft(`동시 출고 ${i + 1}`));
    const seen: Item[] = [];
    let cursor = start;
    let publishing = true;
    const reader = (async () => {
      while (publishing) {
        const page = await feed().changes({ since: cursor, limit: 5 });
        seen.push(...page.items);
        cursor = page.next;
      }
    })();
    await Promise.all(drafts.map((id) => app.services.desk.publish(desk, id)));
    publishing = false;
    await reader;
    seen.push(...(await readAll(cursor, 5)).items);
    const ids = seen.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => a - b)).toEqual(drafts);
    expect(seen.every(isRecord)).toBe(true);
  });

  it('answers a cursor it did not hand out with a message, never a page', async () => {
    const head = decodeCursor((await feed().changes({ since: 'now' })).next)!;
    await expect(feed().changes({ since: 'garbage' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('next 값을 그대로'),
    });
    await expect(feed().changes({ since: encodeCursor(head + 1) })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('since=now'),
    });
  });

  it.runIf(dialect === 'postgres')(
    'does not pass a change that took its number first but commits last',
    async () => {
      const start = (await feed().changes({ since: 'now' })).next;
      const slow = fx.published[2]!;
      const quick = await draft('뒤늦게 커밋되는 기사 다음');
      let taken!: () => void;
      const numbered = new Promise<void>((resolve) => (taken = resolve));
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const slowSave = app.database.db.transaction().execute(async (trx) => {
        const change = await watchArticle(trx, slow);
        await trx
          .updateTable('articles')
          .set({ title: '오래 걸리는 수정' })
          .where('id', '=', slow)
          .execute();
        await change.record(app.clock.now());
        taken();
        await gate;
      });
      await numbered;
      const quickPublish = app.services.desk.publish(desk, quick);
      await new Promise((resolve) => setTimeout(resolve, 150));
      // The slow change holds number n, the quick one waits for n + 1: neither is listed,
      // and the cursor does not move past either.
      const during = await feed().changes({ since: start });
      expect(during.items).toEqual([]);
      expect(during.next).toBe(start);
      release();
      await Promise.all([slowSave, quickPublish]);
      const after = await readAll(during.next, 100);
      expect(after.items.map((i) => i.id)).toEqual([slow, quick]);
    },
  );
});
