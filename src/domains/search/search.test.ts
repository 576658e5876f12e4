import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, type DatabaseHandle, type DialectName } from '../../db/index.ts';
import { ManualClock } from '../../shared/clock.ts';
import { freshDatabase, postgresUrl, testDialects } from '../../testing/databases.ts';
import { statementsSent } from '../../testing/pg-plans.ts';
import { createWriter, type Writer } from '../content/index.ts';
import { analyzeQuery } from './analyzer.ts';
import { BUCKET_IDS, createBackend, joinedAddsNothing, nextReach } from './backends.ts';
import { createSearch, type Search } from './index.ts';

const NOW = Date.UTC(2026, 11, 5, 3, 0);
const DAY = 86_400_000;

const p = (...paragraphs: string[]) => paragraphs.map((t) => `<p>${t}</p>`).join('');

/** Every dialect gets the same articles and must give the same hits. */
describe.each(testDialects)('Korean search on %s', (dialect) => {
  let handle: DatabaseHandle;
  let writer: Writer;
  let search: Search;
  const clock = new ManualClock(NOW);
  const ids: Record<string, number> = {};
  let society = 0;

  const hits = async (q: string) => (await search.rank(q)).map((h) => h.id);
  const keysOf = (found: number[]) =>
    found.map((id) => Object.keys(ids).find((k) => ids[k] === id) ?? `#${id}`);

  beforeAll(async () => {
    handle = await freshDatabase(dialect);
    await migrateToLatest(handle);
    writer = createWriter({ db: handle.db, clock });
    search = createSearch({ db: handle.db, dialect, clock, recencyWeight: 0.3 });
    society = await writer.createSection({ slug: 'society', name: '사회' });
    const hidden = await writer.createSection({ slug: 'inbox', name: '보관', hidden: true });
    const add = async (
      key: string,
      fields: { title: string; body?: string; subtitle?: string; tags?: string[] },
      extra: { status?: 'published' | 'draft'; publishedAt?: number; sectionId?: number } = {},
    ) => {
      ids[key] = await writer.createArticle({
        sectionId: extra.sectionId ?? society,
        title: fields.title,
        subtitle: fields.subtitle ?? '',
        bodyHtml: fields.body ?? '',
        tags: fields.tags ?? [],
        status: extra.status ?? 'published',
        publishedAt: extra.publishedAt ?? NOW - 10 * DAY,
      });
    };
    await add('haenyeo', {
      title: '구좌읍 해녀들이 전한 바다 이야기',
      body: p('제주도는 올해 해녀 문화 축제를 구좌읍에서 연다.', '해녀들은 물질을 보여 준다.'),
      tags: ['해녀'],
    });
    await add('trail-joined', {
      title: '한라산탐방로 일부 통제',
      body: p('폭설로 한라산탐방로 두 곳이 통제됐다.'),
    });
    await add('trail-split', {
      title: '한라산 탐방로 정비 마무리',
      body: p('도는 한라산 탐방로 정비를 마쳤다고 밝혔다.'),
    });
    await add('economy', {
      title: '경제주체 심리 위축',
      body: p('가계와 기업 등 경제주체의 심리가 얼어붙었다.'),
    });
    await add('jeju', {
      title: '제주 관광객 1천만 명 돌파',
      body: p('제주를 찾은 관광객이 2026년 처음으로 1천만 명을 넘었다.'),
    });
    await add('tangerine', {
      title: '감귤 가격 폭락했다',
      body: p('노지 감귤 가격이 지난해보다 30% 떨어졌다. 귤 농가는 시름이 깊다.'),
      tags: ['감귤'],
    });
    await add('kleague', {
      title: '제주유나이티드, K리그1 잔류 확정',
      body: p('제주유나이티드가 K리그1 최종전에서 비겼다.'),
    });
    await add('april3', {
      title: '제78주년 4·3 추념식 엄수',
      body: p('4·3 희생자 추념식이 4월 3일 평화공원에서 열렸다.'),
    });
    await add('draft', { title: '해녀 초고 기사' }, { status: 'draft' });
    await add('scheduled', { title: '해녀 예약 기사' }, { publishedAt: NOW + DAY });
    await add('hidden', { title: '해녀 보관 기사' }, { sectionId: hidden });
    await add('old-haenyeo', { title: '해녀 학교 졸업식' }, { publishedAt: NOW - 900 * DAY });
  });
  afterAll(async () => {
    await handle.close();
  });

  it('finds a word with its particles, and words typed with particles', async () => {
    expect(keysOf(await hits('해녀들이'))).toContain('haenyeo');
    expect(keysOf(await hits('제주도는'))).toContain('haenyeo');
    expect(keysOf(await hits('감귤을'))).toEqual(['tangerine']);
  });

  it('finds two-syllable words, the newer of equal hits first', async () => {
    const found = keysOf(await hits('해녀'));
    expect(found).toEqual(['haenyeo', 'old-haenyeo']);
  });

  it('matches compounds written joined or split, both ways', async () => {
    expect(keysOf(await hits('한라산 탐방로')).sort()).toEqual(['trail-joined', 'trail-split']);
    expect(keysOf(await hits('한라산탐방로')).sort()).toEqual(['trail-joined', 'trail-split']);
  });

  it('ranks 제주 as a word above 제주 inside 경제주체', async () => {
    const found = keysOf(await hits('제주'));
    expect(found[0]).toBe('jeju');
    expect(found).toContain('economy');
    expect(found.indexOf('economy')).toBeGreaterThan(found.indexOf('jeju'));
  });

  it('finds Latin words, numbers and dotted numbers as whole tokens', async () => {
    expect(keysOf(await hits('K리그1'))).toEqual(['kleague']);
    expect(keysOf(await hits('4·3'))).toEqual(['april3']);
    expect(keysOf(await hits('2026년 관광객'))).toEqual(['jeju']);
  });

  it('finds endings and one-syllable words', async () => {
    expect(keysOf(await hits('폭락'))).toEqual(['tangerine']);
    expect(keysOf(await hits('귤'))).toContain('tangerine');
  });

  it('never returns drafts, scheduled, hidden-section or unpublished articles', async () => {
    const found = keysOf(await hits('해녀'));
    for (const key of ['draft', 'scheduled', 'hidden']) expect(found).not.toContain(key);
    await writer.setStatus(ids.jeju as number, 'unpublished');
    expect(keysOf(await hits('관광객'))).toEqual([]);
    const rows = await handle.db
      .selectFrom('article_search')
      .select('article_id')
      .where('article_id', '=', ids.jeju as number)
      .execute();
    expect(rows).toEqual([]);
    await writer.setStatus(ids.jeju as number, 'published');
    expect(keysOf(await hits('관광객'))).toEqual(['jeju']);
  });

  it('drops an article put under embargo or moved to a hidden section at once', async () => {
    // Straight to the table, as any statement might: the rule follows in the same one.
    const set = (values: { embargo_until?: number | null; section_id?: number }) =>
      handle.db
        .updateTable('articles')
        .set(values)
        .where('id', '=', ids.tangerine as number)
        .execute();
    const inbox = await handle.db
      .selectFrom('sections')
      .select('id')
      .where('slug', '=', 'inbox')
      .executeTakeFirstOrThrow();
    await set({ embargo_until: NOW + DAY });
    expect(keysOf(await hits('감귤'))).toEqual([]);
    await set({ embargo_until: null, section_id: Number(inbox.id) });
    expect(keysOf(await hits('감귤'))).toEqual([]);
    await set({ section_id: society });
    expect(keysOf(await hits('감귤'))).toEqual(['tangerine']);
  });

  it('shows a scheduled article from its time on, without a job running', async () => {
    clock.set(NOW + DAY + 1);
    try {
      expect(keysOf(await hits('예약'))).toEqual(['scheduled']);
    } finally {
      clock.set(NOW);
    }
  });

  it('reindexes an edited title in the same write', async () => {
    await writer.updateArticleText(ids.economy as number, { title: '소비 심리 위축' });
    expect(keysOf(await hits('소비'))).toEqual(['economy']);
    expect(keysOf(await hits('경제주체'))).toEqual(['economy']);
  });

  it('adds articles with some of the words after those with all of them', async () => {
    const page = await search.search({ q: '해녀 잠수함' });
    expect(page.partialFrom).toBe(0);
    expect(page.hits.map((h) => h.id)).toContain(ids.haenyeo);
    // Hits with every word come first, then those with some of them.
    const mixed = await search.search({ q: '해녀 물질' });
    expect(mixed.hits[0]?.id).toBe(ids.haenyeo);
    expect(mixed.partialFrom).toBe(1);
  });

  it('gives results or an empty page for hostile input, never an error', async () => {
    const hostile = [
      '',
      ' ',
      '가',
      '"',
      '*',
      'NEAR',
      'AND',
      '^',
      ':',
      '(',
      ')',
      '"해녀" OR *',
      'title_words:해녀',
      "'; drop table articles; --",
      '\u0000해녀',
      '해녀\ud800',
      '\udc00',
      '🍊🍊',
      'a'.repeat(1000),
      '해녀 '.repeat(300),
      '{title_words}: 해녀',
      '해녀 -바다',
      'NOT 해녀',
      '%00',
      "'",
      "''",
      '\\',
      '!',
      '&',
      '|',
      '<->',
      ':*',
    ];
    for (const q of hostile) {
      const result = await search.search({ q });
      expect(Array.isArray(result.hits), q).toBe(true);
    }
    expect((await search.search({ q: '해녀 '.repeat(300) })).hits.length).toBeGreaterThan(0);
  });

  it('pages, filters by date and by section, and sorts by newest', async () => {
    const all = await search.search({ q: '해녀', perPage: 1 });
    expect(all.total).toBe(2);
    expect(all.pageCount).toBe(2);
    const second = await search.search({ q: '해녀', perPage: 1, page: 2 });
    expect(second.hits.map((h) => h.id)).toEqual([ids['old-haenyeo']]);
    const recent = await search.search({ q: '해녀', from: NOW - 100 * DAY });
    expect(recent.hits.map((h) => h.id)).toEqual([ids.haenyeo]);
    const none = await search.search({ q: '해녀', sectionIds: [] });
    expect(none.total).toBe(0);
    const newest = await search.search({ q: '해녀', sort: 'newest' });
    expect(newest.hits.map((h) => h.id)).toEqual([ids.haenyeo, ids['old-haenyeo']]);
  });

  it('gives a snippet around the matched words', async () => {
    const page = await search.search({ q: '물질' });
    expect(page.hits[0]?.snippet).toContain('물질');
    expect(page.highlights).toContain('물질');
  });

  it('relates articles by shared tags and title words', async () => {
    const other = await writer.createArticle({
      sectionId: society,
      title: '감귤 농가 지원 확대',
      tags: ['감귤'],
      status: 'published',
      publishedAt: NOW - DAY,
    });
    expect(await search.related(ids.tangerine as number)).toEqual([other]);
    expect(await search.related(ids.kleague as number)).toEqual([]);
  });

  it('rebuilds the index from the articles', async () => {
    await handle.db.deleteFrom('article_search').execute();
    expect(await search.missing()).toBeGreaterThan(0);
    const progress: number[] = [];
    await search.reindex((done) => progress.push(done));
    expect(progress.length).toBeGreaterThan(0);
    expect(await search.missing()).toBe(0);
    expect(keysOf(await hits('해녀'))).toEqual(['haenyeo', 'old-haenyeo']);
  });

  it('stops a search that runs past its time and says so', async () => {
    if (dialect === 'sqlite') {
      const slow = createSearch({ db: handle.db, dialect, clock, timeoutMs: -1 });
      expect((await slow.search({ q: '해녀' })).timedOut).toBe(true);
      return;
    }
    // Another session holds the index table locked: the search waits, then gives up.
    const url = new URL(postgresUrl);
    const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(handle.db))
      .rows[0]?.s;
    const locker = new pg.Client({ connectionString: url.toString() });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query(`lock table ${schema}.article_search in access exclusive mode`);
      const quick = createSearch({ db: handle.db, dialect, clock, timeoutMs: 200 });
      const started = Date.now();
      expect((await quick.search({ q: '해녀' })).timedOut).toBe(true);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
  });
});

describe.each(testDialects)('search index rebuild on %s', (dialect) => {
  it('lets other work run between batches, so the site answers while it rebuilds', async () => {
    const handle = await freshDatabase(dialect);
    try {
      await migrateToLatest(handle);
      const clock = new ManualClock(NOW);
      const section = await createWriter({ db: handle.db, clock }).createSection({
        slug: 'society',
        name: '사회',
      });
      const total = 1200;
      await handle.db
        .insertInto('articles')
        .values(
          Array.from({ length: total }, (_, i) => ({
            section_id: section,
            title: `서귀포 소식 ${i}`,
            subtitle: '',
            body_html: '<p>오늘의 서귀포 소식이다.</p>',
            summary: '오늘의 서귀포 소식이다.',
            status: 'published' as const,
            is_breaking: 0,
            is_photo_story: 0,
            featured_photo_id: null,
            published_at: NOW - DAY,
            updated_at: NOW - DAY,
            created_at: NOW - DAY,
          })),
        )
        .execute();
      // `tamna serve` rebuilds a missing index in the background: requests (timers, I/O)
      // must get their turn between batches, not only once all of them are done.
      let done = 0;
      let doneWhenOtherWorkRan: number | null = null;
      setImmediate(() => (doneWhenOtherWorkRan = done));
      await createSearch({ db: handle.db, dialect, clock }).reindex((n) => (done = n));
      expect(done).toBe(total);
      expect(doneWhenOtherWorkRan).not.toBeNull();
      expect(doneWhenOtherWorkRan).toBeLessThan(total);
    } finally {
      await handle.close();
    }
  });
});

describe('PostgreSQL matches, newest ids first', () => {
  const postgres = testDialects.includes('postgres');
  it.runIf(postgres)('finds readable matches behind newer ones readers cannot see', async () => {
    const handle = await freshDatabase('postgres');
    try {
      await migrateToLatest(handle);
      const clock = new ManualClock(NOW);
      const writer = createWriter({ db: handle.db, clock });
      const section = await writer.createSection({ slug: 'society', name: '사회' });
      const write = (title: string, daysAgo: number, status: 'published' | 'draft' = 'published') =>
        writer.createArticle({
          sectionId: section,
          title,
          bodyHtml: p(`${title} 본문입니다.`),
          status,
          publishedAt: NOW - daysAgo * DAY,
        });
      const oldest = await write('우도 땅콩 수확 시작', 90);
      const readable = [await write('서귀포 소식 가', 60), await write('서귀포 소식 나', 59)];
      // Scheduled for later: in the index, not yet for readers. 30 of them fill the first
      // fetch (2 × 1.25 + 10 ids), so the next, wider one must find the readable two.
      for (let i = 0; i < 30; i++)
        await writer.createArticle({
          sectionId: section,
          title: `서귀포 예고 ${i + 1}`,
          bodyHtml: p('서귀포 예고 기사'),
          status: 'published',
          publishedAt: NOW + (i + 1) * DAY,
        });
      const backend = createBackend(handle.db, 'postgres');
      const options = { now: NOW, filters: {}, timeoutMs: 5_000 };
      const rare = await backend.matches(analyzeQuery('땅콩'), { ...options, limit: 2 });
      expect(rare.map((c) => c.id)).toEqual([oldest]);
      const common = await backend.matches(analyzeQuery('서귀포'), { ...options, limit: 2 });
      expect(common.map((c) => c.id)).toEqual([...readable].reverse());
      // One word of a plan on its own (hits with some of the words).
      const some = await backend.matches(analyzeQuery('땅콩 서귀포'), {
        ...options,
        limit: 5,
        only: 0,
      });
      expect(some.map((c) => c.id)).toEqual([oldest]);
    } finally {
      await handle.close();
    }
  });

  it.runIf(postgres)('reaches back block by block to the oldest match', async () => {
    const handle = await freshDatabase('postgres');
    try {
      await migrateToLatest(handle);
      const clock = new ManualClock(NOW);
      const writer = createWriter({ db: handle.db, clock });
      const section = await writer.createSection({ slug: 'society', name: '사회' });
      // Ids far apart, so that each round of `windows` holds some: the newest blocks, the
      // older ones, and everything below them.
      const at = async (id: number, title: string) => {
        await sql`select setval(pg_get_serial_sequence('articles', 'id'), ${id - 1})`.execute(
          handle.db,
        );
        const made = await writer.createArticle({
          sectionId: section,
          title,
          bodyHtml: p(`${title} 소식입니다.`),
          status: 'published',
          publishedAt: NOW - DAY,
        });
        expect(made).toBe(id);
        return made;
      };
      const ids = [
        await at(5, '감귤 첫 수확'),
        await at(40_000, '감귤 가격 회복'),
        await at(290_000, '감귤 선과장 점검'),
        await at(299_000, '감귤 농가 지원'),
        await at(300_000, '한라봉 출하'),
      ];
      // Block 292 is the newest: the first round reads 289–292 (299,000); from one match
      // in four blocks the next reads 54 more (290,000 in 283), then all the rest.
      expect(Math.floor(300_000 / BUCKET_IDS)).toBe(292);
      expect(nextReach(4, 1, 9)).toBe(54);
      expect(nextReach(58, 2, 8)).toBeNull();
      const backend = createBackend(handle.db, 'postgres');
      const options = { now: NOW, filters: {}, timeoutMs: 5_000 };
      const found = await backend.matches(analyzeQuery('감귤'), { ...options, limit: 10 });
      expect(found.map((f) => f.id)).toEqual(ids.slice(0, 4).reverse());
      const newest = await backend.matches(analyzeQuery('감귤'), { ...options, limit: 2 });
      expect(newest.map((f) => f.id)).toEqual([299_000, 290_000]);
    } finally {
      await handle.close();
    }
  });
});

/**
 * A fresh database with a section 사회, a way to publish an article of yesterday in it, and
 * the backend's matches for a query, newest first, with no filters.
 */
async function matchFixture(dialect: DialectName) {
  const handle = await freshDatabase(dialect);
  try {
    await migrateToLatest(handle);
    const writer = createWriter({ db: handle.db, clock: new ManualClock(NOW) });
    const section = await writer.createSection({ slug: 'society', name: '사회' });
    const backend = createBackend(handle.db, dialect);
    return {
      write: (title: string, body: string, subtitle = '') =>
        writer.createArticle({
          sectionId: section,
          title,
          subtitle,
          bodyHtml: p(body),
          status: 'published',
          publishedAt: NOW - DAY,
        }),
      matches: (q: string) =>
        backend.matches(analyzeQuery(q), { now: NOW, filters: {}, limit: 20, timeoutMs: 5_000 }),
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

describe.each(testDialects)('phrases on %s', (dialect) => {
  it('matches a word by its bigrams only where they stand together', async () => {
    const { write, matches, close } = await matchFixture(dialect);
    try {
      const city = await write('시정 소식', '제주시청에서 회의가 열렸다.');
      const spaced = await write('시민 소식', '제주 시민들이 모였다.');
      // Inside a longer word: PostgreSQL cannot be sure of it from the index (a word that
      // begins with 제주시, like 제주시청 above, it can) and tests the vector.
      const inside = await write('시가지 소식', '신제주시 일대가 붐볐다.');
      // 제주 and 주시 both, apart: PostgreSQL's index cannot tell, the test must.
      for (let i = 0; i < 5; i++)
        await write(`학술 소식 ${i}`, '제주 바다에서 주시경 선생을 기렸다.');
      const found = await matches('제주시');
      expect(found.map((f) => f.id).sort()).toEqual([city, spaced, inside].sort());
    } finally {
      await close();
    }
  });

  it('matches a longer word only where all its syllables stand together in one field', async () => {
    const { write, matches, close } = await matchFixture(dialect);
    try {
      const word = await write('소방 소식', '서귀포시청에서 훈련이 열렸다.');
      const inside = await write('행정 소식', '신서귀포시 일대가 붐볐다.');
      const spaced = await write('시민 소식', '서귀 포시 구간이 막혔다.');
      // Every trigram of 서귀포시 (서귀포, 귀포시), but never the four together.
      await write('바다 소식', '서귀포 앞바다와 남귀포시 사이');
      // The title ends in 서귀, the subtitle begins with 포시: two fields, no word.
      await write('관광 서귀', '본문', '포시 나들이');
      // 제주시 (three syllables): 제주 and 주시 apart, in two fields, or in one.
      await write('제주 바다', '주시경 선생을 기렸다.');
      await write('학술 소식', '제주 바다에서 주시경 선생을 기렸다.');
      const city = await write('시정 소식', '제주시 조례가 바뀌었다.');
      const ids = async (q: string) => (await matches(q)).map((f) => f.id).sort();
      expect(await ids('서귀포시')).toEqual([word, inside, spaced].sort());
      expect(await ids('제주시')).toEqual([city]);
    } finally {
      await close();
    }
  });
});

describe.runIf(testDialects.includes('postgres'))('trigrams on postgres', () => {
  it('finds a three-syllable word by one lexeme, testing no article again', async () => {
    const { write, matches, close } = await matchFixture('postgres');
    try {
      // 제주 and 주시 in every one of them: the index alone could not tell these apart
      // before trigrams, and each was decompressed and tested.
      for (let i = 0; i < 8; i++) await write('소식', '제주 바다에서 주시경 선생을 기렸다.');
      const city = await write('소식', '신제주시 일대가 붐볐다.');
      const { result, statements } = await statementsSent(() => matches('제주시'));
      expect(result.map((f) => f.id)).toEqual([city]);
      expect(statements.filter((s) => s.text.includes('ts_match_vq'))).toEqual([]);
      // Four syllables: only the articles holding both trigrams are tested, here none.
      const longer = await statementsSent(() => matches('제주시청'));
      expect(longer.result).toEqual([]);
      expect(longer.statements.filter((s) => s.text.includes('ts_match_vq'))).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('nextReach', () => {
  it('sizes the next round from how densely the blocks read so far held matches', () => {
    // A word in nearly every article: four more blocks.
    expect(nextReach(4, 3_000, 2_000)).toBe(4);
    // One in twenty: 2,000 more need about 40 blocks, and half again.
    expect(nextReach(4, 200, 1_800)).toBe(54);
    // Nothing yet, or too rare for blocks to pay: all the rest at once.
    expect(nextReach(4, 0, 2_000)).toBeNull();
    expect(nextReach(32, 10, 1_990)).toBeNull();
    expect(nextReach(4, 5_000, 1)).toBe(1);
  });
});

describe('joinedAddsNothing', () => {
  it('leaves out the spaces-removed variant only when the words find all it finds', () => {
    expect(joinedAddsNothing(analyzeQuery('제주 관광'))).toBe(true);
    expect(joinedAddsNothing(analyzeQuery('관광객까지 남원읍을'))).toBe(true);
    // 제주해녀 (a word of the joined variant) holds no 해녀들: the joined variant adds it.
    expect(joinedAddsNothing(analyzeQuery('제주 해녀들이'))).toBe(false);
    // One syllable has no bigram phrase to stand for it.
    expect(joinedAddsNothing(analyzeQuery('섬 마을'))).toBe(false);
  });
});
