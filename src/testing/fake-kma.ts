import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for KMA that speaks its real protocols over HTTP on 127.0.0.1: the API
 * hub's kma_sfctm2.php text and the data portal's VilageFcstInfoService_2.0 JSON. Each
 * answer can be switched to a failure mode per test.
 */

const FIELDS = [
  'TM', 'STN', 'WD', 'WS', 'GST_WD', 'GST_WS', 'GST_TM', 'PA', 'PS', 'PT', 'PR', 'TA', 'TD',
  'HM', 'PV', 'RN', 'RN_DAY', 'RN_JUN', 'RN_INT', 'SD_HR3', 'SD_DAY', 'SD_TOT', 'WC', 'WP',
  'WW', 'CA_TOT', 'CA_MID', 'CH_MIN', 'CT', 'CT_TOP', 'CT_MID', 'CT_LOW', 'VS', 'SS', 'SI',
  'ST_GD', 'TS', 'TE_005', 'TE_01', 'TE_02', 'TE_03', 'ST_SEA', 'WH', 'BF', 'IR', 'IX',
] as const; // prettier-ignore

export type HubField = (typeof FIELDS)[number];

/** One data row: 46 fields, missing ones as KMA writes them. */
export function hubRow(values: Partial<Record<HubField, string | number>>): string {
  return FIELDS.map((f) => String(values[f] ?? (f === 'WW' || f === 'CT' ? '-' : '-9'))).join(' ');
}

/** A whole kma_sfctm2 answer around the given rows. */
export function hubBody(rows: string[]): string {
  return [
    '#START7777',
    '#--------------------------------------------------------------------------------------------------',
    '#  기상청 지상관측 시간자료 [입력인수형태][예] ?tm=201007151200&stn=0&help=1',
    '#--------------------------------------------------------------------------------------------------',
    `# ${FIELDS.join(' ')}`,
    ...rows,
    '#7777END',
    '',
  ].join('\n');
}

export type FakeMode = 'ok' | 'slow' | 'error500' | 'malformed' | 'wrong-key' | 'html' | 'no-data';

export interface FakeKma {
  hubUrl: string;
  portalUrl: string;
  /** Requests seen, by path with query. */
  requests: string[];
  hub: { mode: FakeMode; body: string };
  portal: {
    mode: FakeMode;
    /** Base times (HHMM) answered with NO_DATA even in 'ok' mode: a late issue. */
    missingBases: Set<string>;
    nowcast: { T1H: string; PTY: string; RN1: string };
    sky: string;
  };
  close(): Promise<void>;
}

const KEY_ERROR_XML =
  '<OpenAPI_ServiceResponse><cmmMsgHeader><errMsg>SERVICE ERROR</errMsg><returnAuthMsg>SERVICE_KEY_IS_NOT_REGISTERED_ERROR</returnAuthMsg><returnReasonCode>30</returnReasonCode></cmmMsgHeader></OpenAPI_ServiceResponse>';

function portalJson(code: string, message: string, items: object[] = []): string {
  return JSON.stringify({
    response: {
      header: { resultCode: code, resultMsg: message },
      body:
        code === '00'
          ? {
              dataType: 'JSON',
              items: { item: items },
              pageNo: 1,
              numOfRows: 1000,
              totalCount: items.length,
            }
          : undefined,
    },
  });
}

export async function startFakeKma(options: {
  authKey: string;
  serviceKey: string;
}): Promise<FakeKma> {
  const requests: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const fake: Omit<FakeKma, 'hubUrl' | 'portalUrl' | 'close'> = {
    requests,
    hub: { mode: 'ok', body: hubBody([]) },
    portal: {
      mode: 'ok',
      missingBases: new Set(),
      nowcast: { T1H: '9.8', PTY: '0', RN1: '0' },
      sky: '3',
    },
  };

  function failure(mode: FakeMode, res: http.ServerResponse, kind: 'hub' | 'portal'): boolean {
    switch (mode) {
      case 'slow': {
        const timer = setTimeout(() => res.end(''), 5_000);
        timers.add(timer);
        res.on('close', () => clearTimeout(timer));
        return true;
      }
      case 'error500':
        res.writeHead(500, { 'content-type': 'text/html' });
        res.end('<html><body><h1>500 Internal Server Error</h1></body></html>');
        return true;
      case 'malformed':
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(kind === 'hub' ? 'garbage without a data block' : '{"response": {"header": ');
        return true;
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(
          '<!DOCTYPE html><html><head><title>점검 중</title></head><body>서비스 점검 중입니다</body></html>',
        );
        return true;
      default:
        return false;
    }
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${url.pathname}${url.search}`);
    if (url.pathname === '/hub/api/typ01/url/kma_sfctm2.php') {
      if (failure(fake.hub.mode, res, 'hub')) return;
      if (fake.hub.mode === 'wrong-key' || url.searchParams.get('authKey') !== options.authKey) {
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ result: { status: 403, message: '유효한 인증키가 아닙니다.' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain; charset=euc-kr' });
      res.end(Buffer.from(fake.hub.body, 'utf8'));
      return;
    }
    const op = /^\/portal\/(getUltraSrtNcst|getUltraSrtFcst|getVilageFcst)$/.exec(
      url.pathname,
    )?.[1];
    if (op !== undefined) {
      if (failure(fake.portal.mode, res, 'portal')) return;
      res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
      if (
        fake.portal.mode === 'wrong-key' ||
        url.searchParams.get('serviceKey') !== options.serviceKey
      ) {
        // The gateway answers key errors in XML whatever dataType asked for.
        res.end(KEY_ERROR_XML);
        return;
      }
      const baseDate = url.searchParams.get('base_date') ?? '';
      const baseTime = url.searchParams.get('base_time') ?? '';
      if (fake.portal.mode === 'no-data' || fake.portal.missingBases.has(baseTime)) {
        res.end(portalJson('03', 'NO_DATA'));
        return;
      }
      const nx = Number(url.searchParams.get('nx'));
      const ny = Number(url.searchParams.get('ny'));
      const common = { baseDate, baseTime, nx, ny };
      if (op === 'getUltraSrtNcst') {
        const items = Object.entries(fake.portal.nowcast).map(([category, obsrValue]) => ({
          ...common,
          category,
          obsrValue,
        }));
        res.end(portalJson('00', 'NORMAL_SERVICE', items));
        return;
      }
      // Forecast hours: the six hours after the base, on the hour.
      const base = Date.UTC(
        Number(baseDate.slice(0, 4)),
        Number(baseDate.slice(4, 6)) - 1,
        Number(baseDate.slice(6, 8)),
        Number(baseTime.slice(0, 2)) - 9,
      );
      const items: object[] = [];
      const hours = op === 'getVilageFcst' ? 48 : 6;
      for (let i = 1; i <= hours; i++) {
        const t = new Date(base + i * 3_600_000 + 9 * 3_600_000);
        const fcstDate = t.toISOString().slice(0, 10).replaceAll('-', '');
        const fcstTime = `${String(t.getUTCHours()).padStart(2, '0')}00`;
        const at = { ...common, fcstDate, fcstTime };
        items.push({ ...at, category: 'SKY', fcstValue: fake.portal.sky });
        items.push({ ...at, category: 'PTY', fcstValue: '0' });
        if (op === 'getVilageFcst') {
          items.push({ ...at, category: 'TMP', fcstValue: String(5 + (i % 6)) });
          items.push({ ...at, category: 'POP', fcstValue: String((i * 10) % 100) });
          if (fcstTime === '0600') items.push({ ...at, category: 'TMN', fcstValue: '3.0' });
          if (fcstTime === '1500') items.push({ ...at, category: 'TMX', fcstValue: '11.0' });
        } else {
          items.push({ ...at, category: 'T1H', fcstValue: '9.0' });
        }
      }
      res.end(portalJson('00', 'NORMAL_SERVICE', items));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...fake,
    hubUrl: `http://127.0.0.1:${port}/hub`,
    portalUrl: `http://127.0.0.1:${port}/portal`,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
