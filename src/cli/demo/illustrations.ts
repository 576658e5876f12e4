import sharp from 'sharp';

export type Motif =
  'sea' | 'mountain' | 'city' | 'field' | 'harbor' | 'festival' | 'road' | 'night';

export const ILLUSTRATION_WIDTH = 1200;
export const ILLUSTRATION_HEIGHT = 675;
export const RENDITION_WIDTHS = [480, 960] as const;

const hsl = (h: number, s: number, l: number) => `hsl(${((h % 360) + 360) % 360} ${s}% ${l}%)`;

/** Deterministic pseudo-random numbers, so the same demo always draws the same pictures. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0xffffffff;
  };
}

function motifShapes(motif: Motif, hue: number, rnd: () => number): string {
  const W = ILLUSTRATION_WIDTH;
  const H = ILLUSTRATION_HEIGHT;
  switch (motif) {
    case 'sea': {
      let waves = '';
      for (let i = 0; i < 6; i++) {
        const y = 380 + i * 50;
        waves += `<path d="M0 ${y} Q ${W / 4} ${y - 30} ${W / 2} ${y} T ${W} ${y} V ${H} H 0 Z" fill="${hsl(hue + 190, 60, 35 + i * 6)}" opacity="0.55"/>`;
      }
      return `<circle cx="${300 + rnd() * 600}" cy="180" r="70" fill="${hsl(45, 95, 70)}"/>${waves}`;
    }
    case 'mountain':
      return `<path d="M-50 ${H} L 420 160 L 640 330 L 820 220 L 1260 ${H} Z" fill="${hsl(hue + 120, 30, 30)}"/><path d="M380 205 L420 160 L470 215 Z" fill="#fff" opacity="0.85"/><path d="M0 ${H} L0 520 Q 600 430 1200 540 L1200 ${H} Z" fill="${hsl(hue + 100, 45, 40)}"/>`;
    case 'city': {
      let blocks = '';
      let x = 0;
      while (x < W) {
        const w = 60 + rnd() * 90;
        const h = 150 + rnd() * 300;
        blocks += `<rect x="${x}" y="${H - h}" width="${w - 8}" height="${h}" fill="${hsl(hue + 200, 15, 25 + rnd() * 20)}"/>`;
        for (let wy = H - h + 20; wy < H - 20; wy += 34) {
          blocks += `<rect x="${x + 12}" y="${wy}" width="${w - 32}" height="12" fill="${hsl(50, 90, 75)}" opacity="${(0.25 + rnd() * 0.6).toFixed(2)}"/>`;
        }
        x += w;
      }
      return blocks;
    }
    case 'field': {
      let rows = '';
      for (let i = 0; i < 9; i++) {
        rows += `<path d="M${-200 + i * 40} ${H} L ${W / 2 - 40 + i * 10} 360 L ${W / 2 - 30 + i * 10} 360 L ${-120 + i * 180} ${H} Z" fill="${hsl(hue + 80 + i * 4, 55, 35 + (i % 2) * 10)}"/>`;
      }
      return `<rect y="360" width="${W}" height="${H - 360}" fill="${hsl(hue + 90, 50, 45)}"/>${rows}<circle cx="1000" cy="140" r="55" fill="${hsl(35, 95, 65)}"/>`;
    }
    case 'harbor':
      return `<rect y="430" width="${W}" height="${H - 430}" fill="${hsl(hue + 200, 55, 35)}"/><path d="M380 440 L820 440 L760 520 L440 520 Z" fill="${hsl(hue, 70, 45)}"/><rect x="560" y="300" width="10" height="140" fill="#333"/><path d="M570 300 L700 420 L570 420 Z" fill="#f4f4f4"/><path d="M0 560 Q 300 540 600 560 T 1200 560" stroke="#fff" stroke-width="4" fill="none" opacity="0.5"/>`;
    case 'festival': {
      let lanterns = '';
      for (let i = 0; i < 14; i++) {
        const cx = 60 + i * 82;
        const cy = 150 + Math.sin(i) * 40;
        lanterns += `<line x1="${cx}" y1="0" x2="${cx}" y2="${cy - 30}" stroke="#333" stroke-width="2"/><ellipse cx="${cx}" cy="${cy}" rx="28" ry="36" fill="${hsl(hue + i * 25, 80, 55)}"/>`;
      }
      return `${lanterns}<rect y="520" width="${W}" height="${H - 520}" fill="${hsl(hue + 20, 30, 25)}"/>`;
    }
    case 'road':
      return `<rect y="380" width="${W}" height="${H - 380}" fill="${hsl(hue + 100, 35, 40)}"/><path d="M520 380 L680 380 L1000 ${H} L200 ${H} Z" fill="#3b3f45"/><path d="M597 400 L603 400 L612 460 L588 460 Z M585 500 L615 500 L630 600 L570 600 Z" fill="#f6d44a"/>`;
    case 'night': {
      let stars = '';
      for (let i = 0; i < 60; i++) {
        stars += `<circle cx="${(rnd() * W).toFixed(0)}" cy="${(rnd() * 380).toFixed(0)}" r="${(1 + rnd() * 2).toFixed(1)}" fill="#fff" opacity="${(0.4 + rnd() * 0.6).toFixed(2)}"/>`;
      }
      return `${stars}<circle cx="950" cy="130" r="60" fill="#f3f0d8"/><path d="M0 ${H} L0 500 Q 400 430 800 500 T 1200 480 L1200 ${H} Z" fill="${hsl(hue + 230, 30, 15)}"/>`;
    }
  }
}

/** Draws an original illustration for a demo photo (no real photograph is used). */
export function illustrationSvg(motif: Motif, hue: number, seed: number): string {
  const rnd = random(seed * 2654435761);
  const skyTop = motif === 'night' ? hsl(hue + 230, 45, 12) : hsl(hue + 200, 70, 62);
  const skyBottom = motif === 'night' ? hsl(hue + 260, 40, 28) : hsl(hue + 30, 70, 86);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${ILLUSTRATION_WIDTH}" height="${ILLUSTRATION_HEIGHT}" viewBox="0 0 ${ILLUSTRATION_WIDTH} ${ILLUSTRATION_HEIGHT}">
<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${skyTop}"/><stop offset="1" stop-color="${skyBottom}"/></linearGradient></defs>
<rect width="100%" height="100%" fill="url(#sky)"/>${motifShapes(motif, hue, rnd)}</svg>`;
}

export interface RenderedIllustration {
  jpeg: Buffer;
  webp: Map<number, Buffer>;
}

export async function renderIllustration(
  motif: Motif,
  hue: number,
  seed: number,
): Promise<RenderedIllustration> {
  const svg = Buffer.from(illustrationSvg(motif, hue, seed));
  const base = sharp(svg);
  const jpeg = await base.clone().jpeg({ quality: 78, mozjpeg: true }).toBuffer();
  const webp = new Map<number, Buffer>();
  for (const width of RENDITION_WIDTHS) {
    webp.set(width, await base.clone().resize({ width }).webp({ quality: 72 }).toBuffer());
  }
  return { jpeg, webp };
}

/**
 * A house-advertisement banner as SVG: drawn by the reader's browser with the page's own
 * Korean fonts, so it stays sharp and needs no font on the server.
 */
export function bannerSvg(
  text: string,
  sub: string,
  width: number,
  height: number,
  hue: number,
): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  // Hangul glyphs are about 1em wide: size each line so that it fits the banner's width.
  const big = Math.round(Math.min(height * 0.3, (width * 0.85) / Math.max(6, text.length)));
  const small = Math.round(Math.min(big * 0.6, (width * 0.85) / Math.max(6, sub.length)));
  const font = "'Apple SD Gothic Neo','Noto Sans KR','Noto Sans CJK KR','Malgun Gothic',sans-serif";
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<rect width="100%" height="100%" fill="${hsl(hue, 55, 30)}"/>
<rect x="5" y="5" width="${width - 10}" height="${height - 10}" fill="none" stroke="${hsl(hue, 60, 70)}" stroke-width="2"/>
<text x="50%" y="${(height / 2 - small * 0.15).toFixed(0)}" text-anchor="middle" font-family="${font}" font-weight="700" font-size="${big}" fill="#fff">${esc(text)}</text>
<text x="50%" y="${(height / 2 + small * 1.35).toFixed(0)}" text-anchor="middle" font-family="${font}" font-size="${small}" fill="${hsl(hue, 60, 88)}">${esc(sub)}</text>
</svg>`;
}
