import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.ts';
import { keptValue } from './kept.ts';

describe('keptValue', () => {
  it('keeps a value until its time, reloads after, and forgets on demand', async () => {
    const clock = new ManualClock(1000);
    let loads = 0;
    const kept = keptValue(
      clock,
      async () => ++loads,
      (_v, at) => at + 100,
    );
    expect(await kept.get()).toBe(1);
    expect(await kept.get()).toBe(1);
    clock.advance(99);
    expect(await kept.get()).toBe(1);
    clock.advance(1);
    expect(await kept.get()).toBe(2);
    kept.forget();
    expect(await kept.get()).toBe(3);
  });

  it('does not keep a failed read, nor a read that a write overtook', async () => {
    const clock = new ManualClock(0);
    let n = 0;
    let fail = true;
    const kept = keptValue(
      clock,
      async () => {
        n++;
        if (fail) throw new Error('down');
        return n;
      },
      () => Number.POSITIVE_INFINITY,
    );
    await expect(kept.get()).rejects.toThrow('down');
    fail = false;
    const pending = kept.get();
    kept.forget(); // a write lands while the read is in flight
    expect(await pending).toBe(2);
    expect(await kept.get()).toBe(3);
    expect(await kept.get()).toBe(3);
  });
});
