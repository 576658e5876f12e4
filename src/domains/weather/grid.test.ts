import { describe, expect, it } from 'vitest';
import { toGrid } from './grid.ts';

describe('toGrid (KMA forecast grid)', () => {
  it('matches the published check values', () => {
    expect(toGrid(37.57142, 126.9658)).toEqual({ nx: 60, ny: 127 }); // 서울
    expect(toGrid(33.51411, 126.52969)).toEqual({ nx: 53, ny: 38 }); // 제주
  });

  it('puts the projection origin on its origin cell', () => {
    expect(toGrid(38, 126)).toEqual({ nx: 43, ny: 136 });
  });

  it('moves east and north as longitude and latitude grow', () => {
    const base = toGrid(35, 127);
    expect(toGrid(35, 127.5).nx).toBeGreaterThan(base.nx);
    expect(toGrid(35.5, 127).ny).toBeGreaterThan(base.ny);
  });
});
