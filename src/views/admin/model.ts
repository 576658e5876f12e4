/** Plain data the admin pages are rendered from. Times are epoch milliseconds. */

export type StaffRoleName = 'admin' | 'desk' | 'reporter' | 'contributor';

export const ROLE_LABELS: Record<StaffRoleName, string> = {
  admin: '관리자',
  desk: '데스크',
  reporter: '기자',
  contributor: '외부 필자',
};

export interface AdminChrome {
  siteName: string;
  csrfToken: string;
  user: { id: number; name: string; email: string; role: StaffRoleName };
  /** Links the signed-in role may use, for the navigation. */
  nav: { href: string; label: string; current: boolean }[];
  stylesheet: string;
  script: string;
  editorStylesheet: string;
  /** One-line messages after a redirect (?ok=...). */
  flash?: { kind: 'ok' | 'error'; text: string } | undefined;
  /** Unread 송고·반려·출고 notices: the badge in the bar. */
  unreadNotices?: number;
}

export interface OptionView {
  value: string;
  label: string;
}

export interface FieldErrors {
  [field: string]: string | undefined;
}
