import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type DatabaseHandle } from '../../db/index.ts';
import { tag } from '../../shared/cache-tags.ts';
import { ManualClock } from '../../shared/clock.ts';
import { freshDatabase, testDialects } from '../../testing/databases.ts';
import { asosStation, createWeatherStore, stationPlace } from './index.ts';

const NOW = Date.UTC(2025, 11, 9, 5, 0);

describe.each(testDialects)('weather store announcements on %s', (dialect) => {
  let handle: DatabaseHandle;

  beforeEach(async () => {
    handle = await freshDatabase(dialect);
    await migrateToLatest(handle);
  });
  afterEach(async () => {
    await handle.close();
  });

  it('announces place list and sample changes as tag.weather, never *; KMA readings quietly', async () => {
    const heard: (readonly string[])[] = [];
    const store = createWeatherStore({
      db: handle.db,
      clock: new ManualClock(NOW),
      onChange: (tags) => void heard.push(tags),
    });
    const before = (await store.places()).length;
    const station = asosStation(184);
    if (station === undefined) throw new Error('ASOS 184 (제주) is missing from the list');
    const place = { ...stationPlace(station), id: 'test-place', name: '시험 지점' };
    await store.addPlace(place);
    await store.movePlace(place.id, -1);
    await store.saveObservations([
      { place, sky: '맑음', temperature: 3.1, observedAt: NOW - 60_000, source: 'kma-hub' },
    ]);
    await store.saveForecast({ region: '제주', nx: 53, ny: 38, baseAt: NOW, days: [] });
    await store.storeSample();
    await store.removePlace(place.id);
    // add, move, sample, remove: the readings and the forecast wait for pages to expire.
    expect(heard).toEqual(Array.from({ length: 4 }, () => [tag.weather]));
    expect((await store.places()).length).toBe(before);
  });
});
