import type { BannerSlotName, BannerView, ChromeView } from '../model.ts';

/** A banner slot: renders nothing at all when no campaign runs in it. */
export function BannerSlot({ chrome, slot }: { chrome: ChromeView; slot: BannerSlotName }) {
  const banner: BannerView | undefined = chrome.banners[slot];
  if (banner === undefined) return null;
  return (
    <aside class={`banner banner-${slot}`} aria-label="배너">
      <a href={banner.href} rel={banner.href.startsWith('/') ? undefined : 'sponsored noopener'}>
        <img
          src={banner.imageSrc}
          width={banner.width}
          height={banner.height}
          alt={banner.title}
          loading="lazy"
          decoding="async"
        />
      </a>
      <span class="banner-label">{banner.isSample ? '광고 예시' : '광고'}</span>
    </aside>
  );
}
