import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  ASOS_STATIONS,
  asosStation,
  gridPlace,
  MAX_PLACES,
  STALE_AFTER_MS,
  stationPlace,
  type PlaceTest,
  type RefreshReport,
  type WeatherPlace,
} from '../../../domains/weather/index.ts';
import type { Clock } from '../../../shared/clock.ts';
import { AppError } from '../../../shared/errors.ts';
import { formatKstHour, kstParts } from '../../../shared/kst.ts';
import type { WeatherDeps } from '../deps.ts';
import { asForm, field } from '../forms.ts';
import type { AdminKit } from '../kit.ts';
import type { AdminScreen } from '../screen.ts';
import { renderWeatherAdmin, type WeatherAdminView } from './weather.view.tsx';

const SOURCE_LABELS = {
  hub: '기상청 API 허브 (지상관측)',
  portal: '공공데이터포털 (초단기실황)',
  forecast: '공공데이터포털 (단기예보)',
} as const;

const minuteText = (at: number) => {
  const t = kstParts(at);
  return `${t.month}월 ${t.day}일 ${t.hour}:${String(t.minute).padStart(2, '0')}`;
};

const reading = (sky: string | null, temperature: number | null) =>
  [sky, temperature === null ? null : `${temperature.toFixed(1)}℃`]
    .filter((s) => s !== null)
    .join(' ');

/** The newsroom's weather settings: sources, the ticker's places, "test now". */
function weatherRoutes(admin: FastifyInstance, kit: AdminKit, deps: WeatherDeps, clock: Clock) {
  const { weather, sources } = deps;

  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Pick<WeatherAdminView, 'test' | 'report' | 'error' | 'values'> = {},
    status = 200,
  ) {
    const [places, stored, statuses] = await Promise.all([
      weather.places(),
      weather.observations(),
      weather.sourceStatus(),
    ]);
    const now = clock.now();
    const listed = new Set(places.flatMap((p) => (p.kind === 'station' ? [p.station] : [])));
    const view: WeatherAdminView = {
      refreshMinutes: deps.refreshMinutes,
      maxPlaces: MAX_PLACES,
      sources: (['hub', 'portal', 'forecast'] as const).map((source) => {
        const s = statuses.find((x) => x.source === source);
        return {
          label: SOURCE_LABELS[source],
          configured: source === 'hub' ? deps.keys.hub : deps.keys.portal,
          attempted: s ? minuteText(s.attemptedAt) : null,
          succeeded: s?.succeededAt ? minuteText(s.succeededAt) : null,
          observed: s?.observedAt ? formatKstHour(s.observedAt) : null,
          error: s?.error ?? null,
        };
      }),
      places: places.map((p) => {
        const o = stored.get(p.id);
        return {
          id: p.id,
          name: p.name,
          where:
            p.kind === 'station'
              ? `ASOS ${p.station}`
              : `격자 ${p.nx},${p.ny} (${p.lat.toFixed(4)}, ${p.lon.toFixed(4)})`,
          reading: o ? `${reading(o.sky, o.temperature)} · ${formatKstHour(o.observedAt)}` : null,
          note:
            o === undefined
              ? null
              : o.source === 'sample'
                ? '예시 자료'
                : now - o.observedAt > STALE_AFTER_MS
                  ? '3시간 넘게 지나 날씨 띠에서 뺌'
                  : null,
        };
      }),
      stations: ASOS_STATIONS.filter((s) => !listed.has(s.station)).map((s) => ({
        station: s.station,
        name: s.name,
      })),
      ...extra,
    };
    return kit.html(reply, renderWeatherAdmin(kit.chrome(request), view), status);
  }

  async function placeOf(request: FastifyRequest): Promise<WeatherPlace> {
    const id = field(asForm(request.body), 'place');
    const place = (await weather.places()).find((p) => p.id === id);
    if (place === undefined) throw new AppError('NOT_FOUND', '목록에 없는 장소입니다.');
    return place;
  }

  admin.get('', async (request, reply) => {
    return page(request, reply);
  });

  admin.post('/places', async (request, reply) => {
    const form = asForm(request.body);
    const values = {
      station: field(form, 'station'),
      name: field(form, 'name'),
      lat: field(form, 'lat').trim(),
      lon: field(form, 'lon').trim(),
    };
    return kit.form(
      reply,
      async () => {
        await weather.addPlace(newPlace(field(form, 'kind'), values));
        return '/admin/weather?ok=weather';
      },
      (failure) => page(request, reply, { error: failure.message, values }, failure.status),
    );
  });

  admin.post('/places/move', async (request, reply) => {
    const place = await placeOf(request);
    await weather.movePlace(place.id, field(asForm(request.body), 'dir') === 'up' ? -1 : 1);
    return kit.back(reply, '/admin/weather?ok=weather');
  });

  admin.post('/places/remove', async (request, reply) => {
    const place = await placeOf(request);
    await weather.removePlace(place.id);
    return kit.back(reply, '/admin/weather?ok=weather');
  });

  admin.post('/places/test', async (request, reply) => {
    const place = await placeOf(request);
    return page(request, reply, { test: testView(await sources.testPlace(place)) });
  });

  admin.post('/refresh', async (request, reply) => {
    if (!sources.configured) {
      return page(
        request,
        reply,
        { error: '기상청 키가 설정되지 않아 새로 받을 수 없습니다.' },
        400,
      );
    }
    const report: RefreshReport = await sources.refresh({ force: true });
    return page(request, reply, {
      report: report.sources.map((s) => ({
        label: SOURCE_LABELS[s.source],
        ok: s.ok,
        message: s.message,
      })),
    });
  });
}

function newPlace(kind: string, values: Record<string, string>): WeatherPlace {
  if (kind === 'station') {
    const station = /^\d{1,4}$/.test(values.station ?? '')
      ? asosStation(Number(values.station))
      : undefined;
    if (station === undefined)
      throw new AppError('INVALID_INPUT', '목록에 있는 관측 지점을 고르세요.');
    return stationPlace(station);
  }
  const name = (values.name ?? '').trim();
  if (name === '') throw new AppError('INVALID_INPUT', '장소 이름을 쓰세요.');
  const lat = coordinate(values.lat, '위도', 32, 39.5);
  const lon = coordinate(values.lon, '경도', 124, 132);
  return gridPlace(name, lat, lon);
}

/** KMA's grid covers the Korean peninsula and its seas; outside it there is no forecast. */
function coordinate(text: string | undefined, label: string, min: number, max: number): number {
  const value = /^-?\d{1,3}(\.\d{1,8})?$/.test(text ?? '') ? Number(text) : NaN;
  if (Number.isNaN(value)) {
    throw new AppError('INVALID_INPUT', `${label}는 33.2541처럼 숫자로 쓰세요.`);
  }
  if (value < min || value > max) {
    throw new AppError(
      'INVALID_INPUT',
      `${label}는 ${min}에서 ${max} 사이여야 합니다(기상청 예보 격자 범위).`,
    );
  }
  return value;
}

function testView(result: PlaceTest): NonNullable<WeatherAdminView['test']> {
  if (!result.ok) {
    return {
      placeName: result.place.name,
      ok: false,
      summary: `실패: ${result.error}`,
      details: [],
    };
  }
  const what = reading(result.sky, result.temperature);
  return {
    placeName: result.place.name,
    ok: true,
    summary: `${what === '' ? '값 없음' : what} · ${formatKstHour(result.observedAt)} 기준${
      result.sky === null ? ' (하늘 상태 없음: 날씨 띠에는 기온만 나옵니다)' : ''
    }`,
    details: result.details,
  };
}

/** 날씨: where the ticker's readings come from and which places it shows. */
export const weatherScreen: AdminScreen = {
  name: 'weather',
  prefix: '/weather',
  permission: 'settings.manage',
  nav: { label: '날씨', order: 90 },
  flash: { weather: '날씨 띠 장소를 저장했습니다.' },
  enabled: (deps) => deps.weather !== undefined,
  routes(screen, kit, deps) {
    if (deps.weather !== undefined) weatherRoutes(screen, kit, deps.weather, deps.clock);
  },
};
