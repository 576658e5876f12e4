import type { FastifyRequest } from 'fastify';
import { AppError } from '../../../shared/errors.ts';
import { parseRowId } from '../../../shared/ids.ts';
import { formatKstDateTime, parseKstDateTime } from '../../../shared/kst.ts';
import { asForm, field } from '../forms.ts';
import type { AdminScreen } from '../screen.ts';
import { editablePhotos } from './photo-rights.ts';
import { renderPhotoLibrary } from './photos.view.tsx';

const PAGE = 24;
const DAY_MS = 24 * 60 * 60 * 1000;
/** The body column's width on the site, for the inserted photo's `sizes`. */
const EDITOR_SIZES = '(min-width: 1024px) 680px, 100vw';

/** `2025-12-09` as the start of that day in KST; null when absent or not a real date. */
function kstDay(text: string | undefined): { text: string; start: number } | null {
  if (text === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const start = parseKstDateTime(`${text} 00:00`);
  return start === null ? null : { text, start };
}

/** 사진함: the library, uploads (from the page and from the editor) and captions. */
export const photosScreen: AdminScreen = {
  name: 'photos',
  prefix: '/photos',
  permission: 'photo.upload',
  nav: { label: '사진함', order: 30 },
  uploads: true,
  flash: { uploaded: '사진을 올렸습니다.', saved: '저장했습니다.' },
  routes(screen, kit, deps) {
    const { photos } = deps;

    async function library(request: FastifyRequest) {
      const query = request.query as Record<string, string | undefined>;
      const before = parseRowId(query.before) ?? undefined;
      const q = (query.q ?? '').slice(0, 100);
      // A day as the newsroom counts it (KST), `to` included.
      const from = kstDay(query.from);
      const to = kstDay(query.to);
      const all = kit.allowed(request, 'photo.browseAll');
      const uploader = all ? (parseRowId(query.uploader) ?? undefined) : undefined;
      // Contributors see only their own uploads: the library holds embargoed drafts' photos.
      const own = all ? {} : { uploadedBy: kit.staff(request).user.id };
      const { items, nextBefore } = await photos.search({
        ...own,
        ...(uploader === undefined ? {} : { uploadedBy: uploader }),
        ...(q ? { query: q } : {}),
        ...(from === null ? {} : { from: from.start }),
        ...(to === null ? {} : { until: to.start + DAY_MS }),
        ...(before ? { before } : {}),
        limit: PAGE,
      });
      const params: Record<string, string> = {
        ...(q ? { q } : {}),
        ...(from === null ? {} : { from: from.text }),
        ...(to === null ? {} : { to: to.text }),
        ...(uploader === undefined ? {} : { uploader: String(uploader) }),
      };
      const next =
        nextBefore === null
          ? null
          : new URLSearchParams({ ...params, before: String(nextBefore) }).toString();
      const editable = await editablePhotos(request, kit, deps, items);
      return {
        q,
        all,
        items: items.map((p) => ({ ...p, editable: editable.has(p.id) })),
        next,
      };
    }

    screen.get('', async (request, reply) => {
      const { q, items, next } = await library(request);
      return kit.html(
        reply,
        renderPhotoLibrary(kit.chrome(request), {
          query: q,
          items,
          nextHref: next === null ? null : `/admin/photos?${next}`,
        }),
      );
    });

    // The editor's photo picker: thumbnails with who uploaded them and when, and the
    // uploaders to filter by (only for those who may browse everyone's photos).
    screen.get('.json', async (request, reply) => {
      const { items, next, all } = await library(request);
      const staff = await deps.accounts.listUsers();
      const names = new Map(staff.map((u) => [u.id, u.name]));
      return reply.send({
        items: items.map((p) => ({
          ...p,
          uploaderName: p.uploadedBy === null ? null : (names.get(p.uploadedBy) ?? null),
          uploadedAt: formatKstDateTime(p.createdAt),
          sizes: EDITOR_SIZES,
        })),
        next: next === null ? null : `/admin/photos.json?${next}`,
        uploaders: all
          ? staff.filter((u) => !u.disabled).map((u) => ({ id: u.id, name: u.name }))
          : [],
      });
    });

    screen.post('', async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const text = (name: string) => (typeof body[name] === 'string' ? body[name] : '');
      const file = body.file;
      const fromEditor =
        (request.headers.accept ?? '').includes('application/json') ||
        request.headers['x-requested-with'] === 'fetch';
      if (!Buffer.isBuffer(file) || file.length === 0)
        throw new AppError('INVALID_INPUT', '사진 파일을 골라 주세요.');
      const photo = await photos.ingest(file, {
        caption: text('caption'),
        credit: text('credit'),
        alt: text('alt'),
        uploadedBy: kit.staff(request).user.id,
        originalName: '',
      });
      if (fromEditor) return reply.send({ ...photo, sizes: EDITOR_SIZES });
      return kit.back(reply, '/admin/photos?ok=uploaded');
    });

    screen.post('/:id', async (request, reply) => {
      const id = kit.id(request);
      const photo = await photos.get(id);
      if (photo === null) throw new AppError('NOT_FOUND', '사진을 찾을 수 없습니다.');
      // A caption shows on every article using the photo: once one is published, only the
      // desk changes it; before that, the uploader may.
      if (!(await editablePhotos(request, kit, deps, [photo])).has(id))
        throw new AppError(
          'FORBIDDEN',
          '이 사진의 설명을 고칠 권한이 없습니다. 출고된 기사에 쓰인 사진은 데스크가 고칩니다.',
        );
      const form = asForm(request.body);
      await photos.updateText(id, {
        caption: field(form, 'caption'),
        credit: field(form, 'credit'),
        alt: field(form, 'alt'),
      });
      return kit.back(reply, '/admin/photos?ok=saved');
    });
  },
};
