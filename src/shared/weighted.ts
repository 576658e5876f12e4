/**
 * Picks one item by weight: weight 3 comes up three times as often as weight 1. `random`
 * is in [0, 1); tests pass a seeded generator, pages pass Math.random.
 */
export function pickByWeight<T extends { weight: number }>(
  candidates: readonly T[],
  random: () => number,
): T | undefined {
  const total = candidates.reduce((sum, c) => sum + Math.max(0, c.weight), 0);
  if (total <= 0) return candidates[0];
  let point = random() * total;
  for (const c of candidates) {
    point -= Math.max(0, c.weight);
    if (point < 0) return c;
  }
  return candidates.at(-1);
}

/** A small seeded generator (mulberry32) for reproducible statistical tests. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
