import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  EXPORT_MONTHS_MAX,
  monthlyOwnCsv,
  type ExportPeriod,
} from '../../../domains/partners/index.ts';
import type { AdminScreen } from '../screen.ts';
import { renderPartners } from './partners.view.tsx';

/** What the form offers first: a partner application usually asks for three months. */
const DEFAULT_MONTHS = 3;

/** The period asked for in `?months=`, or the message to show beside the field. */
function monthsAsked(request: FastifyRequest): number | string {
  const raw = (request.query as Record<string, unknown>).months;
  if (raw === undefined || raw === '') return DEFAULT_MONTHS;
  const text = typeof raw === 'string' ? raw.trim() : '';
  const months = /^[0-9]{1,2}$/.test(text) ? Number(text) : NaN;
  return months >= 1 && months <= EXPORT_MONTHS_MAX
    ? months
    : `기간은 1개월부터 ${EXPORT_MONTHS_MAX}개월까지 고르세요.`;
}

const csvHeaders = (reply: FastifyReply, name: string) =>
  reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}"`)
    .header('cache-control', 'no-store');

const fileSpan = (period: ExportPeriod) =>
  `${period.months[0]?.key ?? ''}_${period.months.at(-1)?.key ?? ''}`;

/**
 * 포털 제휴: what a Naver or Daum partner application asks of the paper — every article
 * published in the last months (CSV), and 자체기사 per section and month — and whether the
 * partners' feed is open.
 */
export const partnersScreen: AdminScreen = {
  name: 'partners',
  prefix: '/partners',
  permission: 'partner.export',
  nav: { label: '포털 제휴', order: 65 },
  enabled: (deps) => deps.partners !== undefined,
  routes(screen, kit, deps) {
    if (deps.partners === undefined) return;
    const partners = deps.partners;
    const { exports } = partners;

    async function page(request: FastifyRequest, reply: FastifyReply, asked: number | string) {
      const months = typeof asked === 'number' ? asked : DEFAULT_MONTHS;
      const period = exports.period(months);
      const report = await exports.monthlyOwn(period);
      return kit.html(
        reply,
        renderPartners(kit.chrome(request), {
          months,
          maxMonths: EXPORT_MONTHS_MAX,
          error: typeof asked === 'string' ? asked : null,
          from: period.from,
          to: period.to - 1,
          report,
          articlesHref: `/admin/partners/articles.csv?months=${months}`,
          monthlyHref: `/admin/partners/monthly.csv?months=${months}`,
          feed: { url: partners.feedUrl, open: partners.feedOpen },
        }),
        typeof asked === 'string' ? 400 : 200,
      );
    }

    screen.get('', (request, reply) => page(request, reply, monthsAsked(request)));

    // Streamed: the list may run to 100,000 rows; one batch of a thousand is in memory.
    screen.get('/articles.csv', async (request, reply) => {
      const asked = monthsAsked(request);
      if (typeof asked === 'string') return page(request, reply, asked);
      const period = exports.period(asked);
      // A failure halfway cannot change the status any more: Fastify then cuts the
      // connection, so the download ends broken rather than looking complete.
      return csvHeaders(reply, `partner-articles-${fileSpan(period)}.csv`).send(
        Readable.from(exports.articlesCsv(period)),
      );
    });

    screen.get('/monthly.csv', async (request, reply) => {
      const asked = monthsAsked(request);
      if (typeof asked === 'string') return page(request, reply, asked);
      const period = exports.period(asked);
      const report = await exports.monthlyOwn(period);
      return csvHeaders(reply, `partner-own-by-month-${fileSpan(period)}.csv`).send(
        monthlyOwnCsv(report),
      );
    });
  },
};
