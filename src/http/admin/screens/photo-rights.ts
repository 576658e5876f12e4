import type { FastifyRequest } from 'fastify';
import type { AdminDeps } from '../deps.ts';
import type { AdminKit } from '../kit.ts';

/**
 * The photos whose caption, credit and alt text this staff member may change: any, for the
 * desk; their own uploads while no published article shows them, for others. A caption
 * shows on every article using the photo, so once one is out only the desk rewrites it.
 * The photo library screen and the article editor (which writes body captions back to the
 * library) ask the same question here.
 */
export async function editablePhotos(
  request: FastifyRequest,
  kit: AdminKit,
  deps: AdminDeps,
  list: readonly { id: number; uploadedBy: number | null }[],
): Promise<Set<number>> {
  if (kit.allowed(request, 'photo.editAny')) return new Set(list.map((p) => p.id));
  const me = kit.staff(request).user.id;
  const own = list.filter((p) => p.uploadedBy === me).map((p) => p.id);
  const live = await deps.content.publishedPhotoIds(own);
  return new Set(own.filter((id) => !live.has(id)));
}
