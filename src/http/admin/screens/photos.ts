import type { FastifyRequest } from 'fastify';
import { AppError } from '../../../shared/errors.ts';
import { parseRowId } from '../../../shared/ids.ts';
import { asForm, field } from '../forms.ts';
import type { AdminScreen } from '../screen.ts';
import { editablePhotos } from './photo-rights.ts';
import { renderPhotoLibrary } from './photos.view.tsx';

const PAGE = 24;

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
      // Contributors see only their own uploads: the library holds embargoed drafts' photos.
      const own = kit.allowed(request, 'photo.browseAll')
        ? {}
        : { uploadedBy: kit.staff(request).user.id };
      const { items, nextBefore } = await photos.search({
        ...own,
        ...(q ? { query: q } : {}),
        ...(before ? { before } : {}),
        limit: PAGE,
      });
      const next =
        nextBefore === null
          ? null
          : new URLSearchParams({ ...(q ? { q } : {}), before: String(nextBefore) }).toString();
      const editable = await editablePhotos(request, kit, deps, items);
      return { q, items: items.map((p) => ({ ...p, editable: editable.has(p.id) })), next };
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

    // The editor's photo picker.
    screen.get('.json', async (request, reply) => {
      const { items, next } = await library(request);
      return reply.send({ items, next: next === null ? null : `/admin/photos.json?${next}` });
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
      if (fromEditor) return reply.send({ ...photo, sizes: '(min-width: 1024px) 680px, 100vw' });
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
