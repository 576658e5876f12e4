import { pickByWeight, seededRandom } from '../../shared/weighted.ts';
import type { BannerSlotName, BannerView, ChromeView } from '../model.ts';

/** Third-party tags run script in their own opaque origin: no cookies, no page access. */
const FRAME_SANDBOX = 'allow-scripts allow-popups allow-popups-to-escape-sandbox';

function slotSeed(seed: number, slot: string): number {
  let h = Math.floor(seed * 0x100000000);
  for (let i = 0; i < slot.length; i++) h = Math.imul(h ^ slot.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Slots on screen when the page opens: a lazy image there waits for layout before it is
 * even requested (the bar over a phone's screen was the weather page's LCP, late).
 */
const FIRST_SCREEN: ReadonlySet<BannerSlotName> = new Set([
  'header-top',
  'masthead-side',
  'mobile-sticky',
]);

function Creative({
  banner,
  shown,
  eager,
}: {
  banner: BannerView;
  shown: boolean;
  eager: boolean;
}) {
  if (banner.kind === 'html') {
    const src = `/ad/frame/${banner.id}`;
    // Frames of banners not picked wait for the script to pick them (data-src).
    return (
      <iframe
        title={banner.title}
        src={shown ? src : undefined}
        data-src={shown ? undefined : src}
        width={banner.width}
        height={banner.height}
        sandbox={FRAME_SANDBOX}
        referrerpolicy="no-referrer"
        loading={eager ? undefined : 'lazy'}
      ></iframe>
    );
  }
  return (
    <a href={banner.href} rel="sponsored noopener">
      <img
        src={banner.imageSrc}
        width={banner.width}
        height={banner.height}
        alt={banner.title}
        loading={eager ? undefined : 'lazy'}
        decoding="async"
      />
    </a>
  );
}

/**
 * A banner slot: every banner that may run here on this page, one shown. The site script
 * re-picks by weight for each reader (cached pages still rotate) and reports the
 * impression when the banner is on screen; without script the server's pick shows and a
 * pixel counts it. Renders nothing at all when no campaign runs in the slot.
 */
/**
 * Each slot's landmark name: a screen reader's list of landmarks tells the page's
 * banners apart (axe's landmark-unique), and still says 광고 first.
 */
const SLOT_LABEL: Record<BannerSlotName, string> = {
  'header-top': '광고: 맨 위',
  'masthead-side': '광고: 제호 옆',
  'rail-1': '광고: 사이드 1',
  'rail-2': '광고: 사이드 2',
  'rail-3': '광고: 사이드 3',
  'article-inline': '광고: 본문 중간',
  'above-footer': '광고: 하단',
  'mobile-sticky': '광고: 화면 아래',
};

export function BannerSlot({ chrome, slot }: { chrome: ChromeView; slot: BannerSlotName }) {
  const section = chrome.currentSection ?? null;
  const eligible = (chrome.banners[slot] ?? []).filter(
    (b) => b.sections.length === 0 || (section !== null && b.sections.includes(section)),
  );
  const chosen = pickByWeight(eligible, seededRandom(slotSeed(chrome.bannerSeed, slot)));
  if (chosen === undefined) return null;
  return (
    <aside class={`banner banner-${slot}`} aria-label={SLOT_LABEL[slot]} data-banner-slot={slot}>
      {eligible.map((b) => (
        <div class="banner-item" data-banner-id={b.id} data-weight={b.weight} hidden={b !== chosen}>
          <Creative banner={b} shown={b === chosen} eager={FIRST_SCREEN.has(slot)} />
        </div>
      ))}
      <noscript>
        <img class="banner-pixel" src={`/ad/view?b=${chosen.id}`} alt="" width="1" height="1" />
      </noscript>
      <span class="banner-label">{eligible.every((b) => b.isSample) ? '광고 예시' : '광고'}</span>
      {/* The bar over a phone's screen can be closed for the day (client/site/sticky.ts). */}
      {slot === 'mobile-sticky' ? (
        <button type="button" class="banner-close needs-js" data-banner-close>
          {/* Drawn, not the ✕ character: no Korean font has it, and looking for one that
              does costs every page a round of font lookups before its first layout. */}
          <svg
            class="banner-close-icon"
            aria-hidden="true"
            width="9"
            height="9"
            viewBox="0 0 10 10"
          >
            <path d="M1 1l8 8M9 1l-8 8" stroke="currentColor" stroke-width="1.5" />
          </svg>{' '}
          닫기
        </button>
      ) : null}
    </aside>
  );
}
