import type { PhotoView } from '../model.ts';

export interface PhotoProps {
  photo: PhotoView;
  /** The `sizes` attribute: how wide the image is drawn at each viewport width. */
  sizes: string;
  /** Above-the-fold images load eagerly with high priority; the rest lazily. */
  eager?: boolean;
  class?: string;
}

/** A responsive picture: WebP renditions with the original as the fallback. */
export function Photo({ photo, sizes, eager, class: className }: PhotoProps) {
  const img = (
    <img
      src={photo.src}
      width={photo.width}
      height={photo.height}
      alt={photo.alt}
      loading={eager ? 'eager' : 'lazy'}
      decoding="async"
      fetchpriority={eager ? 'high' : undefined}
      class={className}
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
