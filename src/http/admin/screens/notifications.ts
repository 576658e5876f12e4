import type { AdminScreen } from '../screen.ts';
import { renderNotifications } from './notifications.view.tsx';

/** 알림: 송고 and 기사제보 for the desk, 반려 and 출고 for the writer; reached from the bar's badge. */
export const notificationsScreen: AdminScreen = {
  name: 'notifications',
  prefix: '/notifications',
  permission: null,
  routes(screen, kit, { notifications }) {
    screen.get('', async (request, reply) => {
      const items = await notifications.list(kit.staff(request).user.id);
      return kit.html(
        reply,
        renderNotifications(kit.chrome(request), {
          items: items.map((n) => ({
            ...n,
            opens: n.articleId !== null || n.tipId !== null || n.kind === 'webhook_disabled',
          })),
          mailConfigured: notifications.mailConfigured,
        }),
      );
    });

    // Opening a notice reads it: a link, so it works from a mail client's preview too.
    screen.get('/:id/open', async (request, reply) => {
      const about = await notifications.markRead(kit.staff(request).user.id, kit.id(request));
      if (about?.articleId != null) return kit.back(reply, `/admin/articles/${about.articleId}`);
      if (about?.tipId != null) return kit.back(reply, `/admin/tips/${about.tipId}`);
      if (about?.kind === 'webhook_disabled') return kit.back(reply, '/admin/webhooks');
      return kit.back(reply, '/admin/notifications');
    });

    screen.post('/read', async (request, reply) => {
      await notifications.markRead(kit.staff(request).user.id);
      return kit.back(reply, '/admin/notifications');
    });
  },
};
