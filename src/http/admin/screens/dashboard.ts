import type { AdminScreen } from '../screen.ts';
import { articleRow } from './article-rows.ts';
import { renderDashboard } from './dashboard.view.tsx';

/** 오늘의 데스크: the queue and the scheduled pieces for the desk, one's own pieces for all. */
export const dashboardScreen: AdminScreen = {
  name: 'dashboard',
  prefix: '',
  permission: null,
  nav: { label: '데스크', order: 10 },
  flash: { welcome: '환영합니다. 비밀번호를 정했고 로그인했습니다.' },
  routes(screen, kit, { desk, clock }) {
    screen.get('/', async (request, reply) => {
      const staff = kit.staff(request);
      const actor = kit.actor(request);
      const canPublish = kit.allowed(request, 'article.publish');
      const [queue, mine, scheduled] = await Promise.all([
        canPublish ? desk.list(actor, { status: 'submitted', limit: 50 }) : [],
        desk.list(actor, { ownerId: actor.id, limit: 20 }),
        canPublish ? desk.list(actor, { status: 'scheduled', limit: 20 }) : [],
      ]);
      const now = clock.now();
      return kit.html(
        reply,
        renderDashboard(kit.chrome(request), {
          queue: queue.map((r) => articleRow(r, now)),
          mine: mine.map((r) => articleRow(r, now)),
          scheduled: scheduled.map((r) => articleRow(r, now)),
          canPublish,
          mustChangePassword: staff.user.mustChangePassword,
        }),
      );
    });
  },
};
