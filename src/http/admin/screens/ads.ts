import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  dailyStatsCsv,
  isBannerSlot,
  MAX_BANNER_BYTES,
  storeBannerImage,
  type BannerInput,
  type Campaign,
} from '../../../domains/ads/index.ts';
import type { Clock } from '../../../shared/clock.ts';
import { AppError } from '../../../shared/errors.ts';
import {
  formatKstDateTime,
  nextKstMidnight,
  parseKstDateTime,
  toKstDateTimeLocal,
} from '../../../shared/kst.ts';
import type { AdsDeps } from '../deps.ts';
import { asForm, checked, field, fields, type FormBody } from '../forms.ts';
import type { AdminKit } from '../kit.ts';
import type { AdminScreen } from '../screen.ts';
import {
  renderCampaignForm,
  renderCampaigns,
  renderReport,
  type CampaignFormView,
} from './ads.view.tsx';

const DAY = 24 * 60 * 60 * 1000;
const REPORT_MAX_DAYS = 366;

/** `2025-12-09` (KST) for date inputs. */
const kstDate = (at: number) => toKstDateTimeLocal(at).slice(0, 10);

function status(c: Campaign, now: number): '진행 중' | '예정' | '종료' | '일시정지' {
  if (c.endsAt <= now) return '종료';
  if (c.paused) return '일시정지';
  return c.startsAt > now ? '예정' : '진행 중';
}

/** The newsroom's banner desk: campaigns, slots, daily reports and CSV. */
function adsRoutes(admin: FastifyInstance, kit: AdminKit, deps: AdsDeps, clock: Clock) {
  const { banners, stats } = deps;

  /** Third-party ad tags run script: only those the table allows enter or change them. */
  const requireHtml = (request: FastifyRequest) => {
    if (!kit.allowed(request, 'ads.html'))
      throw new AppError('FORBIDDEN', 'HTML 광고 태그는 관리자만 넣거나 고칠 수 있습니다.');
  };

  async function listPage(
    request: FastifyRequest,
    reply: FastifyReply,
    error?: string,
    code = 200,
  ) {
    const [campaigns, totals, slots, sections] = await Promise.all([
      banners.campaigns(),
      stats.totals(),
      banners.slots(),
      deps.sections(),
    ]);
    const now = clock.now();
    const slotName = new Map(slots.map((s) => [s.id, s.name]));
    const sectionName = new Map(sections.map((s) => [s.slug, s.name]));
    return kit.html(
      reply,
      renderCampaigns(kit.chrome(request), {
        campaigns: campaigns.map((c) => ({
          id: c.id,
          title: c.title,
          advertiser: c.advertiser,
          slotName: slotName.get(c.slot) ?? c.slot,
          kind: c.kind,
          period: `${formatKstDateTime(c.startsAt)} ~ ${formatKstDateTime(c.endsAt)}`,
          status: status(c, now),
          targeting: [
            c.device === 'mobile' ? '모바일' : c.device === 'desktop' ? 'PC' : '모든 기기',
            c.sections.length === 0
              ? '모든 면'
              : c.sections.map((s) => sectionName.get(s) ?? s).join('·'),
          ].join(' · '),
          weight: c.weight,
          impressions: totals.get(c.id)?.impressions ?? 0,
          clicks: totals.get(c.id)?.clicks ?? 0,
          isSample: c.isSample,
          paused: c.paused,
          editable: c.kind !== 'html' || kit.allowed(request, 'ads.html'),
        })),
        slots,
        canEditSlots: kit.allowed(request, 'ads.html'),
        ...(error ? { error } : {}),
      }),
      code,
    );
  }

  async function formPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number | null,
    values: Record<string, string>,
    extra: { error?: string; imageSrc?: string | null; checkedSections?: string[] } = {},
    code = 200,
  ) {
    const [slots, sections] = await Promise.all([banners.slots(), deps.sections()]);
    const chosen = new Set(extra.checkedSections ?? []);
    const view: CampaignFormView = {
      id,
      values,
      slots: slots.map((s) => ({ id: s.id, name: s.name, size: `${s.width}×${s.height}` })),
      sections: sections.map((s) => ({ ...s, checked: chosen.has(s.slug) })),
      imageSrc: extra.imageSrc ?? null,
      allowHtml: kit.allowed(request, 'ads.html'),
      maxUploadMb: MAX_BANNER_BYTES / 1024 / 1024,
      ...(extra.error ? { error: extra.error } : {}),
    };
    return kit.html(reply, renderCampaignForm(kit.chrome(request), view), code);
  }

  /** Reads the form into a campaign; the image is stored only once everything else is valid. */
  async function readForm(
    request: FastifyRequest,
    form: FormBody,
    existing: Campaign | null,
  ): Promise<BannerInput> {
    const kind = field(form, 'kind') === 'html' ? 'html' : 'image';
    if (kind === 'html' || existing?.kind === 'html') requireHtml(request);
    const slot = field(form, 'slot');
    if (!isBannerSlot(slot)) throw new AppError('INVALID_INPUT', '배너 위치를 고르세요.');
    const slotSettings = (await banners.slots()).find((s) => s.id === slot);
    const size = (name: string, fallback: number | undefined) => {
      const text = field(form, name).trim();
      if (text === '') return fallback ?? 0;
      if (!/^\d{1,4}$/.test(text))
        throw new AppError('INVALID_INPUT', '크기는 픽셀 수(숫자)로 쓰세요.');
      return Number(text);
    };
    const time = (name: string, label: string) => {
      const at = parseKstDateTime(field(form, name));
      if (at === null)
        throw new AppError('INVALID_INPUT', `${label}을 2025-12-09 14:00처럼 입력하세요.`);
      return at;
    };
    const weightText = field(form, 'weight').trim() || '1';
    if (!/^\d{1,3}$/.test(weightText))
      throw new AppError('INVALID_INPUT', '가중치는 1에서 100 사이의 정수여야 합니다.');
    const deviceText = field(form, 'device');
    const device = deviceText === 'mobile' || deviceText === 'desktop' ? deviceText : 'all';
    const input: BannerInput = {
      slot,
      kind,
      title: field(form, 'title'),
      advertiser: field(form, 'advertiser'),
      width: size('width', existing?.slot === slot ? existing.width : slotSettings?.width),
      height: size('height', existing?.slot === slot ? existing.height : slotSettings?.height),
      startsAt: time('startsAt', '시작 시각'),
      endsAt: time('endsAt', '종료 시각'),
      weight: Number(weightText),
      device,
      sections: fields(form, 'sections'),
      paused: checked(form, 'paused'),
      linkUrl: field(form, 'linkUrl').trim(),
      htmlTag: field(form, 'htmlTag'),
      imageKey: existing?.imageKey ?? '',
    };
    return input;
  }

  const formValues = (form: FormBody): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const name of [
      'title',
      'advertiser',
      'slot',
      'kind',
      'linkUrl',
      'htmlTag',
      'width',
      'height',
      'weight',
      'startsAt',
      'endsAt',
      'device',
    ]) {
      out[name] = field(form, name);
    }
    out.paused = checked(form, 'paused') ? '1' : '';
    return out;
  };

  async function save(request: FastifyRequest, reply: FastifyReply, id: number | null) {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const form = asForm(
      Object.fromEntries(Object.entries(body).filter(([, v]) => !Buffer.isBuffer(v))),
    );
    const existing = id === null ? null : await banners.campaign(id);
    return kit.form(
      reply,
      async () => {
        const input = await readForm(request, form, existing);
        const upload = body.image;
        let stored: string | null = null;
        if (input.kind === 'image' && Buffer.isBuffer(upload) && upload.length > 0) {
          stored = (await storeBannerImage(deps.media, upload)).key;
          input.imageKey = stored;
        }
        try {
          if (id === null) await banners.create(input);
          else await banners.update(id, input);
        } catch (error) {
          // A refused banner leaves no image behind that nothing shows. (A replaced image
          // stays: pages and CDNs cached a moment ago still name it.)
          if (stored !== null) await deps.media.delete(stored).catch(() => undefined);
          throw error;
        }
        return '/admin/ads?ok=ad';
      },
      (failure) =>
        formPage(
          request,
          reply,
          id,
          formValues(form),
          {
            error: failure.message,
            imageSrc: existing?.kind === 'image' ? existing.imageSrc : null,
            checkedSections: fields(form, 'sections'),
          },
          failure.status,
        ),
    );
  }

  admin.get('', (request, reply) => listPage(request, reply));

  admin.get('/new', async (request, reply) => {
    const now = clock.now();
    const start = nextKstMidnight(now);
    return formPage(request, reply, null, {
      kind: 'image',
      slot: 'rail-1',
      weight: '1',
      device: 'all',
      startsAt: toKstDateTimeLocal(start),
      endsAt: toKstDateTimeLocal(start + 30 * DAY),
    });
  });

  admin.post('', (request, reply) => save(request, reply, null));

  admin.get('/:id', async (request, reply) => {
    const c = await banners.campaign(kit.id(request));
    if (c.kind === 'html') requireHtml(request);
    return formPage(
      request,
      reply,
      c.id,
      {
        title: c.title,
        advertiser: c.advertiser,
        slot: c.slot,
        kind: c.kind,
        linkUrl: c.href,
        htmlTag: c.htmlTag ?? '',
        width: String(c.width),
        height: String(c.height),
        weight: String(c.weight),
        startsAt: toKstDateTimeLocal(c.startsAt),
        endsAt: toKstDateTimeLocal(c.endsAt),
        device: c.device,
        paused: c.paused ? '1' : '',
      },
      { imageSrc: c.kind === 'image' ? c.imageSrc : null, checkedSections: c.sections },
    );
  });

  admin.post('/:id', (request, reply) => save(request, reply, kit.id(request)));

  admin.post('/:id/pause', async (request, reply) => {
    const c = await banners.campaign(kit.id(request));
    if (c.kind === 'html') requireHtml(request);
    await banners.setPaused(c.id, field(asForm(request.body), 'paused') === '1');
    return kit.back(reply, '/admin/ads?ok=ad');
  });

  admin.post('/slots/:slot', async (request, reply) => {
    // Slot sizes go on the sales sheet and change the layout: the admin's call.
    requireHtml(request);
    const slot = (request.params as { slot?: string }).slot ?? '';
    const form = asForm(request.body);
    const integer = (name: string) => {
      const text = field(form, name).trim();
      if (!/^\d{1,4}$/.test(text))
        throw new AppError('INVALID_INPUT', '크기와 문단 위치는 숫자로 쓰세요.');
      return Number(text);
    };
    return kit.form(
      reply,
      async () => {
        await banners.updateSlot(slot, {
          width: integer('width'),
          height: integer('height'),
          paragraph: slot === 'article-inline' ? integer('paragraph') : null,
          enabled: checked(form, 'enabled'),
        });
        return '/admin/ads?ok=ad';
      },
      (failure) => listPage(request, reply, failure.message, failure.status),
    );
  });

  /** The report period from the query: defaults to the campaign's days up to today. */
  function period(
    c: Campaign,
    query: Record<string, unknown>,
  ): { from: number; to: number; error?: string } {
    const now = clock.now();
    const day = (text: unknown) =>
      typeof text === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(text)
        ? parseKstDateTime(`${text} 00:00`)
        : null;
    const defaultTo = Math.min(now, c.endsAt - 1);
    const defaultFrom = Math.max(c.startsAt, defaultTo - 29 * DAY);
    let from = day(query.from) ?? defaultFrom;
    let to = day(query.to) ?? defaultTo;
    let error: string | undefined;
    if (
      (query.from !== undefined && day(query.from) === null) ||
      (query.to !== undefined && day(query.to) === null)
    ) {
      error = '날짜는 2025-12-09 형식으로 고르세요. 기본 기간을 보여 드립니다.';
      from = defaultFrom;
      to = defaultTo;
    }
    if (to < from) [from, to] = [to, from];
    if (to - from > REPORT_MAX_DAYS * DAY) {
      from = to - (REPORT_MAX_DAYS - 1) * DAY;
      error = `보고서는 ${REPORT_MAX_DAYS}일까지 볼 수 있습니다.`;
    }
    return { from, to, ...(error ? { error } : {}) };
  }

  admin.get('/:id/report', async (request, reply) => {
    const c = await banners.campaign(kit.id(request));
    const query = request.query as Record<string, unknown>;
    const { from, to, error } = period(c, query);
    const rows = await stats.daily(c.id, from, to);
    const impressions = rows.reduce((n, r) => n + r.impressions, 0);
    const clicks = rows.reduce((n, r) => n + r.clicks, 0);
    return kit.html(
      reply,
      renderReport(kit.chrome(request), {
        id: c.id,
        title: c.title,
        advertiser: c.advertiser,
        from: kstDate(from),
        to: kstDate(to),
        rows,
        totals: { impressions, clicks, ctr: impressions === 0 ? 0 : clicks / impressions },
        csvHref: `/admin/ads/${c.id}/report.csv?from=${kstDate(from)}&to=${kstDate(to)}`,
        ...(error ? { error } : {}),
      }),
    );
  });

  admin.get('/:id/report.csv', async (request, reply) => {
    const c = await banners.campaign(kit.id(request));
    const { from, to } = period(c, request.query as Record<string, unknown>);
    const rows = await stats.daily(c.id, from, to);
    const name = `ad-${c.id}-${kstDate(from)}-${kstDate(to)}.csv`;
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(dailyStatsCsv(rows));
  });
}

/** 광고: the banner desk. */
export const adsScreen: AdminScreen = {
  name: 'ads',
  prefix: '/ads',
  permission: 'ads.manage',
  nav: { label: '광고', order: 70 },
  uploads: true,
  flash: { ad: '광고를 저장했습니다.' },
  enabled: (deps) => deps.ads !== undefined,
  routes(screen, kit, deps) {
    if (deps.ads !== undefined) adsRoutes(screen, kit, deps.ads, deps.clock);
  },
};
