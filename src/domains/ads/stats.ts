import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { CountBuffer } from '../../shared/count-buffer.ts';
import { kstParts } from '../../shared/kst.ts';

export interface DailyAdStats {
  /** KST day as YYYY-MM-DD. */
  day: string;
  impressions: number;
  clicks: number;
  /** Clicks per impression, 0 when there were none. */
  ctr: number;
}

const DAY = 24 * 60 * 60 * 1000;

/** The KST calendar day of an instant as the integer YYYYMMDD. */
export function kstDayNumber(at: number): number {
  const t = kstParts(at);
  return t.year * 10_000 + t.month * 100 + t.day;
}

const dayText = (n: number) =>
  `${Math.floor(n / 10_000)}-${String(Math.floor(n / 100) % 100).padStart(2, '0')}-${String(n % 100).padStart(2, '0')}`;

/**
 * Impressions and clicks per campaign per KST day. Counting is in memory (a beacon costs
 * no query); `flush` writes the batch, adding to what is stored. A crash loses at most one
 * flush interval; a graceful stop flushes.
 */
export function createAdStats(deps: { db: Kysely<Database>; clock: Clock }) {
  const { db, clock } = deps;
  const impressions = new CountBuffer();
  const clicks = new CountBuffer();
  let flushing: Promise<void> = Promise.resolve();

  async function write(): Promise<void> {
    const shown = impressions.drain();
    const clicked = clicks.drain();
    if (shown.size === 0 && clicked.size === 0) return;
    const keys = new Set([...shown.keys(), ...clicked.keys()]);
    try {
      await db.transaction().execute(async (trx) => {
        for (const key of keys) {
          const [id, day] = key.split(':').map(Number) as [number, number];
          const values = {
            banner_id: id,
            day,
            impressions: shown.get(key) ?? 0,
            clicks: clicked.get(key) ?? 0,
          };
          await trx
            .insertInto('banner_daily')
            .values(values)
            .onConflict((oc) =>
              oc.columns(['banner_id', 'day']).doUpdateSet({
                impressions: sql`banner_daily.impressions + excluded.impressions`,
                clicks: sql`banner_daily.clicks + excluded.clicks`,
              }),
            )
            .execute();
        }
      });
    } catch (error) {
      impressions.restore(shown);
      clicks.restore(clicked);
      throw error;
    }
  }

  return {
    impression(bannerId: number): void {
      impressions.add(`${bannerId}:${kstDayNumber(clock.now())}`);
    },

    click(bannerId: number): void {
      clicks.add(`${bannerId}:${kstDayNumber(clock.now())}`);
    },

    /** Counts waiting in memory. */
    get pending(): number {
      return impressions.size + clicks.size;
    },

    /** Writes what was counted; flushes never overlap, so none is written twice. */
    flush(): Promise<void> {
      flushing = flushing.catch(() => {}).then(write);
      return flushing;
    },

    /** One row per KST day from `from` to `to` (inclusive), zero-filled. */
    async daily(bannerId: number, from: number, to: number): Promise<DailyAdStats[]> {
      const first = kstDayNumber(from);
      const last = kstDayNumber(to);
      const rows = await db
        .selectFrom('banner_daily')
        .select(['day', 'impressions', 'clicks'])
        .where('banner_id', '=', bannerId)
        .where('day', '>=', first)
        .where('day', '<=', last)
        .execute();
      const byDay = new Map(rows.map((r) => [Number(r.day), r]));
      const out: DailyAdStats[] = [];
      for (let at = from; kstDayNumber(at) <= last; at += DAY) {
        const day = kstDayNumber(at);
        const r = byDay.get(day);
        const shown = Number(r?.impressions ?? 0);
        const clicked = Number(r?.clicks ?? 0);
        out.push({
          day: dayText(day),
          impressions: shown,
          clicks: clicked,
          ctr: shown === 0 ? 0 : clicked / shown,
        });
      }
      return out;
    },

    /** Totals of every campaign, for the campaign list. */
    async totals(): Promise<Map<number, { impressions: number; clicks: number }>> {
      const rows = await db
        .selectFrom('banner_daily')
        .select((eb) => [
          'banner_id',
          eb.fn.sum<number>('impressions').as('impressions'),
          eb.fn.sum<number>('clicks').as('clicks'),
        ])
        .groupBy('banner_id')
        .execute();
      return new Map(
        rows.map((r) => [
          Number(r.banner_id),
          { impressions: Number(r.impressions), clicks: Number(r.clicks) },
        ]),
      );
    },
  };
}

/** The report as CSV for the advertiser: a BOM so Excel reads the Korean header as UTF-8. */
export function dailyStatsCsv(rows: readonly DailyAdStats[]): string {
  const lines = ['날짜,노출,클릭,클릭률(%)'];
  for (const r of rows)
    lines.push(`${r.day},${r.impressions},${r.clicks},${(r.ctr * 100).toFixed(2)}`);
  const total = rows.reduce((t, r) => ({ i: t.i + r.impressions, c: t.c + r.clicks }), {
    i: 0,
    c: 0,
  });
  lines.push(
    `합계,${total.i},${total.c},${(total.i === 0 ? 0 : (total.c / total.i) * 100).toFixed(2)}`,
  );
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export type AdStats = ReturnType<typeof createAdStats>;
