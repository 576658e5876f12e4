import { invalidInput } from '../../shared/errors.ts';
import { VOID_ELEMENTS } from '../../shared/html.ts';

/** Deeper nesting than this is refused: real articles stay under ten levels. */
export const MAX_BODY_DEPTH = 40;
/** More elements than this are refused: a 2,000,000-character body of short, richly marked-up paragraphs has ~150,000. */
export const MAX_BODY_ELEMENTS = 200_000;

// Tags a browser closes when the same tag opens again (<p>one<p>two): old archives rely on it.
const SELF_CLOSING_SIBLINGS = new Set(['p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'option']);

const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?(\/?)>/g;

/**
 * One linear pass over the tags, before the sanitizer sees the HTML: the sanitizer's cost
 * grows with nesting (300 KB of `<b>` held the server 4 s), so bodies nested deeper than
 * MAX_BODY_DEPTH or with more than MAX_BODY_ELEMENTS elements are refused with a message
 * the writer can act on. Closing tags are matched against the open ones (at most
 * MAX_BODY_DEPTH of them), so the pass stays linear.
 */
export function checkBodyStructure(html: string): void {
  const open: string[] = [];
  let elements = 0;
  for (const match of html.matchAll(TAG)) {
    const name = (match[2] ?? '').toLowerCase();
    if (match[1] === '/') {
      const at = open.lastIndexOf(name);
      if (at !== -1) open.length = at;
      continue;
    }
    elements++;
    if (elements > MAX_BODY_ELEMENTS)
      throw bodyError(
        `본문의 요소가 너무 많습니다 (${MAX_BODY_ELEMENTS.toLocaleString('ko-KR')}개 초과). 기사를 나누어 저장하세요.`,
      );
    if (VOID_ELEMENTS.has(name) || match[3] === '/') continue;
    if (SELF_CLOSING_SIBLINGS.has(name) && open.at(-1) === name) continue;
    open.push(name);
    if (open.length > MAX_BODY_DEPTH)
      throw bodyError(
        `본문의 서식이 너무 깊게 겹쳐 있습니다 (${MAX_BODY_DEPTH}단계 초과). 서식을 지우고 다시 저장하세요.`,
      );
  }
}

/** A refusal of the body, marked on the editor's body field. */
export function bodyError(message: string) {
  return invalidInput(message, { fields: { bodyHtml: message } });
}
