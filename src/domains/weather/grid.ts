/**
 * KMA's forecast grid (동네예보 격자): a Lambert conformal conic projection with 5 km cells.
 * The constants are KMA's own; rounding is floor(x + 0.5), as KMA does, so points on a
 * cell boundary land where KMA puts them.
 */
const RE = 6371.00877; // earth radius, km
const GRID = 5.0; // cell size, km
const SLAT1 = 30.0; // standard parallels
const SLAT2 = 60.0;
const OLON = 126.0; // origin
const OLAT = 38.0;
const XO = 43; // origin cell
const YO = 136;

const DEGRAD = Math.PI / 180;

const re = RE / GRID;
const slat1 = SLAT1 * DEGRAD;
const slat2 = SLAT2 * DEGRAD;
const olon = OLON * DEGRAD;
const olat = OLAT * DEGRAD;
const sn =
  Math.log(Math.cos(slat1) / Math.cos(slat2)) /
  Math.log(Math.tan(Math.PI * 0.25 + slat2 * 0.5) / Math.tan(Math.PI * 0.25 + slat1 * 0.5));
const sf = (Math.tan(Math.PI * 0.25 + slat1 * 0.5) ** sn * Math.cos(slat1)) / sn;
const ro = (re * sf) / Math.tan(Math.PI * 0.25 + olat * 0.5) ** sn;

export interface GridPoint {
  nx: number;
  ny: number;
}

/** The grid cell (nx, ny) of a latitude/longitude in degrees. */
export function toGrid(lat: number, lon: number): GridPoint {
  const ra = (re * sf) / Math.tan(Math.PI * 0.25 + lat * DEGRAD * 0.5) ** sn;
  let theta = lon * DEGRAD - olon;
  if (theta > Math.PI) theta -= 2 * Math.PI;
  if (theta < -Math.PI) theta += 2 * Math.PI;
  theta *= sn;
  return {
    nx: Math.floor(ra * Math.sin(theta) + XO + 0.5),
    ny: Math.floor(ro - ra * Math.cos(theta) + YO + 0.5),
  };
}

/** The latitude/longitude of a grid cell's centre: KMA's inverse of the same projection. */
export function fromGrid(nx: number, ny: number): { lat: number; lon: number } {
  const xn = nx - XO;
  const yn = ro - ny + YO;
  let ra = Math.sqrt(xn * xn + yn * yn);
  if (sn < 0) ra = -ra;
  const alat = 2 * Math.atan(((re * sf) / ra) ** (1 / sn)) - Math.PI * 0.5;
  let theta: number;
  if (Math.abs(xn) <= 0) theta = 0;
  else if (Math.abs(yn) <= 0) theta = Math.PI * 0.5 * Math.sign(xn);
  else theta = Math.atan2(xn, yn);
  const alon = theta / sn + olon;
  return { lat: alat / DEGRAD, lon: alon / DEGRAD };
}
