import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SeriesInput } from '../../../domains/content/index.ts';
import { AppError } from '../../../shared/errors.ts';
import { seriesPath } from '../../../views/urls.ts';
import { asForm, field, idList } from '../forms.ts';
import type { AdminDeps } from '../deps.ts';
import type { AdminScreen } from '../screen.ts';
import { renderSeriesEdit, renderSeriesList } from './series.view.tsx';

/** The typed title and description, and a removed image. */
function typedSeries(body: unknown): SeriesInput {
  const form = asForm(body);
  return {
    title: field(form, 'title'),
    description: field(form, 'description'),
    ...(field(form, 'removePhoto') === '1' ? { photoId: null } : {}),
  };
}

/** The series image, when one was sent: stored through the photo library's checks. */
async function withImage(
  deps: Pick<AdminDeps, 'photos'>,
  body: unknown,
  typed: SeriesInput,
  uploadedBy: number,
): Promise<SeriesInput> {
  const file = (asForm(body) as Record<string, unknown>).photo;
  if (!Buffer.isBuffer(file) || file.length === 0) return typed;
  if (typed.title.trim() === '') return typed; // refused below, before anything is stored
  const photo = await deps.photos.ingest(file, {
    caption: `[연재] ${typed.title.trim()}`,
    credit: '',
    alt: `연재 「${typed.title.trim()}」 대표 이미지`,
    uploadedBy,
    originalName: '',
  });
  return { ...typed, photoId: photo.id };
}

/**
 * 연재: the desk groups articles into a series (연재·기획) with a title, a description and
 * an image, and puts the parts in reading order by article number. Readers see the series
 * page and, on each part, "연재 n회" with the previous and next parts.
 */
export const seriesScreen: AdminScreen = {
  name: 'series',
  prefix: '/series',
  permission: 'series.manage',
  nav: { label: '연재', order: 45 },
  uploads: true,
  flash: {
    series: '연재를 저장했습니다.',
    parts: '연재 순서를 저장했습니다.',
    removed: '연재를 지웠습니다. 기사는 그대로 있습니다.',
  },
  routes(screen, kit, deps) {
    const { series, photos, siteUrl } = deps;

    async function list(
      request: FastifyRequest,
      reply: FastifyReply,
      extra: { error?: string; values?: SeriesInput } = {},
      status = 200,
    ) {
      const all = await series.list();
      return kit.html(
        reply,
        renderSeriesList(kit.chrome(request), {
          series: all.map((s) => ({ ...s, publicUrl: siteUrl + seriesPath(s.id) })),
          ...extra,
        }),
        status,
      );
    }

    async function edit(
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      extra: { error?: string; values?: SeriesInput; partsText?: string } = {},
      status = 200,
    ) {
      const found = await series.get(id);
      if (found === null) throw new AppError('NOT_FOUND', '연재를 찾을 수 없습니다.');
      const photo = found.series.photoId === null ? null : await photos.get(found.series.photoId);
      return kit.html(
        reply,
        renderSeriesEdit(kit.chrome(request), {
          series: {
            ...found.series,
            photoSrc: photo === null ? null : (photo.srcset.split(' ')[0] ?? photo.src),
          },
          parts: found.parts,
          publicUrl: siteUrl + seriesPath(id),
          ...extra,
        }),
        status,
      );
    }

    screen.get('', (request, reply) => list(request, reply));

    screen.post('', async (request, reply) => {
      const typed = typedSeries(request.body);
      return kit.form(
        reply,
        async () => {
          const input = await withImage(deps, request.body, typed, kit.staff(request).user.id);
          const id = await series.create(input, kit.staff(request).user.id);
          return `/admin/series/${id}?ok=series`;
        },
        (failure) =>
          list(request, reply, { error: failure.message, values: typed }, failure.status),
      );
    });

    screen.get('/:id', (request, reply) => edit(request, reply, kit.id(request)));

    screen.post('/:id', async (request, reply) => {
      const id = kit.id(request);
      const typed = typedSeries(request.body);
      return kit.form(
        reply,
        async () => {
          const input = await withImage(deps, request.body, typed, kit.staff(request).user.id);
          await series.update(id, input);
          return `/admin/series/${id}?ok=series`;
        },
        (failure) =>
          edit(request, reply, id, { error: failure.message, values: typed }, failure.status),
      );
    });

    screen.post('/:id/parts', async (request, reply) => {
      const id = kit.id(request);
      const text = field(asForm(request.body), 'parts');
      return kit.form(
        reply,
        async () => {
          await series.setParts(id, idList(text));
          return `/admin/series/${id}?ok=parts`;
        },
        (failure) =>
          edit(request, reply, id, { error: failure.message, partsText: text }, failure.status),
      );
    });

    screen.post('/:id/delete', async (request, reply) => {
      const id = kit.id(request);
      await series.remove(id);
      return kit.back(reply, '/admin/series?ok=removed');
    });
  },
};
