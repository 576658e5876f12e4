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
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PostgresAdapter, sql, type Insertable, type Kysely } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config/index.ts';
import { connectDatabase, migrateToLatest, type Database } from '../src/db/index.ts';
import { countSectionWeeks } from '../src/db/migrations/0018_section_week_counts.ts';
import {
  addRelationsOfNewArticles,
  cleanBodyHtml,
  type ArticleRelations,
  type Writer,
} from '../src/domains/content/index.ts';
import type { StoredRenditions } from '../src/domains/media/index.ts';
import { writeSearchDocuments } from '../src/domains/search/index.ts';
import { cutText, htmlToText } from '../src/shared/text.ts';
import { postgresUrl } from '../src/testing/databases.ts';
import { seededRandom } from '../src/shared/weighted.ts';
import { processAlive } from './support.ts';

/** Bump when the generated content changes in a way the source hash would not show. */
const GENERATOR_VERSION = 'bench-db-v1';
const SEED = 20_260_105;
const SUMMARY_LENGTH = 160;
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const BATCH = 500;

export interface BenchDatabase {
  dialect: BenchDialect;
  /** DATABASE_URL of the database. */
  url: string;
  /** The SQLite file, or the PostgreSQL database's name. */
  where: string;
  /** Where it is, for the report. */
  label: string;
  /** The SQLite file; null on PostgreSQL. */
  file: string | null;
  articles: number;
  /** Article ids (1..articles), oldest first. */
  firstArticleId: number;
  lastArticleId: number;
  reused: boolean;
  seconds: number;
  /** How the articles went in (when this run or the one that cached it generated them). */
  generation: GenerationStats | null;
  /** Migrations this run ran on the cached database, and how long they took. */
  migrated: { names: string[]; seconds: number } | null;
}

export interface GenerationStats {
  /** When it ran (ISO 8601). */
  at: string;
  /** The one-minute load average at the start and at the end: the machine may be shared. */
  load: [number, number];
  /** Wall-clock seconds of the article load (articles, photos, relations, search documents). */
  seconds: number;
  /** CPU seconds this process spent on it (the database server's own time not included). */
  cpuSeconds: number;
  articlesPerSecond: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');
export const outDir = path.join(here, 'out');

// ---------------------------------------------------------------------------------------
// Deterministic randomness and Korean text from word lists

export class Random {
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
/** A word with its object, subject, topic or 'and' particle (을/를, 이/가, 은/는, 과/와). */
export const obj = (w: string) => w + (hasBatchim(w) ? '을' : '를');
export const subj = (w: string) => w + (hasBatchim(w) ? '이' : '가');
export const topic = (w: string) => w + (hasBatchim(w) ? '은' : '는');
const and = (w: string) => w + (hasBatchim(w) ? '과' : '와');

export const places = [
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
export const institutions = [
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
export const topics = [
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

export interface GeneratedArticle {
  title: string;
  subtitle: string;
  bodyHtml: string;
  tags: string[];
  caption: string;
  alt: string;
}

/**
 * Names of particular places, produce, events and things of Jeju that an article may
 * mention besides its main topic (only in the 'search' shape). Ranked by a fixed shuffle and
 * drawn Zipf-like (weight 1/rank^1.1): the first is named in about a third of all articles,
 * the last in fewer than one in a thousand, as a real archive's vocabulary is.
 */
const specificWords = [
  // Oreum, forests and Hallasan trails
  '새별오름',
  '다랑쉬오름',
  '용눈이오름',
  '거문오름',
  '따라비오름',
  '백약이오름',
  '아부오름',
  '노꼬메오름',
  '금오름',
  '물영아리오름',
  '사려니숲길',
  '절물자연휴양림',
  '비자림',
  '산굼부리',
  '송악산',
  '산방산',
  '군산오름',
  '고근산',
  '영주산',
  '손지오름',
  '어승생악',
  '윗세오름',
  '사라오름',
  '성판악',
  '관음사',
  '영실',
  '어리목',
  '돈내코',
  // Beaches and coast
  '협재해수욕장',
  '함덕해수욕장',
  '이호테우해변',
  '곽지해수욕장',
  '김녕해수욕장',
  '월정리해변',
  '표선해수욕장',
  '중문색달해변',
  '금능해변',
  '하도해변',
  '세화해변',
  '신양섭지해변',
  '화순금모래해변',
  '삼양검은모래해변',
  '용머리해안',
  '주상절리대',
  '섭지코지',
  '쇠소깍',
  '외돌개',
  '황우지해안',
  // Villages
  '하도리',
  '종달리',
  '세화리',
  '평대리',
  '월정리',
  '김녕리',
  '동복리',
  '북촌리',
  '선흘리',
  '와흘리',
  '교래리',
  '가시리',
  '의귀리',
  '위미리',
  '신례리',
  '하례리',
  '토평동',
  '강정동',
  '법환동',
  '사계리',
  '화순리',
  '덕수리',
  '저지리',
  '청수리',
  '낙천리',
  '금악리',
  '명월리',
  '귀덕리',
  '수원리',
  '고산리',
  '신창리',
  '용수리',
  '두모리',
  '판포리',
  '하가리',
  '상가리',
  '납읍리',
  '봉성리',
  '소길리',
  '유수암리',
  // Sea and land produce, food
  '옥돔',
  '갈치',
  '자리돔',
  '고등어',
  '방어',
  '한치',
  '소라',
  '전복',
  '성게',
  '우뭇가사리',
  '다금바리',
  '참조기',
  '멸치',
  '한라봉',
  '천혜향',
  '레드향',
  '황금향',
  '카라향',
  '청견',
  '하우스감귤',
  '노지감귤',
  '당근',
  '월동무',
  '양배추',
  '브로콜리',
  '마늘',
  '양파',
  '메밀',
  '녹차',
  '보리',
  '감자',
  '비트',
  '구아바',
  '백향과',
  '흑돼지',
  '말고기',
  '한우',
  '몸국',
  '고기국수',
  '빙떡',
  '오메기떡',
  '자리물회',
  '갈치국',
  '고사리',
  // Facilities, markets, landmarks
  '제주국제공항',
  '제주항',
  '서귀포항',
  '한림항',
  '성산항',
  '애월항',
  '화순항',
  '강정항',
  '제주민속오일장',
  '동문시장',
  '매일올레시장',
  '칠성로상가',
  '탑동광장',
  '사라봉',
  '별도봉',
  '신산공원',
  '한라수목원',
  '제주아트센터',
  '제주돌문화공원',
  '제주목관아',
  '삼성혈',
  '관덕정',
  '항파두리',
  '성읍민속마을',
  '제주월드컵경기장',
  '한라체육관',
  '제주종합경기장',
  '제주대학교병원',
  '서귀포의료원',
  '제주한라병원',
  '제주신화월드',
  '제주헬스케어타운',
  '첨단과학기술단지',
  '영어교육도시',
  '어승생수원지',
  '도두하수처리장',
  '동복환경자원순환센터',
  '색달매립장',
  '봉개매립장',
  // Festivals and events
  '탐라문화제',
  '방어축제',
  '갈치축제',
  '자리돔축제',
  '한라산눈꽃축제',
  '서귀포칠십리축제',
  '제주왕벚꽃축제',
  '가파도청보리축제',
  '휴애리매화축제',
  '성산일출축제',
  '제주해녀축제',
  '고사리축제',
  '표선백사대축제',
  '제주국제관악제',
  '제주비엔날레',
  '제주영화제',
  '제주포럼',
  // Issues and things
  '제2공항',
  '오버투어리즘',
  '환경보전분담금',
  '입도세',
  '렌터카',
  '전세버스',
  '트램',
  '드론택시',
  '도심항공교통',
  '그린수소',
  '해양쓰레기',
  '괭생이모자반',
  '파래',
  '녹조',
  '적조',
  '고수온',
  '해파리',
  '비상품감귤',
  '농산물유통',
  '직불금',
  '외국인근로자',
  '무사증',
  '크루즈',
  '면세점',
  '카지노',
  '제주어',
  '돌하르방',
  '정낭',
  '해녀학교',
  '불턱',
  '숨비소리',
  '테우',
  '말테우리',
  '목장',
  '잣성',
  '환해장성',
  '봉수대',
  '연대',
];

function shuffled<T>(items: readonly T[], r: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** The specific words, most frequent first (see specificWords). */
export const rankedSpecifics: readonly string[] = shuffled(specificWords, new Random(SEED + 1));
const ZIPF_EXPONENT = 1.1;
const zipfCumulative = rankedSpecifics.reduce<number[]>((sums, _, k) => {
  sums.push((sums.at(-1) ?? 0) + 1 / (k + 1) ** ZIPF_EXPONENT);
  return sums;
}, []);

function specificWord(r: Random): string {
  const point = r.float() * (zipfCumulative.at(-1) ?? 0);
  let lo = 0;
  let hi = zipfCumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((zipfCumulative[mid] ?? 0) <= point) lo = mid + 1;
    else hi = mid;
  }
  return rankedSpecifics[lo] as string;
}

function sentenceAbout(r: Random, word: string, place: string, subject: string): string {
  switch (r.int(0, 3)) {
    case 0:
      return `${place} 인근 ${word} 일대에서도 비슷한 사례가 잇따르고 있다.`;
    case 1:
      return `${topic(word)} 이번 ${r.pick(nouns)}의 주요 대상으로 꼽힌다.`;
    case 2:
      return `${obj(word)} 찾는 발길이 늘면서 ${subject} 문제가 다시 불거졌다.`;
    default:
      return `업계에서는 ${and(word)} 관련한 ${obj(r.pick(nouns))} 함께 검토해야 한다고 ${r.pick(endings)}.`;
  }
}

/**
 * How an article is written. 'page' is the page benchmark's (about 1,000–1,800 characters of
 * body). 'search' (bench/search.ts) writes longer bodies (about 1,500–3,000 characters) that
 * also name particular places, produce, events (rankedSpecifics) and people (personNames), so
 * a search benchmark has very common, middling and rare words to look for.
 */
export type ArticleShape = 'page' | 'search';

export function article(
  r: Random,
  sectionName: string,
  photoKey: string,
  shape: ArticleShape = 'page',
): GeneratedArticle {
  const wide = shape === 'search';
  const place = r.pick(places);
  const subject = r.pick(topics);
  let title = r.pick([
    `${place} ${subject} ${r.pick(nouns)} ${r.pick(predicates)}`,
    `"${r.pick(quotes)}"… ${r.pick(people)}, ${subject} 언급`,
    `${r.pick(institutions)}, ${subject} ${r.pick(nouns)} 발표`,
    `${subject} ${r.pick(figures)}${r.pick(units)} 넘어… ${place} ${r.pick(['비상', '기대', '우려', '긴장'])}`,
  ]);
  let subtitle = [
    `${r.pick(institutions)}, ${subject} ${r.pick(nouns)} 검토`,
    `${place} 주민 의견 수렴 뒤 확정`,
  ]
    .slice(0, r.int(1, 2))
    .join('\n');
  const specifics = wide ? Array.from({ length: r.int(1, 3) }, () => specificWord(r)) : [];
  const named = wide && r.chance(0.3) ? `${r.pick(personNames)} ${r.pick(people)}` : null;
  const first = specifics[0];
  if (first !== undefined) {
    if (r.chance(0.3))
      title = `${obj(first)} 둘러싼 ${subject} ${r.pick(nouns)} ${r.pick(predicates)}`;
    if (r.chance(0.5)) subtitle += `\n${first} 등 ${r.pick(places)} 일대 포함`;
  }
  const paragraphs: string[] = [];
  const count = wide ? r.int(9, 13) : r.int(5, 7);
  for (let p = 0; p < count; p++) {
    const sentences: string[] = [];
    for (let s = r.int(3, 5); s > 0; s--) sentences.push(sentence(r, place, subject));
    if (wide && r.chance(0.6)) {
      const at = r.int(0, sentences.length);
      sentences.splice(at, 0, sentenceAbout(r, r.pick(specifics), place, subject));
    }
    if (named !== null && (p === 1 || p === count - 1))
      sentences.push(`${topic(named)} "${r.pick(quotes)}"고 ${r.pick(endings)}.`);
    paragraphs.push(`<p>${sentences.join(' ')}</p>`);
    if (p === 2 && r.chance(0.3)) paragraphs.push(`<h3>${subject}, 남은 과제는</h3>`);
  }
  if (r.chance(0.15)) {
    const figure = `<figure class="photo"><img src="/media/${photoKey.replace('.jpg', '-b.jpg')}" width="1200" height="675" alt="${place} ${r.pick(captions)}" loading="lazy"><figcaption>${place} ${r.pick(captions)} <span class="credit">사진=탐나일보</span></figcaption></figure>`;
    paragraphs.splice(2, 0, figure);
  }
  const tags = new Set<string>([sectionName]);
  for (let t = r.int(1, 3); t > 0; t--) tags.add(r.pick(tagWords));
  if (first !== undefined && r.chance(0.3)) tags.add(first);
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

export const sections = [
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

/** The paper's 32 reporters. */
export const reporters = Array.from({ length: 32 }, (_, i) => ({
  name: familyNames[i % familyNames.length]! + givenNames[(i * 7) % givenNames.length]!,
  email: `reporter${String(i + 1).padStart(2, '0')}@tamnailbo.example`,
}));

/** Full names of the people articles quote by name ('search' shape): 180, equally often. */
export const personNames: readonly string[] = familyNames.flatMap((family) =>
  givenNames.map((given) => family + given),
);

// ---------------------------------------------------------------------------------------

/**
 * The cache key: what decides the generated content. Migrations are not in it: a database
 * generated under older migrations is brought up to date by running the new ones (see
 * Stamp), as a production archive is, instead of being generated again.
 */
function sourceKey(articles: number): string {
  const hash = createHash('sha256');
  hash.update(`${GENERATOR_VERSION}|${SEED}|${articles}|`);
  hash.update(fs.readFileSync(fileURLToPath(import.meta.url)));
  return hash.digest('hex').slice(0, 16);
}

/**
 * Which migrations, with which content, a cached database has run: a sidecar JSON file next
 * to the SQLite file, the comment of the PostgreSQL database. A migration changed after it
 * ran makes the database stale; migrations added since are run on it.
 */
interface Stamp {
  migrations: Record<string, string>;
  /** How the generation went, for reports of later runs on the cached database. */
  generation?: GenerationStats;
}

function currentMigrations(): Record<string, string> {
  const dir = path.join(repoRoot, 'src', 'db', 'migrations');
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort()) {
    if (!name.endsWith('.ts') || name.endsWith('.test.ts')) continue;
    out[name.slice(0, -3)] = createHash('sha256')
      .update(fs.readFileSync(path.join(dir, name)))
      .digest('hex')
      .slice(0, 16);
  }
  return out;
}

async function readStamp(dialect: BenchDialect, where: string): Promise<Stamp | null> {
  try {
    const text =
      dialect === 'sqlite'
        ? fs.readFileSync(`${where}.json`, 'utf8')
        : await withAdmin(async (client) => {
            const { rows } = await client.query<{ comment: string | null }>(
              "select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1",
              [where],
            );
            return rows[0]?.comment ?? '';
          });
    const stamp = JSON.parse(text) as Stamp;
    return typeof stamp.migrations === 'object' && stamp.migrations !== null ? stamp : null;
  } catch {
    return null;
  }
}

async function writeStamp(dialect: BenchDialect, where: string, stamp: Stamp): Promise<void> {
  const text = JSON.stringify(stamp);
  if (dialect === 'sqlite') {
    fs.writeFileSync(`${where}.json.tmp`, text);
    fs.renameSync(`${where}.json.tmp`, `${where}.json`);
    return;
  }
  await withAdmin((client) =>
    client.query(`comment on database ${where} is ${pg.escapeLiteral(text)}`),
  );
}

/**
 * The migrations to run on a cached database, or null when it cannot be brought up to date
 * (a migration it ran has changed or is gone, or a new one sorts before one it ran).
 */
function pendingFor(stamp: Stamp, current: Record<string, string>): string[] | null {
  const ran = Object.keys(stamp.migrations).sort();
  for (const name of ran) if (current[name] !== stamp.migrations[name]) return null;
  const pending = Object.keys(current).filter((name) => !(name in stamp.migrations));
  const last = ran.at(-1) ?? '';
  return pending.every((name) => name > last) ? pending : null;
}

export type BenchDialect = 'sqlite' | 'postgres';

/** The PostgreSQL server benchmark databases are created on (a database each). */
export const benchPostgresBase = process.env.TAMNA_BENCH_PG_URL ?? postgresUrl;

/** DATABASE_URL of database `name` on the benchmark's PostgreSQL server. */
export function benchPostgresUrl(name: string): string {
  const url = new URL(benchPostgresBase);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: benchPostgresBase });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** How many articles readers see in a finished benchmark database, or null if unreadable. */
async function countPublished(dialect: BenchDialect, where: string): Promise<number | null> {
  try {
    if (dialect === 'sqlite') {
      const { default: SqliteDatabase } = await import('better-sqlite3');
      const sqlite = new SqliteDatabase(where, { readonly: true, fileMustExist: true });
      try {
        const row = sqlite
          .prepare("select count(*) as n from articles where status = 'published'")
          .get() as { n: number };
        return row.n;
      } finally {
        sqlite.close();
      }
    }
    const client = new pg.Client({ connectionString: benchPostgresUrl(where) });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(
        "select count(*) as n from articles where status = 'published'",
      );
      return Number(rows[0]?.n);
    } finally {
      await client.end();
    }
  } catch {
    return null;
  }
}

async function postgresDatabases(): Promise<string[]> {
  return withAdmin(async (client) => {
    const { rows } = await client.query<{ name: string }>(
      "select datname as name from pg_database where datname like 'tamna\\_bench\\_%'",
    );
    return rows.map((r) => r.name);
  });
}

/** Bytes a benchmark database takes on disk. */
export async function benchDatabaseBytes(dialect: BenchDialect, where: string): Promise<number> {
  if (dialect === 'sqlite') return fs.statSync(where).size;
  return withAdmin(async (client) => {
    const { rows } = await client.query<{ bytes: string }>('select pg_database_size($1) as bytes', [
      where,
    ]);
    return Number(rows[0]?.bytes ?? NaN);
  });
}

/**
 * Drops what an earlier generator left for the same article count (another version) and the
 * leftovers of interrupted runs; databases of other sizes stay (a big run keeps its
 * 20,000-article baseline).
 */
async function dropStale(dialect: BenchDialect, articles: number): Promise<void> {
  if (dialect === 'sqlite') {
    for (const name of fs.readdirSync(outDir)) {
      const sized = new RegExp(`^bench-${articles}-[0-9a-f]{16}\\.sqlite`).test(name);
      // Files of the one-size layout before --articles (bench-<key>.sqlite) are stale too.
      const unsized = /^bench-[0-9a-f]{16}\.sqlite/.test(name);
      const tmp = /\.tmp-(\d+)/.exec(name);
      if (tmp !== null && processAlive(Number(tmp[1]))) continue;
      if (sized || unsized) fs.rmSync(path.join(outDir, name), { force: true });
    }
    return;
  }
  for (const name of await postgresDatabases()) {
    const tmp = /_tmp(\d+)$/.exec(name);
    const sameSize = name.startsWith(`tamna_bench_${articles}_`);
    const deadTmp = tmp !== null && !processAlive(Number(tmp[1]));
    if ((sameSize && tmp === null) || deadTmp)
      await withAdmin((client) => client.query(`drop database if exists ${name} with (force)`));
  }
}

/** Returns the cached benchmark database, generating it when missing or out of date. */
export async function ensureBenchDatabase(
  options: {
    articles?: number;
    dialect?: BenchDialect;
    regenerate?: boolean;
    log?: (line: string) => void;
  } = {},
): Promise<BenchDatabase> {
  const articles = options.articles ?? 20_000;
  const dialect = options.dialect ?? 'sqlite';
  const log = options.log ?? (() => {});
  const started = performance.now();
  fs.mkdirSync(outDir, { recursive: true });
  const key = sourceKey(articles);
  const name =
    dialect === 'sqlite' ? `bench-${articles}-${key}.sqlite` : `tamna_bench_${articles}_${key}`;
  const where = dialect === 'sqlite' ? path.join(outDir, name) : name;
  const url = dialect === 'sqlite' ? `sqlite:${where}` : benchPostgresUrl(name);
  const label =
    dialect === 'sqlite' ? path.relative(repoRoot, where) : `PostgreSQL database ${name}`;
  const result = (reused: boolean, generation: BenchDatabase['generation']): BenchDatabase => ({
    dialect,
    url,
    where,
    label,
    file: dialect === 'sqlite' ? where : null,
    articles,
    firstArticleId: 1,
    lastArticleId: articles,
    reused,
    seconds: (performance.now() - started) / 1000,
    generation,
    migrated: null,
  });

  const current = currentMigrations();
  const exists =
    dialect === 'sqlite' ? fs.existsSync(where) : (await postgresDatabases()).includes(name);
  if (!options.regenerate && exists) {
    const stamp = await readStamp(dialect, where);
    const pending = stamp === null ? null : pendingFor(stamp, current);
    if (pending === null) {
      log(`cached database ${label} ran migrations that have changed since; regenerating`);
    } else if ((await countPublished(dialect, where)) !== articles) {
      log(`cached database ${label} is incomplete; regenerating`);
    } else {
      let migrated: BenchDatabase['migrated'] = null;
      if (pending.length > 0) {
        const migrationStarted = performance.now();
        const handle = await connectDatabase(
          dialect === 'sqlite' ? { kind: 'sqlite', file: where } : { kind: 'postgres', url },
        );
        try {
          await migrateToLatest(handle);
        } finally {
          await handle.close();
        }
        migrated = { names: pending, seconds: (performance.now() - migrationStarted) / 1000 };
        await writeStamp(dialect, where, { ...stamp, migrations: current });
        log(
          `cached database ${label}: ran ${pending.join(', ')} on it in ${migrated.seconds.toFixed(1)} s`,
        );
      }
      return { ...result(true, stamp?.generation ?? null), migrated };
    }
  }

  await dropStale(dialect, articles);
  log(
    `generating ${articles.toLocaleString('en-US')} articles into ${label} (cached for later runs)...`,
  );
  const dataDir = fs.mkdtempSync(path.join(outDir, 'gen-data-'));
  fs.mkdirSync(path.join(dataDir, 'media'));
  let generation: GenerationStats;
  try {
    if (dialect === 'sqlite') {
      const tmp = `${where}.tmp-${process.pid}`;
      try {
        generation = await generate(`sqlite:${tmp}`, dialect, dataDir, articles, log);
        // The app closed the database: SQLite checkpointed and removed the WAL, so the file
        // holds everything and can be renamed into place atomically.
        for (const suffix of ['-wal', '-shm']) {
          if (fs.existsSync(tmp + suffix))
            throw new Error(`generation left ${tmp + suffix} behind`);
        }
        fs.renameSync(tmp, where);
        await writeStamp(dialect, where, { migrations: current, generation });
      } finally {
        for (const suffix of ['', '-wal', '-shm']) fs.rmSync(tmp + suffix, { force: true });
      }
    } else {
      // Built under a temporary name and renamed when complete, as the SQLite file is.
      const tmp = `${name}_tmp${process.pid}`;
      await withAdmin((client) => client.query(`create database ${tmp}`));
      try {
        generation = await generate(benchPostgresUrl(tmp), dialect, dataDir, articles, log);
        await withAdmin((client) => client.query(`alter database ${tmp} rename to ${name}`));
        await writeStamp(dialect, where, { migrations: current, generation });
      } catch (error) {
        await withAdmin((client) => client.query(`drop database if exists ${tmp} with (force)`));
        throw error;
      }
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const done = result(false, generation);
  log(`generated in ${done.seconds.toFixed(1)} s`);
  return done;
}

/** The paper's sections and reporters, through the writer as the newsroom creates them. */
export async function createSectionsAndReporters(
  writer: Pick<Writer, 'createSection' | 'createAuthor'>,
): Promise<{ sectionIds: Map<string, number>; authorIds: number[] }> {
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
  for (const reporter of reporters) authorIds.push(await writer.createAuthor(reporter));
  return { sectionIds, authorIds };
}

export interface ArticleBatchOptions {
  /** How many articles; ids run 1..total, oldest first. */
  total: number;
  shape: ArticleShape;
  /** Publish times fall in the two years before this. */
  now: number;
  sectionIds: Map<string, number>;
  authorIds: readonly number[];
  /** Registers each batch's featured photos and returns their ids; without it, none. */
  registerPhotos?: (rows: StoredRenditions[]) => Promise<number[]>;
  /** Write each batch's search documents in its transaction, as the newsroom does. */
  index: boolean;
  /** Called after each committed batch with the number of articles written so far. */
  onBatch?: (done: number) => void;
  /** Batches written at once (default 1): 2 keeps PostgreSQL busy while the next is made. */
  inFlight?: number;
}

/**
 * Inserts `total` published articles in batches of 500, one transaction each, storing
 * exactly what writer.createArticle would (cleaned body, derived summary) with their bylines
 * and tags. Deterministic: the same options write the same articles.
 */
export async function insertArticles(
  db: Kysely<Database>,
  options: ArticleBatchOptions,
): Promise<void> {
  const { total, now, sectionIds, authorIds } = options;
  const r = new Random(SEED);
  const weighted = sections.flatMap((s) => Array.from({ length: s.weight }, () => s));
  // Publish times over the last two years, oldest first, so article numbers rise with
  // time as on a real site; the newest is a few minutes old.
  const span = 730 * DAY;
  const times = Array.from(
    { length: total },
    () => now - 5 * 60 * 1000 - Math.floor(r.float() * span),
  ).sort((a, b) => a - b);

  const inFlight: Array<Promise<number>> = [];
  let done = 0;
  for (let start = 0; start < total; start += BATCH) {
    const photoRows: StoredRenditions[] = [];
    const articleRows: Array<Insertable<Database['articles']>> = [];
    const relations: Array<ArticleRelations & { articleId: number }> = [];
    for (let i = start; i < Math.min(total, start + BATCH); i++) {
      const id = i + 1;
      const section = r.pick(weighted);
      const sectionId = sectionIds.get(section.slug)!;
      const storageKey = `bench/${String(id).padStart(6, '0')}.jpg`;
      const a = article(r, section.name, storageKey, options.shape);
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
    const write = async (): Promise<number> => {
      if (options.registerPhotos !== undefined) {
        const photoIds = await options.registerPhotos(photoRows);
        articleRows.forEach((row, j) => (row.featured_photo_id = photoIds[j]!));
        relations.forEach((rel, j) => (rel.featuredPhotoId = photoIds[j]!));
      }
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('articles').values(articleRows).execute();
        await addRelationsOfNewArticles(trx, relations);
        if (options.index)
          await writeSearchDocuments(
            trx,
            relations.map((rel) => rel.articleId),
          );
      });
      return articleRows.length;
    };
    // PostgreSQL works in its own process: while it stores one batch, this one writes the
    // next. better-sqlite3 is synchronous, so there one batch at a time is all there is.
    inFlight.push(write());
    if (inFlight.length >= (options.inFlight ?? 1)) {
      done += await inFlight.shift()!;
      options.onBatch?.(done);
    }
    // better-sqlite3 is synchronous: give signals (Ctrl-C) and timers their turn.
    await new Promise((resolve) => setImmediate(resolve));
  }
  for (const batch of inFlight.splice(0)) {
    done += await batch;
    options.onBatch?.(done);
  }
  // Articles are inserted with their ids, which leaves PostgreSQL's sequence behind: the
  // next article the desk or an import writes would collide with article 1.
  if (db.getExecutor().adapter instanceof PostgresAdapter)
    await sql`select setval(pg_get_serial_sequence('articles', 'id'), (select max(id) from articles))`.execute(
      db,
    );
}

async function generate(
  url: string,
  dialect: BenchDialect,
  dataDir: string,
  total: number,
  log: (line: string) => void,
): Promise<GenerationStats> {
  const config = loadConfig({
    DATABASE_URL: url,
    TAMNA_DATA_DIR: dataDir,
    TAMNA_LOG_LEVEL: 'warn',
  });
  const app = await createApp(config, { logger: pino({ level: 'warn' }) });
  try {
    const { writer, weather, banners, photos } = app.services;
    const { db } = app.database;
    const now = app.clock.now();
    const { sectionIds, authorIds } = await createSectionsAndReporters(writer);
    const existing = await db.selectFrom('articles').select('id').limit(1).executeTakeFirst();
    if (existing !== undefined) throw new Error('the benchmark database must start empty');
    if (dialect === 'sqlite') {
      // The file is renamed into place only when complete, so a crash loses nothing worth
      // an fsync per checkpoint; fewer, larger checkpoints too.
      await sql`pragma synchronous = off`.execute(db);
      await sql`pragma wal_autocheckpoint = 100000`.execute(db);
      await sql`pragma cache_size = -262144`.execute(db);
    }
    // A bulk load into PostgreSQL builds the search index's GIN indexes and the secondary
    // indexes of the tables it fills once, after the rows, as a DBA loading an archive
    // would: kept in step row by row they cost more than everything else the load does, and
    // the load slowed from 435 to about 175 articles a second on the way to a million as
    // they outgrew the buffer cache. Unique indexes stay (the load's upserts name them), and
    // so does every index on a table the load reads by it (article_terms).
    const deferredIndexes =
      dialect === 'postgres'
        ? (
            await sql<{ name: string; definition: string }>`
              select indexname as name, indexdef as definition from pg_indexes
              where schemaname = current_schema()
                and (indexdef like '% USING gin %'
                  or (tablename in ('articles', 'article_authors', 'article_tags', 'photos')
                      and indexdef not like 'CREATE UNIQUE %'))`.execute(db)
          ).rows
        : [];
    for (const index of deferredIndexes) await sql.raw(`drop index ${index.name}`).execute(db);
    // The week counts' trigger holds its counter rows until commit, so the second batch in
    // flight waited for the first (29 of 30 samples of a million-article load were
    // Lock:transactionid): the weeks are counted once, after the rows, instead.
    if (dialect === 'postgres')
      await sql`alter table articles disable trigger articles_section_week_counts`.execute(db);
    const started = performance.now();
    const cpu = process.cpuUsage();
    const loadBefore = os.loadavg()[0] ?? NaN;
    let reported = started;
    await insertArticles(db, {
      total,
      shape: 'page',
      now,
      sectionIds,
      authorIds,
      registerPhotos: (rows) => photos.registerPhotos(rows),
      index: true,
      inFlight: dialect === 'postgres' ? 2 : 1,
      onBatch: (done) => {
        const at = performance.now();
        if (at - reported < 30_000 && done < total) return;
        reported = at;
        const seconds = (at - started) / 1000;
        log(
          `  ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} articles, ${(done / seconds).toFixed(0)}/s`,
        );
      },
    });
    if (dialect === 'postgres') {
      await countSectionWeeks(db as unknown as Kysely<unknown>, dialect);
      await sql`alter table articles enable trigger articles_section_week_counts`.execute(db);
    }
    if (deferredIndexes.length > 0) {
      const indexStarted = performance.now();
      await db.connection().execute(async (connection) => {
        await sql`set maintenance_work_mem = '1GB'`.execute(connection);
        for (const index of deferredIndexes) await sql.raw(index.definition).execute(connection);
      });
      log(
        `${deferredIndexes.length} indexes built after the rows in ${((performance.now() - indexStarted) / 1000).toFixed(1)} s`,
      );
    }
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const stats: GenerationStats = {
      at: new Date().toISOString(),
      load: [loadBefore, os.loadavg()[0] ?? NaN],
      seconds,
      cpuSeconds: (used.user + used.system) / 1e6,
      articlesPerSecond: total / seconds,
    };
    log(
      `articles loaded in ${seconds.toFixed(1)} s: ${stats.articlesPerSecond.toFixed(0)} articles/s (${stats.cpuSeconds.toFixed(1)} s CPU in this process), search documents and their indexes included`,
    );
    if (dialect === 'postgres') {
      // What autovacuum does soon after a bulk load: statistics for the planner and the
      // visibility map for index-only scans, so the first measurement sees a settled table.
      const vacuumStarted = performance.now();
      for (const table of [
        'articles',
        'article_authors',
        'article_tags',
        'article_search',
        'photos',
      ])
        await sql.raw(`vacuum analyze ${table}`).execute(db);
      log(`vacuum analyze: ${((performance.now() - vacuumStarted) / 1000).toFixed(1)} s`);
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
    return stats;
  } finally {
    await app.close();
  }
}
