import type { Kysely, Selectable } from 'kysely';
import type { BannerTable, Database } from '../../db/index.ts';
import { tag, type CacheTag } from '../../shared/cache-tags.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError, invalidInput, notFound } from '../../shared/errors.ts';
import { keptValue } from '../../shared/kept.ts';

/** Places on the page where a banner can run. */
export const bannerSlots = [
  'header-top',
  'masthead-side',
  'rail-1',
  'rail-2',
  'rail-3',
  'article-inline',
  'above-footer',
  'mobile-sticky',
] as const;
export type BannerSlot = (typeof bannerSlots)[number];

export const isBannerSlot = (value: string): value is BannerSlot =>
  (bannerSlots as readonly string[]).includes(value);

export type BannerKind = 'image' | 'html';
export type DeviceTarget = 'all' | 'mobile' | 'desktop';
export type DeviceClass = 'mobile' | 'desktop';

/** A campaign as the page needs it. */
export interface Banner {
  id: number;
  slot: BannerSlot;
  kind: BannerKind;
  title: string;
  /** Image banners: the image URL; HTML banners: ''. */
  imageSrc: string;
  width: number;
  height: number;
  /** Image banners: the advertiser's URL (pages link through /ad/click/<id>). */
  href: string;
  weight: number;
  device: DeviceTarget;
  /** Section slugs it is limited to; empty runs everywhere. */
  sections: string[];
  isSample: boolean;
}

/** A campaign as the admin edits it. */
export interface Campaign extends Banner {
  advertiser: string;
  imageKey: string;
  htmlTag: string | null;
  startsAt: number;
  endsAt: number;
  paused: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface SlotSettings {
  id: BannerSlot;
  name: string;
  width: number;
  height: number;
  /** In-article slot: after which paragraph. */
  paragraph: number | null;
  enabled: boolean;
}

export interface BannerInput {
  slot: BannerSlot;
  title: string;
  advertiser?: string;
  kind?: BannerKind;
  /** Image banners: the stored image. */
  imageKey?: string;
  htmlTag?: string | null;
  width: number;
  height: number;
  /** Image banners: where a click goes. */
  linkUrl?: string;
  startsAt: number;
  endsAt: number;
  weight?: number;
  device?: DeviceTarget;
  sections?: string[];
  paused?: boolean;
  isSample?: boolean;
}

export interface BannerStoreDeps {
  db: Kysely<Database>;
  clock: Clock;
  mediaUrl: (key: string) => string;
  /** Called after a commit with the cache tags the change affects: banners are on every page. */
  onChange?: (tags: readonly CacheTag[]) => void | Promise<void>;
}

/** Campaigns change at their own start and end times, which the kept value respects. */
const BANNERS_KEPT_MS = 30_000;
const MAX_HTML_TAG = 20_000;
const MAX_WEIGHT = 100;
const MAX_SIDE = 2000;

const sectionList = (text: string): string[] => text.split(',').filter((s) => s !== '');

function toBanner(r: Selectable<BannerTable>, mediaUrl: (key: string) => string): Banner {
  const kind: BannerKind = r.kind === 'html' ? 'html' : 'image';
  return {
    id: r.id,
    slot: r.slot as BannerSlot,
    kind,
    title: r.title,
    imageSrc: kind === 'image' ? mediaUrl(r.image_key) : '',
    width: r.width,
    height: r.height,
    href: r.link_url,
    weight: r.weight,
    device: r.device === 'mobile' || r.device === 'desktop' ? r.device : 'all',
    sections: sectionList(r.sections),
    isSample: r.is_sample === 1,
  };
}

function toCampaign(r: Selectable<BannerTable>, mediaUrl: (key: string) => string): Campaign {
  return {
    ...toBanner(r, mediaUrl),
    advertiser: r.advertiser,
    imageKey: r.image_key,
    htmlTag: r.html_tag,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    paused: r.paused === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Whether a campaign may run on a page for this device and section. */
/**
 * A banner's link: an absolute http(s) URL with a host, or a path on this site. Browsers
 * read `\` as `/`, so `/\evil.example` would leave the site like `//evil.example`:
 * backslashes, spaces and control characters are refused anywhere in the link.
 */
function isBannerLink(link: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (link === '' || link.length > 2000 || /[\s\\\u0000-\u001f\u007f]/.test(link)) return false;
  if (link.startsWith('/')) return !link.startsWith('//');
  const url = URL.parse(link);
  return url !== null && (url.protocol === 'http:' || url.protocol === 'https:') && url.host !== '';
}

/**
 * The widest creative phones are served. Phones are 360–430 px wide, so a 970×90 strip
 * would shrink to a 36 px line of unreadable text: a slot shows phones its phone-sized
 * campaign (320×100, targeted 모바일만) or nothing.
 */
export const PHONE_MAX_BANNER_WIDTH = 640;

export function runsOn(banner: Pick<Banner, 'device' | 'width'>, device: DeviceClass): boolean {
  if (banner.device !== 'all' && banner.device !== device) return false;
  return device === 'desktop' || banner.width <= PHONE_MAX_BANNER_WIDTH;
}

export function targets(banner: Banner, page: { device: DeviceClass; section: string | null }) {
  if (!runsOn(banner, page.device)) return false;
  if (banner.sections.length === 0) return true;
  return page.section !== null && banner.sections.includes(page.section);
}

/** Banner and slot sizes: whole pixels, 1 to 2000 each way. */
function checkSize(size: { width: number; height: number }, subject: string): void {
  for (const [value, label] of [
    [size.width, '가로'],
    [size.height, '세로'],
  ] as const) {
    if (!Number.isInteger(value) || value < 1 || value > MAX_SIDE) {
      throw invalidInput(`${subject}${label} 크기는 1~${MAX_SIDE} 픽셀이어야 합니다.`);
    }
  }
}

function validate(input: BannerInput): void {
  if (!isBannerSlot(input.slot)) throw invalidInput(`알 수 없는 배너 위치입니다: ${input.slot}`);
  const title = input.title.trim();
  if (title === '' || title.length > 200) {
    throw invalidInput('광고 이름은 1~200자로 써 주세요.', { field: 'title' });
  }
  if ((input.advertiser ?? '').length > 100) {
    throw invalidInput('광고주 이름은 100자까지 쓸 수 있습니다.', { field: 'advertiser' });
  }
  if (!(Number.isFinite(input.startsAt) && Number.isFinite(input.endsAt))) {
    throw invalidInput('시작과 종료 시각을 입력하세요.', { field: 'startsAt' });
  }
  if (!(input.endsAt > input.startsAt)) {
    throw invalidInput('배너 종료 시각은 시작 시각보다 늦어야 합니다.', { field: 'endsAt' });
  }
  const weight = input.weight ?? 1;
  if (!Number.isInteger(weight) || weight < 1 || weight > MAX_WEIGHT) {
    throw invalidInput(`가중치는 1에서 ${MAX_WEIGHT} 사이의 정수여야 합니다.`, { field: 'weight' });
  }
  checkSize(input, '배너 ');
  if ((input.kind ?? 'image') === 'image') {
    if ((input.imageKey ?? '') === '')
      throw invalidInput('배너 이미지를 올려 주세요.', { field: 'image' });
    const link = input.linkUrl ?? '';
    if (!isBannerLink(link)) {
      throw invalidInput('배너 링크는 http(s) 주소나 사이트 안의 경로여야 합니다.', {
        field: 'linkUrl',
      });
    }
  } else {
    const tag = (input.htmlTag ?? '').trim();
    if (tag === '') throw invalidInput('HTML 광고 태그를 입력하세요.', { field: 'htmlTag' });
    if (tag.length > MAX_HTML_TAG) {
      throw invalidInput(`HTML 광고 태그는 ${MAX_HTML_TAG}자까지입니다.`, { field: 'htmlTag' });
    }
  }
  for (const slug of input.sections ?? []) {
    if (!/^[a-z0-9][a-z0-9-]{0,79}$/.test(slug))
      throw invalidInput(`알 수 없는 섹션입니다: ${slug}`);
  }
}

function row(input: BannerInput, now: number) {
  const kind = input.kind ?? 'image';
  return {
    slot: input.slot,
    title: input.title.trim(),
    advertiser: (input.advertiser ?? '').trim(),
    kind,
    image_key: kind === 'image' ? (input.imageKey ?? '') : '',
    html_tag: kind === 'html' ? (input.htmlTag ?? '').trim() : null,
    width: input.width,
    height: input.height,
    link_url: kind === 'image' ? (input.linkUrl ?? '') : '',
    starts_at: input.startsAt,
    ends_at: input.endsAt,
    weight: input.weight ?? 1,
    device: input.device ?? 'all',
    sections: [...new Set(input.sections ?? [])].join(','),
    paused: input.paused ? 1 : 0,
    updated_at: now,
  };
}

export function createBannerStore(deps: BannerStoreDeps) {
  const { db, clock, mediaUrl } = deps;

  async function readRunning(): Promise<Partial<Record<BannerSlot, Banner[]>>> {
    const now = clock.now();
    const [rows, slots] = await Promise.all([
      db
        .selectFrom('banners')
        .selectAll()
        .where('starts_at', '<=', now)
        .where('ends_at', '>', now)
        .where('paused', '=', 0)
        .orderBy('weight', 'desc')
        .orderBy('id')
        .execute(),
      readSlots(),
    ]);
    const enabled = new Set(slots.filter((s) => s.enabled).map((s) => s.id));
    const out: Partial<Record<BannerSlot, Banner[]>> = {};
    for (const r of rows) {
      if (!isBannerSlot(r.slot) || !enabled.has(r.slot)) continue;
      (out[r.slot] ??= []).push(toBanner(r, mediaUrl));
    }
    return out;
  }

  async function readSlots(): Promise<SlotSettings[]> {
    const rows = await db.selectFrom('banner_slots').selectAll().orderBy('position').execute();
    return rows.flatMap((r) =>
      isBannerSlot(r.id)
        ? [
            {
              id: r.id,
              name: r.name,
              width: r.width,
              height: r.height,
              paragraph: r.paragraph,
              enabled: r.enabled === 1,
            },
          ]
        : [],
    );
  }

  /** The earliest future start or end of a campaign: when cached pages must change. */
  async function readNextChange(): Promise<number | null> {
    const now = clock.now();
    const r = await db
      .selectFrom('banners')
      .select((eb) => [
        eb.fn.min('starts_at').filterWhere('starts_at', '>', now).as('nextStart'),
        eb.fn.min('ends_at').filterWhere('ends_at', '>', now).as('nextEnd'),
      ])
      .executeTakeFirst();
    const times = [r?.nextStart, r?.nextEnd]
      .filter((t): t is number => typeof t === 'number' || typeof t === 'string')
      .map(Number);
    return times.length === 0 ? null : Math.min(...times);
  }

  // Every page shows the banners: keep what runs now until the next campaign starts or
  // ends (or 30 s, for campaigns another app server adds).
  const kept = keptValue(
    clock,
    async () => {
      const [running, nextChange, slots, ids] = await Promise.all([
        readRunning(),
        readNextChange(),
        readSlots(),
        db.selectFrom('banners').select('id').execute(),
      ]);
      return { running, nextChange, slots, ids: new Set(ids.map((r) => r.id)) };
    },
    (v, at) => Math.min(at + BANNERS_KEPT_MS, v.nextChange ?? Number.POSITIVE_INFINITY),
  );

  /** A write committed: this process reads the banners again, and pages showing them go. */
  async function changed(): Promise<void> {
    kept.forget();
    if (deps.onChange !== undefined) await deps.onChange([tag.banners]);
  }

  async function campaign(id: number): Promise<Campaign> {
    const r = await db.selectFrom('banners').selectAll().where('id', '=', id).executeTakeFirst();
    if (r === undefined) throw notFound('없는 광고입니다.');
    return toCampaign(r, mediaUrl);
  }

  return {
    /**
     * Every live campaign per slot, heaviest first. Slots with nothing scheduled are
     * absent, so templates render no empty box; the page picks among the candidates.
     */
    async running(): Promise<Partial<Record<BannerSlot, Banner[]>>> {
      return (await kept.get()).running;
    },

    async slots(): Promise<SlotSettings[]> {
      return (await kept.get()).slots;
    },

    /** Whether a campaign with this id exists: beacons for made-up ids are not counted. */
    async exists(id: number): Promise<boolean> {
      return (await kept.get()).ids.has(id);
    },

    /** The earliest future start or end of a campaign: when cached pages must change. */
    async nextChange(): Promise<number | null> {
      return (await kept.get()).nextChange;
    },

    /** Drops the kept campaigns (a change made elsewhere, heard as tag.banners). */
    forget(): void {
      kept.forget();
    },

    async create(input: BannerInput): Promise<number> {
      validate(input);
      const now = clock.now();
      const created = await db
        .insertInto('banners')
        .values({ ...row(input, now), is_sample: input.isSample ? 1 : 0, created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await changed();
      return created.id;
    },

    async update(id: number, input: BannerInput): Promise<void> {
      validate(input);
      const result = await db
        .updateTable('banners')
        .set(row(input, clock.now()))
        .where('id', '=', id)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw notFound('없는 광고입니다.');
      await changed();
    },

    async setPaused(id: number, paused: boolean): Promise<void> {
      const result = await db
        .updateTable('banners')
        .set({ paused: paused ? 1 : 0, updated_at: clock.now() })
        .where('id', '=', id)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw notFound('없는 광고입니다.');
      await changed();
    },

    campaign,

    /** All campaigns, newest first, for the admin. */
    async campaigns(): Promise<Campaign[]> {
      const rows = await db.selectFrom('banners').selectAll().orderBy('id', 'desc').execute();
      return rows.map((r) => toCampaign(r, mediaUrl));
    },

    /**
     * Where a click on an image banner goes: the stored URL of that campaign and nothing
     * else, so /ad/click/<id> can never be used to redirect anywhere a visitor supplies.
     * A campaign that ended a moment ago still resolves (the page may be cached).
     */
    async clickTarget(id: number): Promise<string | null> {
      const r = await db
        .selectFrom('banners')
        .select(['kind', 'link_url'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (r === undefined || r.kind !== 'image' || r.link_url === '') return null;
      return r.link_url;
    },

    /** The HTML tag of an HTML campaign, for its sandboxed frame. */
    async htmlTag(id: number): Promise<string | null> {
      const r = await db
        .selectFrom('banners')
        .select(['kind', 'html_tag'])
        .where('id', '=', id)
        .executeTakeFirst();
      return r?.kind === 'html' ? r.html_tag : null;
    },

    async updateSlot(
      id: string,
      settings: { width: number; height: number; paragraph: number | null; enabled: boolean },
    ): Promise<void> {
      if (!isBannerSlot(id)) throw notFound('없는 배너 위치입니다.');
      checkSize(settings, '');
      if (
        settings.paragraph !== null &&
        (!Number.isInteger(settings.paragraph) || settings.paragraph < 1 || settings.paragraph > 50)
      ) {
        throw invalidInput('본문 광고는 1~50번째 문단 뒤에 둘 수 있습니다.');
      }
      if (id !== 'article-inline' && settings.paragraph !== null) {
        throw new AppError('INVALID_INPUT', '문단 위치는 기사 본문 중간 배너에만 있습니다.');
      }
      await db
        .updateTable('banner_slots')
        .set({
          width: settings.width,
          height: settings.height,
          paragraph: settings.paragraph,
          enabled: settings.enabled ? 1 : 0,
        })
        .where('id', '=', id)
        .execute();
      await changed();
    },
  };
}

export type BannerStore = ReturnType<typeof createBannerStore>;
