import { Csrf } from './AdminLayout.tsx';

/** A byline's profile as the newsroom edits it (내 계정, 필자). */
export interface ProfileFormView {
  id: number;
  name: string;
  title: string;
  email: string | null;
  beat: string;
  intro: string;
  /** The current photo's smallest picture, or null. */
  photoSrc: string | null;
}

/**
 * The 기자 페이지 profile form: desk or beat, introduction and photo; with `identity`, also
 * the name, title and e-mail (outside writers, who have no account of their own).
 * Multipart, for the photo: the file goes through the photo library's checks.
 */
export function ProfileForm({
  profile,
  action,
  csrf,
  identity,
  publicUrl,
  submitLabel = '저장',
}: {
  profile: ProfileFormView;
  action: string;
  csrf: string;
  identity: boolean;
  /** The 기자 페이지 on the site. */
  publicUrl: string;
  submitLabel?: string;
}) {
  const id = (name: string) => `profile-${profile.id}-${name}`;
  return (
    <form method="post" action={action} enctype="multipart/form-data" class="stack profile-form">
      <Csrf token={csrf} />
      {identity ? (
        <div class="profile-identity">
          <label for={id('name')}>
            이름
            <input id={id('name')} name="name" value={profile.name} maxlength={80} required />
          </label>
          <label for={id('title')}>
            직함 (기자 대신 붙는 말)
            <input
              id={id('title')}
              name="title"
              value={profile.title}
              maxlength={40}
              list="profile-titles"
              placeholder="예: 칼럼니스트"
            />
          </label>
          <label for={id('email')}>
            이메일 (선택)
            <input
              id={id('email')}
              name="email"
              type="email"
              value={profile.email ?? ''}
              maxlength={254}
            />
          </label>
        </div>
      ) : null}
      <label for={id('beat')}>
        부서·담당 분야
        <input
          id={id('beat')}
          name="beat"
          value={profile.beat}
          maxlength={60}
          placeholder="예: 사회부 · 교육 담당"
        />
      </label>
      <label for={id('intro')}>
        소개 (1,000자까지)
        <textarea id={id('intro')} name="intro" rows={4} maxlength={1000}>
          {profile.intro}
        </textarea>
      </label>
      <fieldset class="profile-photo-field">
        <legend>사진</legend>
        {profile.photoSrc !== null ? (
          <img
            class="profile-thumb"
            src={profile.photoSrc}
            alt="지금 사진"
            width={64}
            height={64}
          />
        ) : (
          <p class="hint">사진이 없으면 이름 첫 글자가 동그라미 안에 나옵니다.</p>
        )}
        <label for={id('photo')}>
          새 사진 (JPEG·PNG·WebP, 얼굴이 가운데 오도록)
          <input
            id={id('photo')}
            name="photo"
            type="file"
            accept="image/jpeg,image/png,image/webp"
          />
        </label>
        {profile.photoSrc !== null ? (
          <label class="check">
            <input type="checkbox" name="removePhoto" value="1" /> 사진 빼기
          </label>
        ) : null}
      </fieldset>
      <p class="button-row">
        <button type="submit" class="button primary">
          {submitLabel}
        </button>{' '}
        <a href={publicUrl} target="_blank" rel="noopener">
          기자 페이지 보기
        </a>
      </p>
    </form>
  );
}

/** Titles outside writers usually sign with. */
export function ProfileTitles() {
  return (
    <datalist id="profile-titles">
      <option value="칼럼니스트" />
      <option value="객원 기자" />
      <option value="외부 필자" />
      <option value="기고" />
    </datalist>
  );
}
