import { renderDocument } from '../../../views/jsx/jsx-runtime.ts';
import { AdminLayout, Csrf, ErrorFlash } from '../../../views/admin/AdminLayout.tsx';
import { ROLE_LABELS, type AdminChrome, type StaffRoleName } from '../../../views/admin/model.ts';

export interface StaffRowView {
  id: number;
  name: string;
  email: string;
  role: StaffRoleName;
  disabled: boolean;
  totp: boolean;
}

export function renderStaff(
  chrome: AdminChrome,
  view: {
    staff: StaffRowView[];
    error?: string;
    /** A setup (invitation) or reset link just made, and whether it went by mail. */
    invited?: {
      email: string;
      link: string;
      kind: 'invite' | 'reset';
      mail: 'sent' | 'failed' | 'off';
    };
    values?: Record<string, string>;
  },
): string {
  const v = view.values ?? {};
  const roles = Object.entries(ROLE_LABELS) as [StaffRoleName, string][];
  return renderDocument(
    <AdminLayout chrome={chrome} title="직원">
      <div class="page-head">
        <h1>직원</h1>
      </div>
      <ErrorFlash message={view.error} />
      {view.invited ? (
        <p class="flash flash-ok" role="status">
          {view.invited.kind === 'reset'
            ? `${view.invited.email} 님의 비밀번호 재설정 링크를 만들었습니다. `
            : `${view.invited.email} 님을 초대했습니다. `}
          {view.invited.mail === 'sent'
            ? '링크를 이메일로 보냈습니다. 메일이 닿지 않으면 이 주소를 직접 전달하세요'
            : view.invited.mail === 'failed'
              ? '이메일을 보내지 못했습니다. 이 주소를 직접 전달하세요'
              : '이 주소를 전달하세요'}
          (24시간, 한 번만 쓸 수 있습니다): <code class="invite-link">{view.invited.link}</code>
        </p>
      ) : null}
      <table class="admin-table">
        <thead>
          <tr>
            <th scope="col">이름</th>
            <th scope="col">이메일</th>
            <th scope="col">역할</th>
            <th scope="col">2단계</th>
            <th scope="col"></th>
          </tr>
        </thead>
        <tbody>
          {view.staff.map((s) => (
            <tr class={s.disabled ? 'disabled' : undefined}>
              <td>{s.name}</td>
              <td>{s.email}</td>
              <td>
                <form method="post" action={`/admin/staff/${s.id}`} class="inline-form">
                  <Csrf token={chrome.csrfToken} />
                  <select name="role" aria-label={`${s.name} 역할`}>
                    {roles.map(([value, label]) => (
                      <option value={value} selected={value === s.role}>
                        {label}
                      </option>
                    ))}
                  </select>
                  <button type="submit" name="action" value="role" class="button">
                    변경
                  </button>
                  {s.disabled ? null : (
                    <button type="submit" name="action" value="disable" class="button danger">
                      사용 중지
                    </button>
                  )}
                </form>
              </td>
              <td>{s.totp ? '사용' : '-'}</td>
              <td>
                {s.disabled ? (
                  '중지됨'
                ) : (
                  <form method="post" action={`/admin/staff/${s.id}`} class="inline-form">
                    <Csrf token={chrome.csrfToken} />
                    <button type="submit" name="action" value="reset" class="button">
                      비밀번호 재설정 링크
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <section class="panel">
        <h2>직원 초대</h2>
        <form method="post" action="/admin/staff" class="stack">
          <Csrf token={chrome.csrfToken} />
          <label>
            이름
            <input name="name" value={v.name ?? ''} maxlength={80} required />
          </label>
          <label>
            이메일
            <input type="email" name="email" value={v.email ?? ''} required />
          </label>
          <label>
            역할
            <select name="role">
              {roles.map(([value, label]) => (
                <option value={value} selected={value === (v.role ?? 'reporter')}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" class="button primary">
            초대하기
          </button>
        </form>
      </section>
    </AdminLayout>,
  );
}
