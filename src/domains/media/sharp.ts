import type sharpFunction from 'sharp';

export type Sharp = typeof sharpFunction;

let loading: Promise<Sharp> | null = null;

/**
 * sharp, loaded on first use. libvips and its libraries cost about 26 MB resident once
 * loaded (measured: 42 → 68 MB for a bare node process), which a process that never
 * touches an image should not carry: the cluster primary, and workers serving pages.
 */
export function loadSharp(): Promise<Sharp> {
  loading ??= import('sharp').then((module) => module.default);
  return loading;
}
