/**
 * Revised Romanization of Korean (국어의 로마자 표기법) for URL addresses: section names
 * such as 정치 or 제주 become readable ASCII slugs (jeongchi, jeju). It follows the
 * transcription rules syllable by syllable, links a final consonant to a following vowel
 * (한국어 → hangugeo) and applies the common sound changes at syllable joints (ㄱ/ㅂ
 * before ㄴ/ㅁ, ㄴ/ㄹ meeting). Rarer assimilations are left out: an address only has to
 * be readable and stable, not a pronunciation guide.
 */

const HANGUL_FIRST = 0xac00;
const HANGUL_LAST = 0xd7a3;

// prettier-ignore
const INITIALS = ['g', 'kk', 'n', 'd', 'tt', 'r', 'm', 'b', 'pp', 's', 'ss', '', 'j', 'jj', 'ch', 'k', 't', 'p', 'h'];
// prettier-ignore
const MEDIALS = ['a', 'ae', 'ya', 'yae', 'eo', 'e', 'yeo', 'ye', 'o', 'wa', 'wae', 'oe', 'yo', 'u', 'wo', 'we', 'wi', 'yu', 'eu', 'ui', 'i'];
/** A final consonant at the end of a word or before a consonant. */
// prettier-ignore
const FINALS = ['', 'k', 'k', 'k', 'n', 'n', 'n', 't', 'l', 'k', 'm', 'l', 'l', 'l', 'p', 'l', 'm', 'p', 'p', 't', 't', 'ng', 't', 't', 'k', 't', 'p', 't'];
/** A final consonant before a vowel: [what stays in this syllable, what starts the next]. */
// prettier-ignore
const LINKED: readonly (readonly [string, string])[] = [
  ['', ''], ['', 'g'], ['', 'kk'], ['k', 's'], ['', 'n'], ['n', 'j'], ['n', ''], ['', 'd'],
  ['', 'r'], ['l', 'g'], ['l', 'm'], ['l', 'b'], ['l', 's'], ['l', 't'], ['l', 'p'], ['', 'r'],
  ['', 'm'], ['', 'b'], ['p', 's'], ['', 's'], ['', 'ss'], ['ng', ''], ['', 'j'], ['', 'ch'],
  ['', 'k'], ['', 't'], ['', 'p'], ['', ''],
];

const INITIAL_N = 2;
const INITIAL_R = 5;
const INITIAL_M = 6;
const INITIAL_SILENT = 11;

interface Syllable {
  initial: number;
  medial: number;
  final: number;
}

function decompose(ch: string): Syllable | null {
  const code = ch.codePointAt(0) ?? 0;
  if (code < HANGUL_FIRST || code > HANGUL_LAST) return null;
  const index = code - HANGUL_FIRST;
  return {
    initial: Math.floor(index / 588),
    medial: Math.floor((index % 588) / 28),
    final: index % 28,
  };
}

/** The final consonant of `s` as written before the next syllable `next` (or a word end). */
function joint(s: Syllable, next: Syllable | null): { final: string; nextInitial?: string } {
  if (next === null || s.final === 0) return { final: FINALS[s.final] ?? '' };
  if (next.initial === INITIAL_SILENT) {
    const [stay, move] = LINKED[s.final] ?? ['', ''];
    return { final: stay, nextInitial: move };
  }
  const final = FINALS[s.final] ?? '';
  const nasal = next.initial === INITIAL_N || next.initial === INITIAL_M;
  if (nasal && final === 'k') return { final: 'ng' };
  if (nasal && final === 'p') return { final: 'm' };
  if (nasal && final === 't') return { final: 'n' };
  // ㄹ meets ㄴ or ㄹ: both sound as l (신라 silla, 설날 seollal).
  if (final === 'l' && (next.initial === INITIAL_N || next.initial === INITIAL_R))
    return { final: 'l', nextInitial: 'l' };
  if (final === 'n' && next.initial === INITIAL_R) return { final: 'l', nextInitial: 'l' };
  // ㄹ after other finals sounds as n (종로 jongno, 대통령 daetongnyeong).
  if (next.initial === INITIAL_R && (final === 'ng' || final === 'm'))
    return { final, nextInitial: 'n' };
  return { final };
}

/** Romanizes Hangul syllables; other characters pass through unchanged. */
export function romanize(text: string): string {
  const chars = [...text.normalize('NFC')];
  let out = '';
  let carried: string | undefined;
  for (const [i, ch] of chars.entries()) {
    const s = decompose(ch);
    if (s === null) {
      out += ch;
      carried = undefined;
      continue;
    }
    const next = decompose(chars[i + 1] ?? '');
    const { final, nextInitial } = joint(s, next);
    out += (carried ?? INITIALS[s.initial] ?? '') + (MEDIALS[s.medial] ?? '') + final;
    carried = nextInitial;
  }
  return out;
}

/**
 * A readable ASCII address for a name: romanized, lowercase letters, digits and hyphens,
 * at most `maxLength` characters. Empty when nothing readable is left (e.g. only symbols).
 */
export function asciiSlug(name: string, maxLength = 60): string {
  return romanize(name)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/g, '');
}

/** `base`, or `base-2`, `base-3`… : the first that `taken` does not hold. */
export function uniqueSlug(base: string, taken: (slug: string) => boolean): string {
  if (!taken(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken(candidate)) return candidate;
  }
}
