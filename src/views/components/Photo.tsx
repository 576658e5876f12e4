import type { PhotoView } from '../model.ts';

export interface PhotoProps {
  photo: PhotoView;
  /** The `sizes` attribute: how wide the image is drawn at each viewport width. */
  sizes: string;
  /** Above-the-fold images load eagerly with high priority; the rest lazily. */
  eager?: boolean;
  class?: string;
}

/**
 * Classes placing a cropped picture (object-fit: cover) on its focal point, in tenths: the
 * site's CSP allows no inline style, so site.css has one rule per step on each axis.
 */
export function focusClasses(photo: Pick<PhotoView, 'focalX' | 'focalY'>): string | undefined {
  const step = (v: number | undefined) => Math.round(Math.min(1, Math.max(0, v ?? 0.5)) * 10);
  const x = step(photo.focalX);
  const y = step(photo.focalY);
  return x === 5 && y === 5 ? undefined : `fx-${x} fy-${y}`;
}

/** A responsive picture: WebP renditions with the original as the fallback. */
export function Photo({ photo, sizes, eager, class: className }: PhotoProps) {
  const focus = focusClasses(photo);
  const classes = [className, focus].filter((c) => c !== undefined && c !== '').join(' ');
  const img = (
    <img
      src={photo.src}
      width={photo.width}
      height={photo.height}
      alt={photo.alt}
      loading={eager ? 'eager' : 'lazy'}
      decoding="async"
      fetchpriority={eager ? 'high' : undefined}
      class={classes === '' ? undefined : classes}
    />
  );
  if (photo.sources.length === 0) return img;
  return (
    <picture>
      <source
        type="image/webp"
        srcset={photo.sources.map((s) => `${s.src} ${s.width}w`).join(', ')}
        sizes={sizes}
      />
      {img}
    </picture>
  );
}
