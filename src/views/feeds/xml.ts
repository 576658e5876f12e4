import { kstParts } from '../../shared/kst.ts';

/**
 * What every XML document the site writes (feeds, sitemaps) is made of. Every text is
 * escaped and stripped of what XML 1.0 cannot hold at all (C0 controls but tab and
 * newlines, lone surrogates, U+FFFE/U+FFFF), so any title a newsroom typed or imported,
 * `]]>` included, makes a well-formed document. No CDATA: escaping alone is simpler and
 * cannot be broken out of.
 */

// XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF];
// C1 controls are allowed but mean nothing in a title, so they go too.
const NOT_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const XML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Text as XML character data or attribute value. */
export function xmlText(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

/** `<name>text</name>`, the text escaped. */
export const element = (name: string, text: string): string =>
  `<${name}>${xmlText(text)}</${name}>`;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
] as const;
const two = (n: number) => String(n).padStart(2, '0');

/** RFC 822 (as RSS 2.0 wants it) in Korean time: `Tue, 09 Dec 2025 14:00:00 +0900`. */
export function rfc822Kst(ms: number): string {
  const p = kstParts(ms);
  const day = DAYS[new Date(ms + 9 * 3_600_000).getUTCDay()] ?? 'Sun';
  const seconds = new Date(ms).getUTCSeconds();
  return `${day}, ${two(p.day)} ${MONTHS[p.month - 1] ?? 'Jan'} ${p.year} ${two(p.hour)}:${two(p.minute)}:${two(seconds)} +0900`;
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
