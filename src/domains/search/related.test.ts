import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, type DatabaseHandle } from '../../db/index.ts';
import { articleTerms } from '../../db/migrations/0017_article_terms.ts';
import { ManualClock } from '../../shared/clock.ts';
import { freshDatabase, testDialects } from '../../testing/databases.ts';
import { createWriter, type Writer } from '../content/index.ts';
import { analyzeField, relationTerms } from './analyzer.ts';
import { createSearch, type Search } from './index.ts';

const NOW = Date.UTC(2026, 11, 5, 3, 0);
const HOUR = 3_600_000;

describe('relationTerms', () => {
  it('keeps one spelling of each title word: the one without its particle', () => {
    const words = analyzeField('K-리그 제주유나이티드가 FC서울을 꺾었다').words;
    expect(relationTerms(words)).toEqual(['리그', '제주유나이티드', 'fc', '서울', '꺾었다']);
  });

  it('keeps a longer word that is not a particle away from a shorter one', () => {
    expect(relationTerms(analyzeField('제주 제주관광공사 발표').words)).toEqual([
      '제주',
      '제주관광공사',
      '발표',
    ]);
  });

  it('leaves out single letters, numbers and words too long to be one', () => {
    expect(relationTerms(`a 7 30 가 ${'가'.repeat(41)} 해녀`)).toEqual(['해녀']);
  });
});

describe.each(testDialects)('관련기사 on %s', (dialect) => {
  let handle: DatabaseHandle;
  let writer: Writer;
  let search: Search;
  const clock = new ManualClock(NOW);
  let society = 0;
  let hidden = 0;

  const add = (
    title: string,
    tags: string[],
    hoursAgo: number,
    extra: { status?: 'published' | 'draft'; sectionId?: number } = {},
  ) =>
    writer.createArticle({
      sectionId: extra.sectionId ?? society,
      title,
      tags,
      status: extra.status ?? 'published',
      publishedAt: NOW - hoursAgo * HOUR,
    });

  beforeAll(async () => {
    handle = await freshDatabase(dialect);
    await migrateToLatest(handle);
    writer = createWriter({ db: handle.db, clock });
    search = createSearch({ db: handle.db, dialect, clock });
    society = await writer.createSection({ slug: 'society', name: '사회' });
    hidden = await writer.createSection({ slug: 'inbox', name: '보관', hidden: true });
  });

  afterAll(async () => {
    await handle.close();
  });

  it('finds an archive story its own time under a common tag, not only the newest', async () => {
    const series: number[] = [];
    for (let i = 0; i < 60; i++) series.push(await add(`태풍 소식 ${i}`, ['태풍특보'], 600 - i));
    const middle = series[20]!;
    const related = await search.related(middle);
    expect(related).toHaveLength(5);
    // Shared tag and title word alike: the newest of its neighbours, within the window.
    for (const id of related) expect(Math.abs(id - middle)).toBeLessThanOrEqual(10);
    expect(related).not.toContain(series[59]);
    expect(related).toEqual([...related].sort((a, b) => b - a));
    // The newest story relates to the ones just before it.
    expect(await search.related(series[59]!)).toEqual(series.slice(54, 59).reverse());
  });

  it('ranks shared tags and more shared words first, and needs more than one word', async () => {
    const own = await add('감귤 가격 폭락에 농가 시름', ['감귤'], 10);
    const twoWords = await add('감귤 가격 회복 기대', [], 20);
    const tagged = await add('겨울 수확 한창', ['감귤'], 30);
    const tagAndWord = await add('감귤 선과장 점검', ['감귤'], 40);
    const oneWord = await add('농가 일손 돕기', [], 5);
    const related = await search.related(own);
    expect(related).toEqual([tagAndWord, twoWords, tagged]);
    expect(related).not.toContain(oneWord);
  });

  it('never offers drafts, hidden sections or unpublished stories, however many', async () => {
    const own = await add('해녀 문화 축제', ['해녀축제'], 100);
    const published = await add('해녀 축제 개막', ['해녀축제'], 300);
    for (let i = 0; i < 20; i++) {
      await add(`해녀 축제 초안 ${i}`, ['해녀축제'], 150 + i, { status: 'draft' });
      await add(`해녀 축제 보관 ${i}`, ['해녀축제'], 200 + i, { sectionId: hidden });
    }
    expect(await search.related(own)).toEqual([published]);
    await writer.setStatus(published, 'unpublished');
    expect(await search.related(own)).toEqual([]);
    await writer.setStatus(published, 'published');
    expect(await search.related(own)).toEqual([published]);
  });

  it('relates an article with hundreds of tags by its first ones', async () => {
    const many = Array.from({ length: 300 }, (_, i) => `꼬리표${i}`);
    const own = await add('꼬리표 잔뜩 붙은 원고', many, 50);
    const first = await add('수산물 축제 안내', ['꼬리표0'], 60);
    const late = await add('도서관 개관 소식', ['꼬리표299'], 70);
    expect(await search.related(own)).toEqual([first]);
    // From the other side, that tag is one of its first.
    expect(await search.related(late)).toEqual([own]);
  });

  it('migration 0017 fills the title words of the articles already published', async () => {
    const before = await handle.db
      .selectFrom('article_terms')
      .selectAll()
      .orderBy('article_id')
      .orderBy('term')
      .execute();
    expect(before.length).toBeGreaterThan(100);
    await handle.db.schema.dropTable('article_terms').execute();
    await articleTerms(dialect).up(handle.db);
    const after = await handle.db
      .selectFrom('article_terms')
      .selectAll()
      .orderBy('article_id')
      .orderBy('term')
      .execute();
    expect(after).toEqual(before);
  });
});
