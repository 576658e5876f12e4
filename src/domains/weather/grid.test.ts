import { describe, expect, it } from 'vitest';
import { fromGrid, toGrid } from './grid.ts';
import { defaultPlaces } from './places.ts';

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

  it('puts each of the sixteen ticker stations in the cell whose centre is nearest to it', () => {
    const km = (a: { lat: number; lon: number }, b: { lat: number; lon: number }) => {
      const rad = Math.PI / 180;
      const h =
        Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 +
        Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
      return 2 * 6371.00877 * Math.asin(Math.sqrt(h));
    };
    const cells = new Set<string>();
    for (const place of defaultPlaces) {
      const { nx, ny } = toGrid(place.lat, place.lon);
      // Inside KMA's 149 × 253 grid, and no farther from the centre than half a cell's diagonal.
      expect(nx, place.name).toBeGreaterThanOrEqual(1);
      expect(nx, place.name).toBeLessThanOrEqual(149);
      expect(ny, place.name).toBeGreaterThanOrEqual(1);
      expect(ny, place.name).toBeLessThanOrEqual(253);
      expect(km(place, fromGrid(nx, ny)), place.name).toBeLessThan(3.6);
      cells.add(`${nx},${ny}`);
    }
    expect(cells.size).toBe(16);
    expect(toGrid(35.10468, 129.03203)).toEqual({ nx: 97, ny: 74 }); // 부산 station
  });

  it('inverts: a cell centre converts back to the same cell', () => {
    for (const [nx, ny] of [
      [60, 127],
      [53, 38],
      [1, 1],
      [149, 253],
      [43, 136],
    ] as const) {
      const { lat, lon } = fromGrid(nx, ny);
      expect(toGrid(lat, lon)).toEqual({ nx, ny });
    }
  });
});
