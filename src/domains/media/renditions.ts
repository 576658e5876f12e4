/** The WebP rendition key for a width, stored beside the original. */
export function renditionKey(key: string, width: number): string {
  return key.replace(/\.[a-z]+$/, `-${width}.webp`);
}

export function parseVariants(variants: string): number[] {
  return variants
    .split(',')
    .map((w) => Number(w))
    .filter((w) => Number.isInteger(w) && w > 0)
    .sort((a, b) => a - b);
}
