import { renderDocument } from '../../../views/jsx/jsx-runtime.ts';
import { AdminLayout, Csrf, ErrorFlash } from '../../../views/admin/AdminLayout.tsx';
import type { AdminChrome } from '../../../views/admin/model.ts';
import {
  ProfileForm,
  ProfileTitles,
  type ProfileFormView,
} from '../../../views/admin/ProfileForm.tsx';

export interface BylineRowView {
  id: number;
  name: string;
  title: string;
  beat: string;
  hasAccount: boolean;
  publicUrl: string;
}

export function renderBylines(
  chrome: AdminChrome,
  view: { bylines: BylineRowView[]; error?: string; values?: { name: string; title: string } },
): string {
  const outside = view.bylines.filter((b) => !b.hasAccount);
  const staff = view.bylines.filter((b) => b.hasAccount);
  return renderDocument(
    <AdminLayout chrome={chrome} title="필자">
      <div class="page-head">
        <h1>필자</h1>
      </div>
      <p class="lede">
        계정 없는 필자(칼럼니스트, 객원 기자)의 기자 페이지를 데스크가 관리합니다. 계정이 있는
        기자는 자기 소개를 내 계정에서 고칩니다.
      </p>
      <ErrorFlash message={view.error} />
      <h2>계정 없는 필자</h2>
      {outside.length === 0 ? (
        <p class="empty">아직 없습니다.</p>
      ) : (
        <div class="table-scroll">
          <table class="admin-table">
            <thead>
              <tr>
                <th scope="col">이름</th>
                <th scope="col">부서·담당</th>
                <th scope="col">
                  <span class="visually-hidden">고치기</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {outside.map((b) => (
                <tr>
                  <td>
                    <a href={b.publicUrl} target="_blank" rel="noopener">
                      {b.name}
                    </a>{' '}
                    <small>{b.title || '기자'}</small>
                  </td>
                  <td>{b.beat}</td>
                  <td class="nowrap">
                    <a class="button" href={`/admin/bylines/${b.id}`}>
                      고치기
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section class="panel">
        <h2>새 필자</h2>
        <form method="post" action="/admin/bylines" class="stack">
          <Csrf token={chrome.csrfToken} />
          <label>
            이름
            <input name="name" value={view.values?.name ?? ''} maxlength={80} required />
          </label>
          <label>
            직함
            <input
              name="title"
              value={view.values?.title ?? ''}
              maxlength={40}
              list="profile-titles"
              placeholder="예: 칼럼니스트"
            />
          </label>
          <ProfileTitles />
          <button type="submit" class="button primary">
            만들고 소개 쓰기
          </button>
        </form>
      </section>
      <h2>계정이 있는 기자</h2>
      <ul class="byline-staff">
        {staff.map((b) => (
          <li>
            <a href={b.publicUrl} target="_blank" rel="noopener">
              {b.name} {b.title || '기자'}
            </a>
            {b.beat !== '' ? <small> · {b.beat}</small> : null}
          </li>
        ))}
      </ul>
    </AdminLayout>,
  );
}

export function renderBylineEdit(
  chrome: AdminChrome,
  view: { profile: ProfileFormView; publicUrl: string; error?: string },
): string {
  return renderDocument(
    <AdminLayout chrome={chrome} title={`필자: ${view.profile.name}`}>
      <div class="page-head">
        <h1>{view.profile.name}</h1>
        <a href="/admin/bylines">필자 목록</a>
      </div>
      <ErrorFlash message={view.error} />
      <section class="panel">
        <ProfileForm
          profile={view.profile}
          action={`/admin/bylines/${view.profile.id}`}
          csrf={chrome.csrfToken}
          identity
          publicUrl={view.publicUrl}
        />
        <ProfileTitles />
      </section>
    </AdminLayout>,
  );
}
