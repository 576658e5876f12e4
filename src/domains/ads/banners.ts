import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { invalidInput } from '../../shared/errors.ts';
import { keptValue } from '../../shared/kept.ts';

/** Places on the page where a banner can run. */
export const bannerSlots = [
  'header-top',
  'masthead-side',
  'rail-1',
  'rail-2',
  'article-inline',
  'above-footer',
] as const;
export type BannerSlot = (typeof bannerSlots)[number];

export interface Banner {
  id: number;
  slot: BannerSlot;
  title: string;
  imageSrc: string;
  width: number;
  height: number;
  href: string;
  isSample: boolean;
}

export interface BannerStoreDeps {
  db: Kysely<Database>;
  clock: Clock;
  mediaUrl: (key: string) => string;
}

export interface BannerInput {
  slot: BannerSlot;
  title: string;
  imageKey: string;
  width: number;
  height: number;
  linkUrl: string;
  startsAt: number;
  endsAt: number;
  weight?: number;
  isSample?: boolean;
}

/** Campaigns change at their own start and end times, which the kept value respects. */
const BANNERS_KEPT_MS = 30_000;

export function createBannerStore(deps: BannerStoreDeps) {
  const { db, clock, mediaUrl } = deps;

  async function readRunning(): Promise<Partial<Record<BannerSlot, Banner>>> {
    const now = clock.now();
    const rows = await db
      .selectFrom('banners')
      .select([
        'id',
        'slot',
        'title',
        'image_key',
        'width',
        'height',
        'link_url',
        'is_sample',
        'weight',
      ])
      .where('starts_at', '<=', now)
      .where('ends_at', '>', now)
      .orderBy('weight', 'desc')
      .orderBy('id')
      .execute();
    const out: Partial<Record<BannerSlot, Banner>> = {};
    for (const r of rows) {
      const slot = r.slot as BannerSlot;
      if (!bannerSlots.includes(slot) || out[slot] !== undefined) continue;
      out[slot] = {
        id: r.id,
        slot,
        title: r.title,
        imageSrc: mediaUrl(r.image_key),
        width: r.width,
        height: r.height,
        href: r.link_url,
        isSample: r.is_sample === 1,
      };
    }
    return out;
  }

  /** The earliest future start or end of a campaign: when cached pages must change. */
  async function readNextChange(): Promise<number | null> {
    const now = clock.now();
    const row = await db
      .selectFrom('banners')
      .select((eb) => [
        eb.fn.min('starts_at').filterWhere('starts_at', '>', now).as('nextStart'),
        eb.fn.min('ends_at').filterWhere('ends_at', '>', now).as('nextEnd'),
      ])
      .executeTakeFirst();
    const times = [row?.nextStart, row?.nextEnd]
      .filter((t): t is number => typeof t === 'number' || typeof t === 'string')
      .map(Number);
    return times.length === 0 ? null : Math.min(...times);
  }

  // Every page shows the banners: keep what runs now until the next campaign starts or
  // ends (or 30 s, for campaigns another app server adds).
  const kept = keptValue(
    clock,
    async () => {
      const [running, nextChange] = await Promise.all([readRunning(), readNextChange()]);
      return { running, nextChange };
    },
    (v, at) => Math.min(at + BANNERS_KEPT_MS, v.nextChange ?? Number.POSITIVE_INFINITY),
  );

  return {
    /**
     * The banner running in each slot now: the heaviest-weighted live campaign. Slots with
     * nothing scheduled are absent, so templates render no empty box.
     */
    async running(): Promise<Partial<Record<BannerSlot, Banner>>> {
      return (await kept.get()).running;
    },

    /** The earliest future start or end of a campaign: when cached pages must change. */
    async nextChange(): Promise<number | null> {
      return (await kept.get()).nextChange;
    },

    /** Drops the kept campaigns (a change made elsewhere, announced on the bus). */
    forget(): void {
      kept.forget();
    },

    async create(input: BannerInput): Promise<number> {
      if (!bannerSlots.includes(input.slot))
        throw invalidInput(`알 수 없는 배너 위치입니다: ${input.slot}`);
      if (!(input.endsAt > input.startsAt))
        throw invalidInput('배너 종료 시각은 시작 시각보다 늦어야 합니다.');
      if (!/^(https?:\/\/|\/(?!\/))/.test(input.linkUrl))
        throw invalidInput('배너 링크는 http(s) 주소나 사이트 안의 경로여야 합니다.');
      const row = await db
        .insertInto('banners')
        .values({
          slot: input.slot,
          title: input.title,
          image_key: input.imageKey,
          width: input.width,
          height: input.height,
          link_url: input.linkUrl,
          starts_at: input.startsAt,
          ends_at: input.endsAt,
          weight: input.weight ?? 1,
          is_sample: input.isSample ? 1 : 0,
          created_at: clock.now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      kept.forget();
      return row.id;
    },
  };
}

export type BannerStore = ReturnType<typeof createBannerStore>;
