import { diffArrays, diffWordsWithSpace } from 'diff';
import { htmlToText } from '../../shared/text.ts';

/**
 * What changed between two revisions of a field, for the revision screen. Word diffs cost
 * the square of the text in the worst case (two unrelated 8,000-word bodies took 22 s and
 * held every reader's page meanwhile), so the work is bounded: word by word for texts up
 * to WORD_DIFF_MAX_CHARS, paragraph by paragraph beyond that or when the word diff gives
 * up, and a plain "too different to compare" when the paragraph diff gives up as well.
 * Each step stops after STEP_TIMEOUT_MS, so a comparison holds the event loop for tens of
 * milliseconds at most.
 */
export interface FieldDiff {
  field: string;
  /** 'words' or 'paragraphs' when parts were computed; 'too-large' when they were not. */
  granularity: 'words' | 'paragraphs' | 'too-large';
  parts: DiffPart[];
  beforeChars: number;
  afterChars: number;
}

export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** Above this many characters (both sides together) words are not compared. */
export const WORD_DIFF_MAX_CHARS = 100_000;
/** Each diff step gives up after this long. */
export const STEP_TIMEOUT_MS = 25;
/** More paragraphs than this on either side are not compared. */
const PARAGRAPH_DIFF_MAX = 20_000;

const PARAGRAPH_BREAK = '\n\n';

export function compareText(field: string, before: string, after: string): FieldDiff {
  return compareParagraphs(field, [before], [after]);
}

/** Title-like fields as text; bodies as stored HTML, compared paragraph-aware. */
export function compareBodyHtml(field: string, beforeHtml: string, afterHtml: string): FieldDiff {
  return compareParagraphs(field, paragraphsOf(beforeHtml), paragraphsOf(afterHtml));
}

function paragraphsOf(html: string): string[] {
  const out: string[] = [];
  for (const block of html.split(/<\/(?:p|h[1-6]|li|blockquote|figure|table)>/i)) {
    const text = htmlToText(block);
    if (text !== '') out.push(text);
  }
  return out;
}

function compareParagraphs(field: string, before: string[], after: string[]): FieldDiff {
  const beforeText = before.join(PARAGRAPH_BREAK);
  const afterText = after.join(PARAGRAPH_BREAK);
  const base = { field, beforeChars: beforeText.length, afterChars: afterText.length };
  if (beforeText === afterText) return { ...base, granularity: 'words', parts: same(beforeText) };

  if (beforeText.length + afterText.length <= WORD_DIFF_MAX_CHARS) {
    const words = diffWordsWithSpace(beforeText, afterText, { timeout: STEP_TIMEOUT_MS });
    if (words !== undefined) return { ...base, granularity: 'words', parts: words.map(toPart) };
  }
  if (before.length <= PARAGRAPH_DIFF_MAX && after.length <= PARAGRAPH_DIFF_MAX) {
    const paragraphs = diffArrays(before, after, { timeout: STEP_TIMEOUT_MS });
    if (paragraphs !== undefined) {
      const parts: DiffPart[] = [];
      for (const change of paragraphs) {
        const kind = change.added ? 'added' : change.removed ? 'removed' : 'same';
        const text = change.value.join(PARAGRAPH_BREAK);
        if (parts.length > 0) parts.push({ kind: 'same', text: PARAGRAPH_BREAK });
        parts.push({ kind, text });
      }
      return { ...base, granularity: 'paragraphs', parts };
    }
  }
  return { ...base, granularity: 'too-large', parts: [] };
}

function same(text: string): DiffPart[] {
  return text === '' ? [] : [{ kind: 'same', text }];
}

function toPart(change: { added: boolean; removed: boolean; value: string }): DiffPart {
  return {
    kind: change.added ? 'added' : change.removed ? 'removed' : 'same',
    text: change.value,
  };
}
