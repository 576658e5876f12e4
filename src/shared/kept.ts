import type { Clock } from './clock.ts';

/**
 * A value read from storage that many pages need (the ticker, the running banners), kept
 * in memory until `until(value, readAt)` or until `forget()` is called by a write. A read
 * that fails is not kept; a write during a read makes that read's result not kept.
 */
export function keptValue<T>(
  clock: Clock,
  load: () => Promise<T>,
  until: (value: T, readAt: number) => number,
) {
  let entry: { at: number; until: number; value: Promise<T> } | null = null;
  let generation = 0;
  return {
    get(): Promise<T> {
      const now = clock.now();
      if (entry !== null && now >= entry.at && now < entry.until) return entry.value;
      const readGeneration = generation;
      const value = load();
      const current = { at: now, until: now, value };
      entry = current;
      value.then(
        (v) => {
          if (entry === current && generation === readGeneration) current.until = until(v, now);
        },
        () => {
          if (entry === current) entry = null;
        },
      );
      return value;
    },
    forget(): void {
      generation++;
      entry = null;
    },
  };
}
