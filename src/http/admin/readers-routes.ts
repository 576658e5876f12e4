import { parseRowId } from '../../shared/ids.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { kstDayStart, type ReaderCounts } from '../../domains/analytics/index.ts';
import type { ContentService } from '../../domains/content/index.ts';
import { STATUS_LABELS } from '../../domains/newsroom/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { can } from '../../domains/accounts/index.ts';
import type { AdminRouteKit } from './ports.ts';
import { renderArticleReaders, renderReadersDashboard } from '../../views/admin/readers-pages.tsx';

export interface ReadersAdminDeps {
  readers: ReaderCounts;
  content: Pick<ContentService, 'titles'>;
  clock: Clock;
}

const DAY = 24 * 60 * 60 * 1000;
const DASHBOARD_DAYS = 30;
const SECTION_DAYS = 7;
const TOP_ARTICLES = 20;

/** 독자 통계: what was read, per day, per section and per article. The desk's screen. */
export function registerReadersAdmin(
  admin: FastifyInstance,
  deps: ReadersAdminDeps,
  kit: AdminRouteKit,
) {
  const { readers, clock } = deps;
  // Reader counts are the desk's: whoever may publish may see them.
  const requireReaders = (request: FastifyRequest) => {
    if (!can(kit.roleOf(request), 'article.publish'))
      throw new AppError('FORBIDDEN', '이 작업을 할 권한이 없습니다.');
  };

  admin.get('/readers', async (request, reply) => {
    requireReaders(request);
    const todayStart = kstDayStart(clock.now());
    const tomorrow = todayStart + DAY;
    const [days, sections, top] = await Promise.all([
      readers.viewsPerDay({ days: DASHBOARD_DAYS }),
      readers.viewsPerSection({ from: todayStart - (SECTION_DAYS - 1) * DAY, to: tomorrow }),
      readers.topArticles({ from: todayStart, to: tomorrow, limit: TOP_ARTICLES }),
    ]);
    return kit.html(
      reply,
      renderReadersDashboard(kit.chrome(request, '/admin/readers'), {
        days,
        sections: sections.map((s) => ({ name: s.name, views: s.views })),
        top: top.map((a) => ({
          id: a.articleId,
          title: a.title,
          section: a.sectionName,
          // Only an article readers can no longer open is marked.
          status: a.status === 'published' ? null : STATUS_LABELS[a.status],
          views: a.views,
        })),
      }),
    );
  });

  admin.get('/readers/articles/:id', async (request, reply) => {
    requireReaders(request);
    const id = parseRowId((request.params as { id?: string }).id);
    const found = id === null ? undefined : (await deps.content.titles([id]))[0];
    if (id === null || found === undefined) throw new AppError('NOT_FOUND', '없는 기사입니다.');
    const days = await readers.articleViewsPerDay(id, { days: DASHBOARD_DAYS });
    return kit.html(
      reply,
      renderArticleReaders(kit.chrome(request, '/admin/readers'), {
        id,
        title: found.title,
        days,
      }),
    );
  });
}
