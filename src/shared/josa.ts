/**
 * Korean particles that depend on whether the word before them ends in a consonant
 * (받침): 이름이 / 섹션이, 주소가; 을/를, 은/는. Non-Hangul endings are read as Korean
 * speakers read them: digits by their Korean names, Latin letters by their English names.
 */
const DIGIT_HAS_FINAL = [true, true, false, true, false, false, true, true, true, false]; // 영 일 이 삼 사 오 육 칠 팔 구
const LETTERS_WITH_FINAL = new Set(['l', 'm', 'n', 'r']); // 엘 엠 엔 알

export function endsInConsonant(word: string): boolean {
  // A gloss in brackets is read past: 제목(title)이, 태그 목록(tags)은.
  const spoken = word.trim().replace(/\([^()]*(\([^()]*\)[^()]*)*\)$/, '');
  const last = [...spoken].at(-1) ?? '';
  const code = last.codePointAt(0) ?? 0;
  if (code >= 0xac00 && code <= 0xd7a3) return (code - 0xac00) % 28 !== 0;
  if (/[0-9]/.test(last)) return DIGIT_HAS_FINAL[Number(last)] ?? false;
  return LETTERS_WITH_FINAL.has(last.toLowerCase());
}

/** `word` followed by the right form of a particle pair, e.g. josa('이름', '이', '가'). */
export function josa(word: string, afterConsonant: string, afterVowel: string): string {
  return word + (endsInConsonant(word) ? afterConsonant : afterVowel);
}

/**
 * `word` followed by 으로 or 로: 로 after a vowel and after ㄹ (서울로, 이메일로, 1로),
 * 으로 after any other final consonant (제주시청으로, 064-000-0000으로).
 */
export function withRo(word: string): string {
  const spoken = word.trim().replace(/\([^()]*(\([^()]*\)[^()]*)*\)$/, '');
  const last = [...spoken].at(-1) ?? '';
  const code = last.codePointAt(0) ?? 0;
  const rieul =
    code >= 0xac00 && code <= 0xd7a3 ? (code - 0xac00) % 28 === 8 : /[178lr]/i.test(last);
  return word + (endsInConsonant(word) && !rieul ? '으로' : '로');
}
