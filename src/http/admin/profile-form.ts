import {
  checkAuthorProfile,
  type AuthorProfile,
  type AuthorProfileInput,
} from '../../domains/content/index.ts';
import { bylineLabel } from '../../views/components/Teasers.tsx';
import type { ProfileFormView } from '../../views/admin/ProfileForm.tsx';
import type { AdminDeps } from './deps.ts';

type Body = Record<string, unknown>;

const asBody = (body: unknown): Body =>
  typeof body === 'object' && body !== null ? (body as Body) : {};

const text = (body: Body, name: string): string => {
  const value = body[name];
  return typeof value === 'string' ? value : '';
};

/**
 * The profile form's text fields (내 계정 and 필자 both post it) as typed: what the form
 * shows again when the save is refused.
 */
export function typedProfile(body: unknown, identity: boolean): AuthorProfileInput {
  const form = asBody(body);
  return {
    beat: text(form, 'beat'),
    intro: text(form, 'intro'),
    ...(text(form, 'removePhoto') === '1' ? { photoId: null } : {}),
    ...(identity
      ? {
          identity: {
            name: text(form, 'name'),
            title: text(form, 'title'),
            email: text(form, 'email'),
          },
        }
      : {}),
  };
}

/**
 * The typed profile with its new photo, if one was sent: it goes through the photo library
 * like any upload (type, size and pixel checks) and stays in 사진함 under the uploader.
 */
export async function withNewPhoto(
  deps: Pick<AdminDeps, 'photos'>,
  body: unknown,
  typed: AuthorProfileInput,
  who: { uploadedBy: number; name: string; title: string },
): Promise<AuthorProfileInput> {
  const file = asBody(body).photo;
  if (!Buffer.isBuffer(file) || file.length === 0) return typed;
  // Refused text is refused before the photo is stored.
  checkAuthorProfile(typed);
  const label = bylineLabel({
    name: typed.identity?.name || who.name,
    title: typed.identity?.title ?? who.title,
  });
  const photo = await deps.photos.ingest(file, {
    caption: `${label} 프로필 사진`,
    credit: '',
    alt: `${label} 사진`,
    uploadedBy: who.uploadedBy,
    originalName: '',
  });
  return { ...typed, photoId: photo.id };
}

/** A stored profile in the form's terms, or the typed values after a refusal. */
export function profileView(profile: AuthorProfile, typed?: AuthorProfileInput): ProfileFormView {
  return {
    id: profile.id,
    name: typed?.identity?.name ?? profile.name,
    title: typed?.identity?.title ?? profile.title,
    email: typed?.identity === undefined ? profile.email : typed.identity.email || null,
    beat: typed?.beat ?? profile.beat,
    intro: typed?.intro ?? profile.intro,
    photoSrc: profile.photo?.sources[0]?.src ?? profile.photo?.src ?? null,
  };
}
