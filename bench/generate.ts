/**
 * Builds the benchmark database: a regional paper with 20,000 published articles over the
 * last two years. Sections, authors, sample weather and banners go through the real
 * services; articles are inserted in batches with Kysely, storing exactly what
 * writer.createArticle would (cleaned body, derived summary), and their photos, bylines
 * and tags in batches through the photo library and content's relations.
 *
 * The file is cached under bench/out/ keyed by a version string plus a hash of this file
 * and of the migrations, written to a temporary name and renamed only when complete, and
 * checked on reuse, so a stale or half-written database is never measured.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Insertable } from 'kysely';
import pino from 'pino';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config/index.ts';
import type { Database } from '../src/db/index.ts';
import {
  addRelationsOfNewArticles,
  cleanBodyHtml,
  type ArticleRelations,
} from '../src/domains/content/index.ts';
import type { StoredRenditions } from '../src/domains/media/index.ts';
import { writeSearchDocuments } from '../src/domains/search/index.ts';
import { cutText, htmlToText } from '../src/shared/text.ts';
import { seededRandom } from '../src/shared/weighted.ts';

/** Bump when the generated content changes in a way the source hash would not show. */
const GENERATOR_VERSION = 'bench-db-v1';
const SEED = 20_260_105;
const SUMMARY_LENGTH = 160;
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const BATCH = 500;

export interface BenchDatabase {
  file: string;
  articles: number;
  /** Article ids (1..articles), oldest first. */
  firstArticleId: number;
  lastArticleId: number;
  reused: boolean;
  seconds: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');
export const outDir = path.join(here, 'out');

// ---------------------------------------------------------------------------------------
// Deterministic randomness and Korean text from word lists

class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = seededRandom(seed);
  }
  float(): number {
    return this.next();
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** True when the last Hangul syllable has a final consonant (받침). */
function hasBatchim(word: string): boolean {
  const code = word.charCodeAt(word.length - 1);
  if (code < 0xac00 || code > 0xd7a3) return false;
  return (code - 0xac00) % 28 !== 0;
}
const obj = (w: string) => w + (hasBatchim(w) ? '을' : '를');
const subj = (w: string) => w + (hasBatchim(w) ? '이' : '가');
const topic = (w: string) => w + (hasBatchim(w) ? '은' : '는');
const and = (w: string) => w + (hasBatchim(w) ? '과' : '와');

const places = [
  '제주시',
  '서귀포시',
  '애월읍',
  '한림읍',
  '조천읍',
  '구좌읍',
  '성산읍',
  '표선면',
  '남원읍',
  '대정읍',
  '안덕면',
  '한경면',
  '우도면',
  '추자면',
  '연동',
  '노형동',
  '이도동',
  '아라동',
  '용담동',
  '삼도동',
  '건입동',
  '화북동',
  '외도동',
  '중문동',
  '대륜동',
  '천지동',
  '동홍동',
  '효돈동',
  '예래동',
  '영천동',
];
const institutions = [
  '제주도',
  '제주도의회',
  '제주시청',
  '서귀포시청',
  '제주도교육청',
  '제주지방법원',
  '제주지방검찰청',
  '제주경찰청',
  '제주소방안전본부',
  '제주관광공사',
  '제주상공회의소',
  '제주대학교',
  '제주개발공사',
  '제주항공청',
  '제주지방해양수산청',
  '제주도농업기술원',
  '제주문화예술재단',
  '제주체육회',
];
const topics = [
  '관광객 유치',
  '지하수 보전',
  '해안 쓰레기',
  '감귤 가격',
  '버스 준공영제',
  '공항 확충',
  '주차난',
  '교통 체증',
  '청년 일자리',
  '원도심 재생',
  '농지 전용',
  '하수처리장 증설',
  '해녀 문화',
  '돌담 보전',
  '오름 훼손',
  '곶자왈 보호',
  '신재생 에너지',
  '풍력 발전',
  '전기차 충전소',
  '학교 통폐합',
  '돌봄 교실',
  '의료 인력',
  '응급 의료',
  '노인 일자리',
  '귀농 지원',
  '어선 안전',
  '태풍 피해',
  '폭설 대비',
  '월동채소 수급',
  '말 산업',
  '들불축제',
  '유채꽃 축제',
  '올레길 정비',
  '숙박업 규제',
  '렌터카 총량제',
  '해상풍력',
  '물가 상승',
  '전세 사기',
  '부동산 경기',
  '인구 감소',
];
const nouns = [
  '예산',
  '조례안',
  '계획',
  '대책',
  '방안',
  '사업',
  '정책',
  '협약',
  '조사',
  '점검',
  '공청회',
  '설명회',
  '개정안',
  '보고서',
  '용역',
  '시범 운영',
  '실태 조사',
  '간담회',
  '토론회',
  '특별 점검',
];
const people = [
  '도지사',
  '도의원',
  '시장',
  '교육감',
  '주민자치위원장',
  '이장',
  '상인회장',
  '농협 조합장',
  '어촌계장',
  '환경단체 관계자',
  '관광업계 관계자',
  '시민단체 대표',
  '담당 공무원',
  '연구원',
  '교수',
  '학부모',
];
const predicates = [
  '본격적으로 추진된다',
  '첫발을 뗐다',
  '난항을 겪고 있다',
  '속도를 내고 있다',
  '논란이 일고 있다',
  '주목받고 있다',
  '재검토에 들어갔다',
  '마무리 단계에 접어들었다',
  '다시 도마 위에 올랐다',
  '새 국면을 맞았다',
  '성과를 내고 있다',
  '제자리걸음을 하고 있다',
  '확대될 전망이다',
  '내년부터 시행된다',
  '주민 반발에 부딪혔다',
  '의회 문턱을 넘었다',
];
const endings = [
  '밝혔다',
  '설명했다',
  '강조했다',
  '덧붙였다',
  '지적했다',
  '말했다',
  '전했다',
  '내다봤다',
  '우려했다',
];
const quotes = [
  '현장의 목소리를 충분히 듣고 보완하겠다',
  '주민들이 체감할 수 있는 변화를 만들겠다',
  '당장 대책이 없으면 피해가 더 커질 수밖에 없다',
  '예산이 제때 집행될 수 있도록 챙기겠다',
  '장기적인 관점에서 접근해야 할 문제다',
  '관계 기관과 협의해 해법을 찾겠다',
  '올해 안에 구체적인 결과를 내놓겠다',
  '지역 경제에 미치는 영향을 면밀히 살피겠다',
];
const figures = ['12', '27', '35', '48', '150', '230', '1200', '3400', '15', '8', '64', '90'];
const units = ['억 원', '건', '명', '곳', '%', '개소', '㏊', '가구'];
const tagWords = [
  '제주',
  '서귀포',
  '관광',
  '환경',
  '교육',
  '농업',
  '감귤',
  '해녀',
  '오름',
  '곶자왈',
  '교통',
  '주거',
  '복지',
  '의료',
  '안전',
  '태풍',
  '축제',
  '문화',
  '체육',
  '청년',
  '노인',
  '일자리',
  '예산',
  '의회',
  '선거',
  '경제',
  '물가',
  '부동산',
  '항공',
  '해운',
  '수산',
  '에너지',
  '풍력',
  '지하수',
  '쓰레기',
  '재생',
  '올레길',
  '한라산',
];
const captions = [
  '전경',
  '현장 모습',
  '관계자들',
  '주민들',
  '행사 장면',
  '일대 풍경',
  '공사 현장',
  '회의 모습',
];

function sentence(r: Random, place: string, subject: string): string {
  switch (r.int(0, 5)) {
    case 0:
      return `${place} 일대의 ${obj(subject)} 둘러싼 ${subj(r.pick(nouns))} ${r.pick(predicates)}.`;
    case 1:
      return `${topic(r.pick(institutions))} ${subject} 관련 ${obj(r.pick(nouns))} 마련해 ${r.pick(places)}부터 적용할 계획이라고 ${r.pick(endings)}.`;
    case 2:
      return `한 ${topic(r.pick(people))} "${r.pick(quotes)}"고 ${r.pick(endings)}.`;
    case 3:
      return `지난해 ${place}에서만 관련 사례가 ${r.pick(figures)}${r.pick(units)}에 이르는 것으로 집계됐다.`;
    case 4:
      return `${and(subject)} 맞물려 ${r.pick(topics)} 문제도 함께 논의해야 한다는 목소리가 나온다.`;
    default:
      return `${r.pick(institutions)} 관계자는 "${r.pick(quotes)}"며 ${obj(r.pick(nouns))} 서두르겠다고 ${r.pick(endings)}.`;
  }
}

interface GeneratedArticle {
  title: string;
  subtitle: string;
  bodyHtml: string;
  tags: string[];
  caption: string;
  alt: string;
}

function article(r: Random, sectionName: string, photoKey: string): GeneratedArticle {
  const place = r.pick(places);
  const subject = r.pick(topics);
  const title = r.pick([
    `${place} ${subject} ${r.pick(nouns)} ${r.pick(predicates)}`,
    `"${r.pick(quotes)}"… ${r.pick(people)}, ${subject} 언급`,
    `${r.pick(institutions)}, ${subject} ${r.pick(nouns)} 발표`,
    `${subject} ${r.pick(figures)}${r.pick(units)} 넘어… ${place} ${r.pick(['비상', '기대', '우려', '긴장'])}`,
  ]);
  const subtitle = [
    `${r.pick(institutions)}, ${subject} ${r.pick(nouns)} 검토`,
    `${place} 주민 의견 수렴 뒤 확정`,
  ]
    .slice(0, r.int(1, 2))
    .join('\n');
  const paragraphs: string[] = [];
  const count = r.int(5, 7);
  for (let p = 0; p < count; p++) {
    const sentences: string[] = [];
    for (let s = r.int(3, 5); s > 0; s--) sentences.push(sentence(r, place, subject));
    paragraphs.push(`<p>${sentences.join(' ')}</p>`);
    if (p === 2 && r.chance(0.3)) paragraphs.push(`<h3>${subject}, 남은 과제는</h3>`);
  }
  if (r.chance(0.15)) {
    const figure = `<figure class="photo"><img src="/media/${photoKey.replace('.jpg', '-b.jpg')}" width="1200" height="675" alt="${place} ${r.pick(captions)}" loading="lazy"><figcaption>${place} ${r.pick(captions)} <span class="credit">사진=탐나일보</span></figcaption></figure>`;
    paragraphs.splice(2, 0, figure);
  }
  const tags = new Set<string>([sectionName]);
  for (let t = r.int(1, 3); t > 0; t--) tags.add(r.pick(tagWords));
  const caption = `${place} ${subject} ${r.pick(captions)}`;
  return {
    title,
    subtitle,
    bodyHtml: paragraphs.join('\n'),
    tags: [...tags],
    caption,
    alt: caption,
  };
}

// ---------------------------------------------------------------------------------------
// Sections and authors

const sections = [
  { slug: 'politics', name: '정치', layout: 'list' as const, weight: 14 },
  { slug: 'economy', name: '경제', layout: 'list' as const, weight: 14 },
  { slug: 'society', name: '사회', layout: 'list' as const, weight: 12 },
  { slug: 'incidents', name: '사건/사고/판결', layout: 'list' as const, weight: 12 },
  { slug: 'education', name: '교육', layout: 'list' as const, weight: 8 },
  { slug: 'culture', name: '문화', layout: 'list' as const, weight: 9 },
  { slug: 'sports', name: '스포츠', layout: 'list' as const, weight: 7 },
  { slug: 'opinion', name: '오피니언', layout: 'list' as const, weight: 5 },
  { slug: 'photo', name: '와이드포토', layout: 'photo' as const, weight: 5 },
  { slug: 'jeju-city', name: '제주시', layout: 'list' as const, weight: 8, parent: 'society' },
  { slug: 'seogwipo', name: '서귀포시', layout: 'list' as const, weight: 6, parent: 'society' },
];

const familyNames = [
  '김',
  '이',
  '박',
  '고',
  '강',
  '문',
  '양',
  '부',
  '오',
  '현',
  '홍',
  '송',
  '좌',
  '한',
  '허',
];
const givenNames = [
  '한결',
  '서윤',
  '다온',
  '민준',
  '지우',
  '하람',
  '도윤',
  '수아',
  '태희',
  '예린',
  '시우',
  '나래',
];

// ---------------------------------------------------------------------------------------

function sourceKey(articles: number): string {
  const hash = createHash('sha256');
  hash.update(`${GENERATOR_VERSION}|${SEED}|${articles}|`);
  hash.update(fs.readFileSync(fileURLToPath(import.meta.url)));
  const migrations = path.join(repoRoot, 'src', 'db', 'migrations');
  for (const name of fs.readdirSync(migrations).sort()) {
    hash.update(name);
    hash.update(fs.readFileSync(path.join(migrations, name)));
  }
  return hash.digest('hex').slice(0, 16);
}

async function countPublished(file: string): Promise<number> {
  const { default: SqliteDatabase } = await import('better-sqlite3');
  const sqlite = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  try {
    const row = sqlite
      .prepare("select count(*) as n from articles where status = 'published'")
      .get() as { n: number };
    return row.n;
  } finally {
    sqlite.close();
  }
}

/** Returns the cached benchmark database, generating it when missing or out of date. */
export async function ensureBenchDatabase(
  options: { articles?: number; regenerate?: boolean; log?: (line: string) => void } = {},
): Promise<BenchDatabase> {
  const articles = options.articles ?? 20_000;
  const log = options.log ?? (() => {});
  const started = performance.now();
  fs.mkdirSync(outDir, { recursive: true });
  const key = sourceKey(articles);
  const file = path.join(outDir, `bench-${key}.sqlite`);

  if (!options.regenerate && fs.existsSync(file)) {
    try {
      if ((await countPublished(file)) === articles) {
        return {
          file,
          articles,
          firstArticleId: 1,
          lastArticleId: articles,
          reused: true,
          seconds: (performance.now() - started) / 1000,
        };
      }
    } catch {
      // Unreadable: regenerate below.
    }
    log(`cached database ${path.basename(file)} is incomplete; regenerating`);
  }

  // Older versions (and leftovers of interrupted runs) are dead weight.
  for (const name of fs.readdirSync(outDir)) {
    if (/^bench-.*\.sqlite(-wal|-shm|\.tmp-\d+.*)?$/.test(name))
      fs.rmSync(path.join(outDir, name), { force: true });
  }
  log(
    `generating ${articles.toLocaleString('en-US')} articles into ${path.relative(repoRoot, file)} (cached for later runs)...`,
  );
  const tmp = `${file}.tmp-${process.pid}`;
  const dataDir = fs.mkdtempSync(path.join(outDir, 'gen-data-'));
  fs.mkdirSync(path.join(dataDir, 'media'));
  try {
    await generate(tmp, dataDir, articles);
    // The app closed the database: SQLite checkpointed and removed the WAL, so the file
    // holds everything and can be renamed into place atomically.
    for (const suffix of ['-wal', '-shm']) {
      if (fs.existsSync(tmp + suffix)) throw new Error(`generation left ${tmp + suffix} behind`);
    }
    fs.renameSync(tmp, file);
  } finally {
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(tmp + suffix, { force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const seconds = (performance.now() - started) / 1000;
  log(`generated in ${seconds.toFixed(1)} s`);
  return { file, articles, firstArticleId: 1, lastArticleId: articles, reused: false, seconds };
}

async function generate(file: string, dataDir: string, total: number): Promise<void> {
  const config = loadConfig({
    DATABASE_URL: `sqlite:${file}`,
    TAMNA_DATA_DIR: dataDir,
    TAMNA_LOG_LEVEL: 'warn',
  });
  const app = await createApp(config, { logger: pino({ level: 'warn' }) });
  try {
    const { writer, weather, banners, photos } = app.services;
    const { db } = app.database;
    const now = app.clock.now();
    const r = new Random(SEED);

    const sectionIds = new Map<string, number>();
    for (const [position, s] of sections.entries()) {
      const parentId = s.parent === undefined ? null : (sectionIds.get(s.parent) ?? null);
      sectionIds.set(
        s.slug,
        await writer.createSection({
          slug: s.slug,
          name: s.name,
          layout: s.layout,
          parentId,
          position,
        }),
      );
    }
    const authorIds: number[] = [];
    for (let i = 0; i < 32; i++) {
      const name = familyNames[i % familyNames.length]! + givenNames[(i * 7) % givenNames.length]!;
      authorIds.push(
        await writer.createAuthor({
          name,
          email: `reporter${String(i + 1).padStart(2, '0')}@tamnailbo.example`,
        }),
      );
    }

    const existing = await db.selectFrom('articles').select('id').limit(1).executeTakeFirst();
    if (existing !== undefined) throw new Error('the benchmark database must start empty');

    const weighted = sections.flatMap((s) => Array.from({ length: s.weight }, () => s));
    // Publish times over the last two years, oldest first, so article numbers rise with
    // time as on a real site; the newest is a few minutes old.
    const span = 730 * DAY;
    const times = Array.from(
      { length: total },
      () => now - 5 * 60 * 1000 - Math.floor(r.float() * span),
    ).sort((a, b) => a - b);

    for (let start = 0; start < total; start += BATCH) {
      const photoRows: StoredRenditions[] = [];
      const articleRows: Array<Insertable<Database['articles']>> = [];
      const relations: Array<ArticleRelations & { articleId: number }> = [];
      for (let i = start; i < Math.min(total, start + BATCH); i++) {
        const id = i + 1;
        const section = r.pick(weighted);
        const sectionId = sectionIds.get(section.slug)!;
        const storageKey = `bench/${String(id).padStart(6, '0')}.jpg`;
        const a = article(r, section.name, storageKey);
        const publishedAt = times[i]!;
        const body = cleanBodyHtml(a.bodyHtml);
        const isPhotoStory = section.layout === 'photo';
        photoRows.push({
          storageKey,
          width: 1200,
          height: 675,
          mime: 'image/jpeg',
          caption: a.caption,
          credit: '사진=탐나일보',
          alt: a.alt,
          variants: [480, 960],
          createdAt: publishedAt,
        });
        articleRows.push({
          id,
          section_id: sectionId,
          title: a.title,
          subtitle: a.subtitle.replace(/\r\n?/g, '\n').trim(),
          body_html: body,
          summary: cutText(htmlToText(body), SUMMARY_LENGTH),
          status: 'published',
          // The desk flags a handful of the newest stories as breaking.
          is_breaking: i >= total - 40 && r.chance(0.05) ? 1 : 0,
          is_photo_story: isPhotoStory ? 1 : 0,
          // Set below, once the photo library has given the photo its id.
          featured_photo_id: null,
          published_at: publishedAt,
          updated_at: r.chance(0.2) ? publishedAt + r.int(1, 48) * HOUR : publishedAt,
          created_at: publishedAt,
        });
        const byline = [r.pick(authorIds)];
        if (r.chance(0.2)) byline.push(r.pick(authorIds));
        relations.push({ articleId: id, authorIds: byline, tags: a.tags, featuredPhotoId: null });
      }
      const photoIds = await photos.registerPhotos(photoRows);
      articleRows.forEach((row, j) => (row.featured_photo_id = photoIds[j]!));
      relations.forEach((rel, j) => (rel.featuredPhotoId = photoIds[j]!));
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('articles').values(articleRows).execute();
        await addRelationsOfNewArticles(trx, relations);
        await writeSearchDocuments(
          trx,
          relations.map((r) => r.articleId),
        );
      });
    }

    await weather.storeSample();
    const house = [
      {
        slot: 'header-top',
        title: '탐나일보 디지털 구독',
        w: 970,
        h: 90,
        href: '/section/society',
      },
      {
        slot: 'rail-1',
        title: '제주의 사계절 — 와이드포토',
        w: 300,
        h: 250,
        href: '/section/photo',
      },
      {
        slot: 'article-inline',
        title: '지역 교육 소식 한눈에',
        w: 728,
        h: 90,
        href: '/section/education',
      },
    ] as const;
    for (const ad of house) {
      await banners.create({
        slot: ad.slot,
        title: ad.title,
        imageKey: `bench/banner-${ad.slot}.svg`,
        width: ad.w,
        height: ad.h,
        linkUrl: ad.href,
        startsAt: now - DAY,
        // Far enough ahead that a cached database never outlives its campaigns.
        endsAt: now + 10 * 365 * DAY,
        isSample: true,
      });
    }
  } finally {
    await app.close();
  }
}
