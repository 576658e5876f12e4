import { describe, expect, it } from 'vitest';
import { CountBuffer } from './count-buffer.ts';

describe('CountBuffer', () => {
  it('adds per key, drains everything once, and takes failed writes back', () => {
    const buffer = new CountBuffer();
    buffer.add('a');
    buffer.add('a');
    buffer.add('b', 5);
    expect(buffer.size).toBe(2);
    const first = buffer.drain();
    expect([...first]).toEqual([
      ['a', 2],
      ['b', 5],
    ]);
    expect(buffer.size).toBe(0);
    buffer.add('a');
    buffer.restore(first);
    expect([...buffer.drain()]).toEqual([
      ['a', 3],
      ['b', 5],
    ]);
  });
});
