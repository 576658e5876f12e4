import type { Section } from './types.ts';

/** A section and its visible descendants: a parent section lists its children's articles too. */
export function withDescendants(all: readonly Section[], root: Section): number[] {
  const ids = [root.id];
  for (let i = 0; i < ids.length; i++) {
    for (const s of all) if (s.parentId === ids[i] && !s.hidden) ids.push(s.id);
  }
  return ids;
}
