/**
 * The Korean analyzer: one tokenizer for every backend, so SQLite FTS5 and PostgreSQL index
 * the same tokens and return the same hits for the same data.
 *
 * Text is folded (NFKC: full-width letters and digits, compatibility jamo, circled numbers;
 * lower case) and cut into two streams:
 * - words: each written word as a run of Hangul, Latin letters or digits, with common
 *   particles and endings stripped (제주도는 → 제주도, 제주). A word yields its variants,
 *   stripped first, so 해녀들이 and 해녀가 meet at 해녀. Runs inside one word (K리그,
 *   4·3, 5.16도로) are consecutive tokens, so a query matches them as a phrase.
 * - grams: Hangul (and Han) syllable bigrams, also across a single space between two
 *   Hangul runs, so 한라산탐방로 and 한라산 탐방로 share 한라 라산 산탐 탐방 방로 and any
 *   two-syllable word is found inside longer ones (at a lower weight).
 * Tokens hold only letters and digits of one script, which both FTS5's unicode61 and
 * PostgreSQL's parser keep whole.
 */

/** Suffixes stripped from the end of a Hangul run, longest first. */
const SUFFIXES = [
  // Particles (조사), with the common combinations.
  '에서부터',
  '으로부터',
  '에게서는',
  '에서는',
  '에서도',
  '에서의',
  '에게는',
  '에게도',
  '으로는',
  '으로도',
  '으로서',
  '으로써',
  '이라는',
  '이라고',
  '이라도',
  '이지만',
  '이었다',
  '입니다',
  '까지는',
  '부터는',
  '에서',
  '에게',
  '께서',
  '한테',
  '으로',
  '로서',
  '로써',
  '로는',
  '로도',
  '로의',
  '에는',
  '에도',
  '에의',
  '에선',
  '와는',
  '과는',
  '와의',
  '과의',
  '까지',
  '부터',
  '보다',
  '처럼',
  '마다',
  '조차',
  '밖에',
  '이나',
  '이며',
  '이랑',
  '이다',
  '였다',
  '이고',
  '라는',
  '라고',
  '이란',
  '들이',
  '들은',
  '들을',
  '들의',
  '들도',
  '들과',
  '들로',
  '들에',
  '들이다',
  // Verb and adjective endings after a noun (폭락했다, 개최된, 통제되고).
  '했습니다',
  '됐습니다',
  '되었다',
  '하였다',
  '했으며',
  '됐으며',
  '한다고',
  '했다고',
  '된다고',
  '하기로',
  '했다',
  '했던',
  '했고',
  '한다',
  '하는',
  '하고',
  '하며',
  '하여',
  '해서',
  '하기',
  '된다',
  '됐다',
  '되는',
  '되고',
  '되며',
  '됐고',
  '시킨',
  '합니다',
  '이',
  '가',
  '은',
  '는',
  '을',
  '를',
  '의',
  '에',
  '께',
  '로',
  '와',
  '과',
  '도',
  '만',
  '나',
  '며',
  '랑',
  '란',
  '엔',
  '들',
  '한',
  '할',
  '된',
  '될',
  '함',
  '됨',
].sort((a, b) => b.length - a.length);

/** Particles after which a one-syllable noun stays a word (귤은 → 귤, 섬에 → 섬). */
const CORE_PARTICLES = new Set(['이', '가', '은', '는', '을', '를', '의', '에', '도', '만', '로']);

/** How much of a body is indexed: PostgreSQL keeps positions only up to 16,383. */
const MAX_FIELD_CHARS = 12_000;
/** Words of a query that count; the rest of a pasted paragraph is ignored. */
export const MAX_QUERY_WORDS = 8;

const HANGUL = /^[\uac00-\ud7a3]+$/;
/** Syllables that form bigrams: Hangul, Han (Hanja), kana. */
const SYLLABIC = /[\uac00-\ud7a3\u3400-\u4dbf\u4e00-\u9fff\u3040-\u30ff]/;

type RunKind = 'syllabic' | 'latin' | 'digit' | 'other';

function kindOf(ch: string): RunKind | null {
  if (SYLLABIC.test(ch)) return 'syllabic';
  if (ch >= '0' && ch <= '9') return 'digit';
  if (/\p{Script=Latin}/u.test(ch)) return 'latin';
  if (/[\p{L}\p{N}]/u.test(ch)) return 'other';
  return null;
}

/**
 * NFKC, lower case, no lone surrogates or control characters: the form both the index and
 * queries are built from.
 */
export function fold(text: string): string {
  return (
    text
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, ' ')
      .normalize('NFKC')
      // Control characters (\p{Cc}) are spaces: NUL from a %00 must not join two words.
      .replace(/\p{Cc}/gu, ' ')
      .toLowerCase()
  );
}

interface Run {
  text: string;
  kind: RunKind;
}

interface Word {
  runs: Run[];
  /** Whether a single space (not punctuation) separates it from the next word. */
  spaceAfter: boolean;
}

/** Written words, each as its runs of one script. Punctuation ends a word. */
function words(folded: string): Word[] {
  const out: Word[] = [];
  let runs: Run[] = [];
  let current: Run | null = null;
  const endWord = (spaceAfter: boolean) => {
    if (current !== null) runs.push(current);
    current = null;
    if (runs.length > 0) out.push({ runs, spaceAfter });
    runs = [];
  };
  // 4·3, 5.16, 2026.12.06: digits joined by a dot or dash stay one word of several runs.
  for (const ch of folded.replace(/(?<=\d)[.·‧∙・\-/:,](?=\d)/g, '\u0001')) {
    if (ch === '\u0001') {
      if (current !== null) runs.push(current);
      current = null;
      continue;
    }
    const kind = kindOf(ch);
    if (kind === null) {
      endWord(/\s/.test(ch));
      continue;
    }
    if (current !== null && current.kind === kind) {
      current.text += ch;
    } else {
      if (current !== null) runs.push(current);
      current = { text: ch, kind };
    }
  }
  endWord(false);
  return out;
}

/**
 * A Hangul run and what it may be without its particles or ending: the run itself, each
 * single strip, and a strip of that (해녀들이 → 해녀들, 해녀). A stem keeps at least two
 * syllables, or one after a core particle (귤은 → 귤).
 */
export function stems(run: string): string[] {
  const found = [run];
  if (!HANGUL.test(run)) return found;
  const strip = (word: string): string[] => {
    const out: string[] = [];
    for (const suffix of SUFFIXES) {
      if (!word.endsWith(suffix) || word.length <= suffix.length) continue;
      const stem = word.slice(0, -suffix.length);
      if (stem.length >= 2 || (stem.length === 1 && CORE_PARTICLES.has(suffix))) out.push(stem);
    }
    return out;
  };
  for (const once of strip(run)) {
    if (!found.includes(once)) found.push(once);
    for (const twice of strip(once)) if (!found.includes(twice)) found.push(twice);
  }
  return found;
}

/** The stem to build a query's bigram phrase from: the longest strip, else the run. */
function gramBase(run: string): string {
  const candidates = stems(run).slice(1);
  const longest = candidates.reduce<string | null>(
    (best, s) => (best === null || s.length > best.length ? s : best),
    null,
  );
  return longest !== null && longest.length >= 2 ? longest : run;
}

function bigrams(text: string): string[] {
  const chars = [...text];
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(`${chars[i]}${chars[i + 1]}`);
  return out;
}

export interface FieldTokens {
  /** Word tokens, space-joined, in text order (a word's variants follow it). */
  words: string;
  /** Bigram tokens, space-joined, in text order. */
  grams: string;
}

/** The two token streams of one field (title, subtitle and tags, or body). */
export function analyzeField(text: string): FieldTokens {
  const folded = fold(text.length > MAX_FIELD_CHARS ? text.slice(0, MAX_FIELD_CHARS) : text);
  const wordTokens: string[] = [];
  const gramTokens: string[] = [];
  let previousSyllabic: string | null = null;
  for (const word of words(folded)) {
    const last = word.runs.length - 1;
    word.runs.forEach((run, i) => {
      if (i === last && run.kind === 'syllabic') {
        const variants = stems(run.text);
        // Stripped first, so a phrase over several runs (4·3추념식에) meets the query's.
        wordTokens.push(...variants.slice(1), variants[0] as string);
      } else {
        wordTokens.push(run.text);
      }
      if (run.kind === 'syllabic') {
        if (i === 0 && previousSyllabic !== null) {
          gramTokens.push(`${previousSyllabic.slice(-1)}${[...run.text][0]}`);
        }
        gramTokens.push(...bigrams(run.text));
      }
    });
    const lastRun = word.runs[last] as Run;
    previousSyllabic = word.spaceAfter && lastRun.kind === 'syllabic' ? lastRun.text : null;
  }
  return { words: wordTokens.join(' '), grams: gramTokens.join(' ') };
}

/** One query word: it matches when any word variant matches, or its bigram phrase does. */
export interface QueryTerm {
  /** What the reader typed (folded), for highlighting. */
  text: string;
  /** Phrases of word tokens; any one matching is enough. */
  wordPhrases: string[][];
  /** The bigram phrase, or null for Latin, digits and one syllable. */
  gramPhrase: string[] | null;
  /** A one-syllable word: bigrams starting with it also match. */
  gramPrefix: string | null;
}

export interface QueryPlan {
  /** Every term must match (the reader's words). */
  terms: QueryTerm[];
  /** The whole query without its spaces, tried as well: 한라산 탐방로 → 한라산탐방로. */
  joined: QueryTerm | null;
  /** Words that were left out because the query was too long. */
  dropped: number;
  /** Strings to highlight in snippets, longest first. */
  highlights: string[];
}

function termOf(runs: Run[]): QueryTerm {
  const text = runs.map((r) => r.text).join('');
  const last = runs.length - 1;
  const lastRun = runs[last] as Run;
  const head = runs.slice(0, last).map((r) => r.text);
  const lastVariants =
    lastRun.kind === 'syllabic' ? stems(lastRun.text).filter(Boolean) : [lastRun.text];
  const wordPhrases = lastVariants.map((v) => [...head, v]);
  let gramPhrase: string[] | null = null;
  let gramPrefix: string | null = null;
  if (runs.length === 1 && lastRun.kind === 'syllabic') {
    const base = gramBase(lastRun.text);
    if ([...base].length >= 2) gramPhrase = bigrams(base);
    else gramPrefix = base;
  }
  return { text, wordPhrases, gramPhrase, gramPrefix };
}

/** What a reader typed, as terms the backends turn into their own query syntax. */
export function analyzeQuery(query: string): QueryPlan {
  const all = words(fold(query.slice(0, 1000)));
  const kept = all.slice(0, MAX_QUERY_WORDS);
  const terms: QueryTerm[] = [];
  const seen = new Set<string>();
  for (const word of kept) {
    const term = termOf(word.runs);
    if (seen.has(term.text)) continue;
    seen.add(term.text);
    terms.push(term);
  }
  const allSyllabic = kept.every((w) => w.runs.every((r) => r.kind === 'syllabic'));
  const joined =
    terms.length > 1 && allSyllabic
      ? termOf([{ text: terms.map((t) => t.text).join(''), kind: 'syllabic' }])
      : null;
  const highlights = new Set<string>();
  for (const term of terms) {
    highlights.add(term.text);
    for (const phrase of term.wordPhrases) {
      const joinedPhrase = phrase.join('');
      if ([...joinedPhrase].length >= 2 || terms.length === 1) highlights.add(joinedPhrase);
    }
  }
  return {
    terms,
    joined,
    dropped: Math.max(0, all.length - kept.length),
    highlights: [...highlights].filter((h) => h !== '').sort((a, b) => b.length - a.length),
  };
}

/**
 * The words of a title that relate articles (관련기사), from its analyzed word tokens: of a
 * word's spellings (서울을, 서울) the shortest, Hangul or Latin of two letters or more.
 * Migration 0017 keeps a frozen copy to fill the table once.
 */
export function relationTerms(titleWords: string): string[] {
  const tokens = [...new Set(titleWords.split(' '))].filter(
    (t) => t.length <= 40 && /^(?:[\uac00-\ud7a3]{2,}|[a-z]{2,})$/.test(t),
  );
  // A longer spelling is the shorter one with a particle or ending (at most 으로는, 에서는).
  return tokens
    .filter((t) => !tokens.some((u) => u !== t && t.startsWith(u) && t.length - u.length <= 3))
    .slice(0, 12);
}
