import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import { ARTICLE_ORIGINS } from '../../shared/article-origins.ts';
import type { Clock } from '../../shared/clock.ts';
import { CSV_BOM, csvLine } from '../../shared/csv.ts';
import { invalidInput } from '../../shared/errors.ts';
import { kstParts, toKstDateTimeLocal } from '../../shared/kst.ts';

/**
 * What a portal partner application (네이버·다음 뉴스 제휴) asks of the paper: the list of
 * articles published in the last months, and how many of them were its own reporting
 * (자체기사), per section and month. Months are KST calendar months: "the last 3 months"
 * on 9 December are October, November and December up to now.
 */
export const EXPORT_MONTHS_MAX = 24;
const BATCH = 1000;
const KST_OFFSET_MS = 9 * 60 * 60 * 1000;

export interface ExportMonth {
  /** `2025-10` */
  key: string;
  /** `2025년 10월`, with `(9일까지)` on the month still running. */
  label: string;
  start: number;
  /** Exclusive. */
  end: number;
}

export interface ExportPeriod {
  months: ExportMonth[];
  from: number;
  /** Exclusive: now, plus one millisecond. */
  to: number;
}

/** The first instant of a KST calendar month (month 1–12; others roll over). */
const kstMonthStart = (year: number, month: number): number =>
  Date.UTC(year, month - 1, 1) - KST_OFFSET_MS;

/** The KST calendar months ending with the current one; `months` must be 1–24. */
export function exportPeriod(months: number, now: number): ExportPeriod {
  if (!Number.isInteger(months) || months < 1 || months > EXPORT_MONTHS_MAX)
    throw invalidInput(`기간은 1개월부터 ${EXPORT_MONTHS_MAX}개월까지 고르세요.`, {
      fields: { months: `1부터 ${EXPORT_MONTHS_MAX}까지 고르세요.` },
    });
  const { year, month, day } = kstParts(now);
  const list: ExportMonth[] = [];
  for (let back = months - 1; back >= 0; back--) {
    const start = kstMonthStart(year, month - back);
    const p = kstParts(start);
    const running = back === 0;
    list.push({
      key: `${p.year}-${String(p.month).padStart(2, '0')}`,
      label: `${p.year}년 ${p.month}월${running ? ` (${day}일까지)` : ''}`,
      start,
      end: running ? now + 1 : kstMonthStart(year, month - back + 1),
    });
  }
  return { months: list, from: list[0]?.start ?? now, to: now + 1 };
}

export interface ExportArticle {
  id: number;
  title: string;
  reporters: string[];
  firstPublishedAt: number;
  section: string;
  origin: keyof typeof ARTICLE_ORIGINS;
}

export interface MonthlyOwnReport {
  /** Top-level sections (sub-sections count toward their parent), in menu order. */
  sections: { id: number; name: string }[];
  rows: MonthlyOwnRow[];
  total: MonthlyOwnRow;
}

export interface MonthlyOwnRow {
  label: string;
  /** 자체기사 per section, in the order of `sections`. */
  own: number[];
  ownTotal: number;
  /** Every published article of the month, whatever its origin. */
  total: number;
  /** 자체기사 share in percent, one decimal; null for a month without articles. */
  share: number | null;
}

export interface PartnerExportDeps {
  db: Kysely<Database>;
  clock: Clock;
  siteUrl: string;
}

const share = (own: number, total: number): number | null =>
  total === 0 ? null : Math.round((own / total) * 1000) / 10;

export function createPartnerExport(deps: PartnerExportDeps) {
  const { db, clock } = deps;

  async function sectionTree() {
    const rows = await db
      .selectFrom('sections')
      .select(['id', 'name', 'parent_id', 'position'])
      .orderBy('position')
      .orderBy('id')
      .execute();
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    const pathOf = (id: number): (typeof rows)[number][] => {
      const path: (typeof rows)[number][] = [];
      let at = byId.get(id);
      for (let depth = 0; at !== undefined && depth < 6; depth++) {
        path.unshift(at);
        at = at.parent_id === null ? undefined : byId.get(Number(at.parent_id));
      }
      return path;
    };
    return { rows, pathOf };
  }

  /** Published now, first out within [from, to): the partner's "articles of the period". */
  function published(from: number, to: number) {
    const now = clock.now();
    return db
      .selectFrom('articles')
      .where('status', '=', 'published')
      .where('published_at', '<=', now)
      .where((eb) => eb.or([eb('embargo_until', 'is', null), eb('embargo_until', '<=', now)]))
      .where('first_published_at', '>=', from)
      .where('first_published_at', '<', to);
  }

  /**
   * The period's articles, oldest first, a thousand at a time: a 100,000-row export holds
   * one batch in memory, never the whole list.
   */
  async function* articles(period: ExportPeriod): AsyncGenerator<ExportArticle[]> {
    const { pathOf } = await sectionTree();
    let after: { at: number; id: number } | null = null;
    for (;;) {
      let query = published(period.from, period.to).select([
        'id',
        'title',
        'first_published_at',
        'section_id',
        'origin',
      ]);
      if (after !== null) {
        const { at, id } = after;
        // A row comparison: both databases walk the (status, first_published_at, id) index
        // from there instead of rescanning the period for every batch.
        query = query.where((eb) =>
          eb(eb.refTuple('first_published_at', 'id'), '>', eb.tuple(at, id)),
        );
      }
      const rows = await query.orderBy('first_published_at').orderBy('id').limit(BATCH).execute();
      if (rows.length === 0) return;
      const ids = rows.map((r) => Number(r.id));
      const bylines = await db
        .selectFrom('article_authors as aa')
        .innerJoin('authors as au', 'au.id', 'aa.author_id')
        .select(['aa.article_id', 'au.name'])
        .where('aa.article_id', 'in', ids)
        .orderBy('aa.article_id')
        .orderBy('aa.position')
        .execute();
      const names = new Map<number, string[]>();
      for (const b of bylines) {
        const list = names.get(Number(b.article_id));
        if (list === undefined) names.set(Number(b.article_id), [b.name]);
        else list.push(b.name);
      }
      yield rows.map((r) => ({
        id: Number(r.id),
        title: r.title,
        reporters: names.get(Number(r.id)) ?? [],
        firstPublishedAt: Number(r.first_published_at),
        section: pathOf(Number(r.section_id))
          .map((s) => s.name)
          .join(' > '),
        origin: r.origin,
      }));
      const last = rows.at(-1);
      if (rows.length < BATCH || last === undefined) return;
      after = { at: Number(last.first_published_at), id: Number(last.id) };
    }
  }

  return {
    period: (months: number) => exportPeriod(months, clock.now()),
    articles,

    /** 자체기사 per top-level section and month, with each month's total and share. */
    async monthlyOwn(period: ExportPeriod): Promise<MonthlyOwnReport> {
      const { rows: sectionRows, pathOf } = await sectionTree();
      const counts = await Promise.all(
        period.months.map((m) =>
          published(m.start, m.end)
            .select((eb) => ['section_id', 'origin', eb.fn.countAll<number | string>().as('n')])
            .groupBy(['section_id', 'origin'])
            .execute(),
        ),
      );
      const topOf = (sectionId: number) => Number(pathOf(sectionId)[0]?.id ?? sectionId);
      // Columns: the top-level sections with any article in the period, in menu order.
      const used = new Set(counts.flat().map((c) => topOf(Number(c.section_id))));
      const sections = sectionRows
        .filter((s) => s.parent_id === null && used.has(Number(s.id)))
        .map((s) => ({ id: Number(s.id), name: s.name }));
      const column = new Map(sections.map((s, i) => [s.id, i]));
      const rows = period.months.map((m, i): MonthlyOwnRow => {
        const own = sections.map(() => 0);
        let total = 0;
        for (const c of counts[i] ?? []) {
          const n = Number(c.n);
          total += n;
          const at = column.get(topOf(Number(c.section_id)));
          if (c.origin === 'own' && at !== undefined) own[at] = (own[at] ?? 0) + n;
        }
        const ownTotal = own.reduce((a, b) => a + b, 0);
        return { label: m.label, own, ownTotal, total, share: share(ownTotal, total) };
      });
      const own = sections.map((_, i) => rows.reduce((sum, r) => sum + (r.own[i] ?? 0), 0));
      const ownTotal = rows.reduce((sum, r) => sum + r.ownTotal, 0);
      const total = rows.reduce((sum, r) => sum + r.total, 0);
      return {
        sections,
        rows,
        total: { label: '합계', own, ownTotal, total, share: share(ownTotal, total) },
      };
    },

    /** The article list as CSV lines, BOM first, produced as the batches arrive. */
    async *articlesCsv(period: ExportPeriod): AsyncGenerator<string> {
      yield (
        CSV_BOM + csvLine(['번호', 'URL', '제목', '기자', '최초 출고(KST)', '섹션', '기사 구분'])
      );
      for await (const batch of articles(period)) {
        let chunk = '';
        for (const a of batch)
          chunk += csvLine([
            a.id,
            `${deps.siteUrl}/news/${a.id}`,
            a.title,
            a.reporters.join(', '),
            toKstDateTimeLocal(a.firstPublishedAt).replace('T', ' '),
            a.section,
            ARTICLE_ORIGINS[a.origin],
          ]);
        yield chunk;
      }
    },
  };
}

/** The monthly table as CSV: months down, top-level sections across, then the totals. */
export function monthlyOwnCsv(report: MonthlyOwnReport): string {
  const line = (r: MonthlyOwnRow) =>
    csvLine([r.label, ...r.own, r.ownTotal, r.total, r.share === null ? '' : r.share.toFixed(1)]);
  return (
    CSV_BOM +
    csvLine([
      '월',
      ...report.sections.map((s) => `${s.name} 자체기사`),
      '자체기사 합계',
      '전체 기사',
      '자체기사 비율(%)',
    ]) +
    report.rows.map(line).join('') +
    line(report.total)
  );
}

export type PartnerExport = ReturnType<typeof createPartnerExport>;
