import { describe, expect, it } from 'vitest';
import { SearchTimeout } from './backends.ts';
import { createGate } from './service.ts';

describe('the search gate', () => {
  it('runs so many at once, the rest in order, and gives up on a wait past its deadline', async () => {
    const gate = createGate(1);
    const started: string[] = [];
    let finishFirst = () => {};
    const first = gate(Date.now() + 1_000, async () => {
      started.push('first');
      await new Promise<void>((resolve) => (finishFirst = resolve));
      return 1;
    });
    const impatient = gate(Date.now() + 20, async () => {
      started.push('impatient');
      return 2;
    });
    const second = gate(Date.now() + 1_000, async () => {
      started.push('second');
      return 3;
    });
    await expect(impatient).rejects.toBeInstanceOf(SearchTimeout);
    expect(started).toEqual(['first']);
    finishFirst();
    expect(await first).toBe(1);
    expect(await second).toBe(3);
    expect(started).toEqual(['first', 'second']);
    // A failed task frees its slot too.
    await expect(
      gate(Date.now() + 1_000, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await gate(Date.now() + 1_000, async () => 4)).toBe(4);
  });
});
