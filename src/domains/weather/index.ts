export {
  createWeatherStore,
  STALE_AFTER_MS,
  type WeatherStore,
  type WeatherTicker,
  type TickerPlace,
} from './store.ts';
export { defaultPlaces, type WeatherPlace } from './places.ts';
export { toGrid, type GridPoint } from './grid.ts';
