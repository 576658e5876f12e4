import { describe, expect, it } from 'vitest';
import { FingerprintSet } from './fingerprints.ts';

describe('FingerprintSet', () => {
  it('remembers fingerprints across growth and forgets them on clear', () => {
    const set = new FingerprintSet(10_000, 4);
    for (let i = 0; i < 5000; i++) expect(set.add(i * 2654435761, i)).toBe(true);
    expect(set.size).toBe(5000);
    for (let i = 0; i < 5000; i++) expect(set.add(i * 2654435761, i)).toBe(false);
    // All-zero and colliding slots are still told apart by the other half.
    expect(set.add(0xffffffff, 0)).toBe(true);
    expect(set.add(0xffffffff, 0)).toBe(false);
    expect(set.has(0xffffffff, 2)).toBe(false);
    expect(set.add(0xffffffff, 2)).toBe(true);
    expect(set.has(0xffffffff, 2)).toBe(true);
    set.clear();
    expect(set.size).toBe(0);
    expect(set.add(3 * 2654435761, 3)).toBe(true);
  });

  it('says when it is full and refuses more', () => {
    const set = new FingerprintSet(2);
    set.add(1, 1);
    expect(set.full).toBe(false);
    set.add(2, 2);
    expect(set.full).toBe(true);
    expect(set.add(1, 1)).toBe(false);
    expect(() => set.add(3, 3)).toThrow('full');
  });
});
