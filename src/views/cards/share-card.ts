import { xmlText } from '../feeds/xml.ts';

/**
 * The card a share shows when an article has no photo: the paper's mark and name, the
 * title in large type, the site's address. An SVG that sharp turns into a PNG through
 * librsvg, which draws text with whatever fonts fontconfig finds: a Korean font
 * (fonts-noto-cjk) must be installed for the title to be drawn, and without one the card
 * leaves text out rather than show boxes (`text: false`).
 */

export interface ShareCardProps {
  width: number;
  height: number;
  paperName: string;
  /** The article's title; absent for the paper's own card. */
  title?: string | undefined;
  /** The site's host, printed at the bottom. */
  host: string;
  /** A font that can draw Korean is installed. */
  text: boolean;
}

const FONT =
  "'Noto Sans CJK KR', 'Noto Sans KR', 'Apple SD Gothic Neo', 'Malgun Gothic', 'NanumGothic', sans-serif";

/** Estimated advance of one character, in ems (Hangul and other wide script take a full em). */
function advance(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  if (char === ' ') return 0.28;
  if (code >= 0x1100 && (code <= 0x115f || code >= 0x2e80)) return 1;
  if (/[A-Z0-9%@#&]/.test(char)) return 0.66;
  if (/[a-z]/.test(char)) return 0.56;
  return 0.4;
}

const widthOf = (text: string) => [...text].reduce((sum, c) => sum + advance(c), 0);

/**
 * Lines of at most `maxEms` ems, breaking at spaces where it can and inside a word (as
 * Korean typesetting allows) where it must; at most `maxLines`, the last one cut with `…`.
 */
export function wrapTitle(title: string, maxEms: number, maxLines: number): string[] {
  const words = title.replace(/\s+/g, ' ').trim().split(' ');
  const lines: string[] = [];
  let line = '';
  const push = () => {
    lines.push(line);
    line = '';
  };
  for (const word of words) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (widthOf(candidate) <= maxEms) {
      line = candidate;
      continue;
    }
    if (line !== '' && widthOf(word) <= maxEms) {
      push();
      line = word;
      continue;
    }
    // A word longer than what is left: break it between characters.
    for (const char of [...(line === '' ? word : ` ${word}`)]) {
      if (widthOf(line + char) > maxEms) push();
      line = line === '' && char === ' ' ? '' : line + char;
    }
  }
  if (line !== '') push();
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  let last = kept[maxLines - 1] ?? '';
  while (last !== '' && widthOf(`${last}…`) > maxEms) last = [...last].slice(0, -1).join('');
  kept[maxLines - 1] = `${last.trimEnd()}…`;
  return kept;
}

/** The paper's mark (the favicon's mountain and sun), `size` px square. */
function mark(x: number, y: number, size: number): string {
  const s = size / 64;
  return (
    `<g transform="translate(${x} ${y}) scale(${s})">` +
    '<rect width="64" height="64" rx="12" fill="#ffffff"/>' +
    '<path d="M10 46 L26 22 L36 36 L42 28 L54 46 Z" fill="#0b4a8b"/>' +
    '<circle cx="45" cy="17" r="6" fill="#f6c343"/></g>'
  );
}

/**
 * Pictographs (emoji) and their joiners: fonts for Korean have none, and librsvg would draw
 * a box with the code point in it.
 */
const NOT_DRAWN = /\p{Extended_Pictographic}|\u200d|\ufe0e|\ufe0f/gu;

const text = (x: number, y: number, size: number, weight: number, fill: string, body: string) =>
  `<text x="${x}" y="${y}" font-family="${xmlText(FONT)}" font-size="${size}" font-weight="${weight}" fill="${fill}">${xmlText(body)}</text>`;

export function renderShareCardSvg(props: ShareCardProps): string {
  const { width, height } = props;
  const pad = 72;
  const markSize = 64;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    '<defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">',
    '<stop offset="0" stop-color="#0b4a8b"/><stop offset="1" stop-color="#062a52"/>',
    '</linearGradient></defs>',
    `<rect width="${width}" height="${height}" fill="url(#bg)"/>`,
    `<rect x="0" y="${height - 12}" width="${width}" height="12" fill="#f6c343"/>`,
  ];
  const title = (props.title ?? '').replace(NOT_DRAWN, '').replace(/\s+/g, ' ').trim();
  if (!props.text) {
    // No font for Korean: the mark alone, large, rather than a row of boxes.
    const size = Math.round(Math.min(width, height) * 0.42);
    parts.push(mark((width - size) / 2, (height - size) / 2, size));
  } else if (title === '') {
    // The paper's own card: its mark and name, large.
    const size = 112;
    parts.push(mark(pad, Math.round(height / 2 - size - 28), size));
    parts.push(text(pad, Math.round(height / 2 + 100), 104, 700, '#ffffff', props.paperName));
    parts.push(text(pad, height - pad + 8, 30, 400, '#c9dcf2', props.host));
  } else {
    parts.push(mark(pad, pad - 8, markSize));
    parts.push(text(pad + markSize + 24, pad + 40, 44, 700, '#ffffff', props.paperName));
    const top = pad + markSize + 48;
    const bottom = height - pad - 40;
    const size = width >= height * 1.5 ? 64 : 76;
    const leading = Math.round(size * 1.32);
    const maxLines = Math.max(1, Math.floor((bottom - top) / leading));
    const lines = wrapTitle(title, (width - pad * 2) / size, maxLines);
    // Centred in the space between the name and the address.
    const first = top + (bottom - top - lines.length * leading) / 2 + size;
    lines.forEach((line, i) => {
      parts.push(text(pad, Math.round(first + i * leading), size, 700, '#ffffff', line));
    });
    parts.push(text(pad, height - pad + 8, 30, 400, '#c9dcf2', props.host));
  }
  parts.push('</svg>');
  return parts.join('');
}

/** The paper's square logo for `publisher.logo`: the favicon's mark. */
export function renderLogoSvg(size: number): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 64 64">` +
    '<rect width="64" height="64" rx="12" fill="#0b4a8b"/>' +
    '<path d="M10 46 L26 22 L36 36 L42 28 L54 46 Z" fill="#fff"/>' +
    '<circle cx="45" cy="17" r="6" fill="#f6c343"/></svg>'
  );
}
