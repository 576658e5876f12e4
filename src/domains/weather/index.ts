export {
  createWeatherStore,
  STALE_AFTER_MS,
  MAX_PLACES,
  type WeatherStore,
  type WeatherTicker,
  type TickerPlace,
  type SourceStatus,
  type StoredObservation,
  type StoredForecast,
} from './store.ts';
export {
  createWeatherRefresher,
  type WeatherRefresher,
  type WeatherSourcesConfig,
  type RefreshReport,
  type SourceReport,
  type PlaceTest,
} from './refresher.ts';
export {
  ASOS_STATIONS,
  asosStation,
  defaultPlaces,
  gridPlace,
  stationPlace,
  type AsosStation,
  type WeatherPlace,
} from './places.ts';
export { toGrid, type GridPoint } from './grid.ts';
export { SKY_LABELS } from './sky.ts';
export { gridSky } from './sky.ts';
export type { ForecastDay, ForecastHour } from './portal.ts';
