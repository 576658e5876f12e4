import { parseRowId } from '../../../shared/ids.ts';
import { asForm, field } from '../forms.ts';
import type { AdminScreen } from '../screen.ts';
import { renderTip, renderTipList } from './tips.view.tsx';

/** RFC 5987: a file name any browser saves with its Hangul intact. */
function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * 제보함: readers' 기사제보 for the desk, newest first. Opening one marks it seen; the desk
 * marks it 처리 완료 or deletes it. Names, contacts and files disappear by themselves when
 * the retention period ends (tips.purgeExpired).
 */
export const tipsScreen: AdminScreen = {
  name: 'tips',
  prefix: '/tips',
  permission: 'tip.read',
  nav: { label: '제보함', order: 35 },
  flash: {
    'tip-done': '처리 완료로 표시했습니다.',
    'tip-open': '다시 처리할 제보로 돌렸습니다.',
    'tip-deleted': '제보를 지웠습니다.',
  },
  routes(screen, kit, { tips }) {
    screen.get('', async (request, reply) => {
      const before = parseRowId((request.query as { before?: string }).before) ?? undefined;
      const page = await tips.list(before === undefined ? {} : { before });
      return kit.html(
        reply,
        renderTipList(kit.chrome(request), {
          tips: page.items,
          nextBefore: page.nextBefore,
          retentionDays: tips.retentionDays,
        }),
      );
    });

    screen.get('/:id', async (request, reply) => {
      const tip = await tips.open(kit.id(request));
      return kit.html(
        reply,
        renderTip(kit.chrome(request), { tip, retentionDays: tips.retentionDays }),
      );
    });

    // The sender's files: never cached, never run. A PDF is saved, not opened in the page.
    screen.get('/:id/files/:fileId', async (request, reply) => {
      const file = await tips.file(kit.id(request), kit.id(request, 'fileId'));
      return reply
        .header('content-type', file.mime)
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header(
          'content-disposition',
          file.kind === 'pdf'
            ? attachment(file.name)
            : `inline; filename*=UTF-8''${encodeURIComponent(file.name)}`,
        )
        .send(file.bytes);
    });

    screen.post('/:id/status', async (request, reply) => {
      const id = kit.id(request);
      const done = field(asForm(request.body), 'status') === 'done';
      await tips.setStatus(id, done ? 'done' : 'seen', kit.staff(request).user.id);
      return kit.back(reply, `/admin/tips/${id}?ok=${done ? 'tip-done' : 'tip-open'}`);
    });

    screen.post('/:id/delete', async (request, reply) => {
      await tips.remove(kit.id(request));
      return kit.back(reply, '/admin/tips?ok=tip-deleted');
    });
  },
};
