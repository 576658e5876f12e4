import { kstDayStart } from '../../../domains/analytics/index.ts';
import { STATUS_LABELS } from '../../../domains/newsroom/index.ts';
import { AppError } from '../../../shared/errors.ts';
import type { AdminScreen } from '../screen.ts';
import { renderArticleReaders, renderReadersDashboard } from './readers.view.tsx';

const DAY = 24 * 60 * 60 * 1000;
const DASHBOARD_DAYS = 30;
const SECTION_DAYS = 7;
const TOP_ARTICLES = 20;

/** 독자 통계: what was read, per day, per section and per article. The desk's screen. */
export const readersScreen: AdminScreen = {
  name: 'readers',
  prefix: '/readers',
  permission: 'readers.view',
  nav: { label: '독자 통계', order: 60 },
  enabled: (deps) => deps.readers !== undefined,
  routes(admin, kit, deps) {
    if (deps.readers === undefined) return;
    const { readers } = deps.readers;
    const { clock, content } = deps;
    admin.get('', async (request, reply) => {
      const todayStart = kstDayStart(clock.now());
      const tomorrow = todayStart + DAY;
      const [days, sections, top] = await Promise.all([
        readers.viewsPerDay({ days: DASHBOARD_DAYS }),
        readers.viewsPerSection({ from: todayStart - (SECTION_DAYS - 1) * DAY, to: tomorrow }),
        readers.topArticles({ from: todayStart, to: tomorrow, limit: TOP_ARTICLES }),
      ]);
      return kit.html(
        reply,
        renderReadersDashboard(kit.chrome(request), {
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

    admin.get('/articles/:id', async (request, reply) => {
      const id = kit.id(request);
      const found = (await content.titles([id]))[0];
      if (found === undefined) throw new AppError('NOT_FOUND', '없는 기사입니다.');
      const days = await readers.articleViewsPerDay(id, { days: DASHBOARD_DAYS });
      return kit.html(
        reply,
        renderArticleReaders(kit.chrome(request), {
          id,
          title: found.title,
          days,
        }),
      );
    });
  },
};
