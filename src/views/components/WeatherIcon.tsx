import { raw } from '../jsx/jsx-runtime.ts';

// Small inline SVGs (no requests, scale with text). Keyed by the sky label the ticker shows.
const SUN =
  '<circle cx="12" cy="12" r="4.5" fill="#f5a623"/><g stroke="#f5a623" stroke-width="1.8" stroke-linecap="round"><path d="M12 2.5v2.2M12 19.3v2.2M2.5 12h2.2M19.3 12h2.2M5.3 5.3l1.6 1.6M17.1 17.1l1.6 1.6M5.3 18.7l1.6-1.6M17.1 6.9l1.6-1.6"/></g>';
const CLOUD = (x: number, y: number, fill: string) =>
  `<path transform="translate(${x} ${y})" d="M7 17h10.5a3.5 3.5 0 0 0 .3-7 5 5 0 0 0-9.6 1.3A3 3 0 0 0 7 17z" fill="${fill}" stroke="#5b6b7a" stroke-width="1"/>`;
const DROPS =
  '<g stroke="#2f7fd1" stroke-width="1.6" stroke-linecap="round"><path d="M9 19.5l-1 2.5M13 19.5l-1 2.5M17 19.5l-1 2.5"/></g>';
const FLAKES =
  '<g fill="#6aa9e9"><circle cx="9" cy="20.5" r="1.2"/><circle cx="13" cy="22" r="1.2"/><circle cx="17" cy="20.5" r="1.2"/></g>';
const HAZE = (colour: string) =>
  `<g stroke="${colour}" stroke-width="1.6" stroke-linecap="round"><path d="M4 9h16M3 13h18M5 17h14"/></g>`;
const FOG = HAZE('#8896a4');
const BOLT = '<path d="M12.5 13.5l-2.5 4h2.5l-1.5 4.5 4.5-6h-2.6l1.6-2.5z" fill="#f5a623"/>';
const WIND =
  '<g fill="none" stroke="#5b6b7a" stroke-width="1.7" stroke-linecap="round"><path d="M3 9h11a2.5 2.5 0 1 0-2.5-2.5M3 13h15a2.5 2.5 0 1 1-2.5 2.5M3 17h8"/></g>';

const ICONS: Record<string, string> = {
  맑음: SUN,
  구름조금: `<g transform="translate(-3 -3) scale(.85)">${SUN}</g>${CLOUD(3, 3, '#fff')}`,
  구름많음: `<g transform="translate(-4 -4) scale(.7)">${SUN}</g>${CLOUD(1, 1, '#e8edf2')}`,
  흐림: `${CLOUD(-3, -2, '#cfd6de')}${CLOUD(2, 1, '#e8edf2')}`,
  비: `${CLOUD(0, -3, '#cfd6de')}${DROPS}`,
  소나기: `${CLOUD(0, -3, '#cfd6de')}${DROPS}`,
  눈: `${CLOUD(0, -3, '#e8edf2')}${FLAKES}`,
  '비/눈': `${CLOUD(0, -3, '#cfd6de')}<g stroke="#2f7fd1" stroke-width="1.6" stroke-linecap="round"><path d="M9 19.5l-1 2.5"/></g><circle cx="14" cy="21" r="1.2" fill="#6aa9e9"/>`,
  이슬비: `${CLOUD(0, -3, '#cfd6de')}<g stroke="#2f7fd1" stroke-width="1.3" stroke-linecap="round"><path d="M9 20v1M13 20v1M17 20v1"/></g>`,
  눈날림: `${WIND.replace('#5b6b7a', '#8fb8e6')}<circle cx="19" cy="19" r="1.2" fill="#6aa9e9"/>`,
  우박: `${CLOUD(0, -3, '#cfd6de')}<g fill="#fff" stroke="#6aa9e9" stroke-width="1"><circle cx="9" cy="20.5" r="1.4"/><circle cx="14" cy="21.5" r="1.4"/></g>`,
  뇌우: `${CLOUD(0, -4, '#cfd6de')}${BOLT}<path d="M8 19.5l-1 2.5" stroke="#2f7fd1" stroke-width="1.6" stroke-linecap="round"/>`,
  뇌전: `${CLOUD(0, -4, '#cfd6de')}${BOLT}`,
  안개: FOG,
  박무: HAZE('#a7b3bf'),
  연무: HAZE('#b9a98f'),
  황사: `${HAZE('#c9a25b')}<g fill="#c9a25b"><circle cx="7" cy="20.5" r=".9"/><circle cx="12" cy="21.5" r=".9"/><circle cx="17" cy="20.5" r=".9"/></g>`,
  돌풍: WIND,
  용오름: `${CLOUD(0, -6, '#cfd6de')}<path d="M9 12h7l-1.5 3h-4zM11 15.5h3l-1 3h-1.2zM12 19h1l-.4 2.5z" fill="#8896a4"/>`,
};

const KNOWN = Object.keys(ICONS);
/** Labels without an icon of their own borrow the 구름많음 one. */
const iconFor = (sky: string): string => (sky in ICONS ? sky : '구름많음');
const symbolId = (sky: string): string => `wx-${Math.max(0, KNOWN.indexOf(iconFor(sky)))}`;

/**
 * One hidden sprite per page with the icons the ticker uses; each place then references it.
 * A page that shows more icons adds a second sprite, `omit`ting those already defined, so
 * no symbol id appears twice.
 */
export function WeatherIconSprite({ skies, omit = [] }: { skies: string[]; omit?: string[] }) {
  const defined = new Set(omit.map(iconFor));
  const used = [...new Set(skies.map(iconFor))].filter((s) => !defined.has(s));
  if (used.length === 0) return raw('');
  const symbols = used
    .map((sky) => `<symbol id="${symbolId(sky)}" viewBox="0 0 24 24">${ICONS[sky] ?? ''}</symbol>`)
    .join('');
  return raw(
    `<svg class="wx-sprite" width="0" height="0" aria-hidden="true" focusable="false">${symbols}</svg>`,
  );
}

export function WeatherIcon({ sky }: { sky: string }) {
  return raw(
    `<svg class="wx-icon" width="20" height="20" aria-hidden="true" focusable="false"><use href="#${symbolId(sky)}"/></svg>`,
  );
}
