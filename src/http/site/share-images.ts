import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ShareImages, StoredPhoto } from '../../domains/media/index.ts';
import { parseRowId } from '../../shared/ids.ts';
import {
  articleCardPath,
  articleCardVersion,
  LOGO_PATH,
  LOGO_SIZE,
  parseShareFile,
  photoCropPath,
  photoCropVersion,
  SHARE_SIZES,
  siteCardPath,
  siteCardVersion,
  type ShareSize,
} from '../../shared/share-images.ts';
import { renderLogoSvg, renderShareCardSvg } from '../../views/cards/share-card.ts';
import type { ReaderPageKit } from './reader-pages.ts';
import { strongEtag } from '../cache/page-cache.ts';
import { etagMatches } from '../cache/serve.ts';

/**
 * The pictures of shares and structured data (addresses in shared/share-images.ts):
 * `/image/photo/<id>/<size>-<version>.jpg` crops a photo around its focal point,
 * `/image/card/<article id | site>/<size>-<version>.png` draws a card, `/image/logo.png`
 * is the paper's logo. A version that is not the current one redirects to the current
 * address (a share made before the focal point moved or the title changed), except for
 * a photo readers cannot see yet, which is not found.
 */
export interface ShareImageKit extends Pick<ReaderPageKit, 'chrome' | 'sendError'> {
  images: ShareImages;
  getPhoto(id: number): Promise<StoredPhoto | null>;
  /** Which of these photos are on an article readers can see. */
  publishedPhotoIds(ids: readonly number[]): Promise<Set<number>>;
  /** The title of an article readers may open now, or null. */
  readableTitle(id: number): Promise<string | null>;
  siteUrl: string;
  paperName: string;
}

/** Addresses carry their version: once made, a picture never changes. */
const FOREVER = 'public, max-age=31536000, immutable';

export function registerShareImages(app: FastifyInstance, kit: ShareImageKit): void {
  const host = new URL(kit.siteUrl).host;
  const missing = (request: FastifyRequest, reply: FastifyReply, detail?: string) =>
    kit.chrome(request).then((view) => kit.sendError(request, reply, 404, view, detail));
  const moved = (reply: FastifyReply, path: string) =>
    reply.header('cache-control', 'public, max-age=300').redirect(path, 302);

  function sendImage(
    request: FastifyRequest,
    reply: FastifyReply,
    bytes: Buffer,
    type: string,
    cacheControl = FOREVER,
  ): FastifyReply {
    const etag = strongEtag(bytes);
    reply.header('content-type', type).header('cache-control', cacheControl).header('etag', etag);
    if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send();
    return reply.send(bytes);
  }

  app.get(
    '/image/photo/:id/:file',
    async (request: FastifyRequest<{ Params: { id: string; file: string } }>, reply) => {
      const id = parseRowId(request.params.id);
      const file = parseShareFile(request.params.file, 'jpg');
      const photo = id === null || file === null ? null : await kit.getPhoto(id);
      if (photo === null || file === null)
        return missing(request, reply, '사진을 찾을 수 없습니다.');
      if (file.version !== photoCropVersion(photo)) {
        // Only a photo already out may be found by its number.
        const out = await kit.publishedPhotoIds([photo.id]);
        if (!out.has(photo.id)) return missing(request, reply, '사진을 찾을 수 없습니다.');
        return moved(reply, photoCropPath(photo, file.size));
      }
      const bytes = await kit.images.photoCrop(
        photo,
        { name: file.size, ...SHARE_SIZES[file.size] },
        file.version,
      );
      if (bytes === null) return missing(request, reply, '사진 파일이 없습니다.');
      return sendImage(request, reply, bytes, 'image/jpeg');
    },
  );

  async function card(size: ShareSize, owner: string, version: string, title?: string) {
    const text = await kit.images.hangulRenders();
    return kit.images.card(
      owner,
      { name: size, ...SHARE_SIZES[size] },
      // A card drawn without a Korean font is kept apart: installing one redraws it.
      text ? version : `${version}-plain`,
      () =>
        renderShareCardSvg({ ...SHARE_SIZES[size], paperName: kit.paperName, title, host, text }),
    );
  }

  app.get(
    '/image/card/:owner/:file',
    async (request: FastifyRequest<{ Params: { owner: string; file: string } }>, reply) => {
      const file = parseShareFile(request.params.file, 'png');
      if (file === null) return missing(request, reply);
      if (request.params.owner === 'site') {
        if (file.version !== siteCardVersion(kit.paperName))
          return moved(reply, siteCardPath(kit.paperName, file.size));
        return sendImage(request, reply, await card(file.size, 'site', file.version), 'image/png');
      }
      const id = parseRowId(request.params.owner);
      const title = id === null ? null : await kit.readableTitle(id);
      if (id === null || title === null)
        return missing(request, reply, '찾으시는 기사가 없거나 아직 공개되지 않았습니다.');
      if (file.version !== articleCardVersion(title, kit.paperName))
        return moved(reply, articleCardPath(id, title, kit.paperName, file.size));
      const bytes = await card(file.size, String(id), file.version, title);
      return sendImage(request, reply, bytes, 'image/png');
    },
  );

  let logo: Promise<Buffer> | null = null;
  app.get(LOGO_PATH, async (request, reply) => {
    logo ??= kit.images.card(
      'site',
      { name: 'logo', width: LOGO_SIZE, height: LOGO_SIZE },
      'v1',
      () => renderLogoSvg(LOGO_SIZE),
    );
    logo.catch(() => {
      logo = null;
    });
    return sendImage(request, reply, await logo, 'image/png', 'public, max-age=86400');
  });
}
