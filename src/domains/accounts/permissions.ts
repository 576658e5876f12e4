import type { ArticleStatus, StaffRole } from '../../db/index.ts';

export const STAFF_ROLES: readonly StaffRole[] = ['admin', 'desk', 'reporter', 'contributor'];

export const ROLE_LABELS: Readonly<Record<StaffRole, string>> = {
  admin: '관리자',
  desk: '데스크',
  reporter: '기자',
  contributor: '외부 필자',
};

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (STAFF_ROLES as readonly string[]).includes(value);
}

export const ACTIONS = [
  'article.create',
  'article.editOwn',
  'article.editAny',
  'article.submit',
  'article.publish',
  'article.unpublish',
  'article.trash',
  'front.arrange',
  'section.manage',
  'staff.manage',
  'settings.manage',
  'photo.upload',
  'photo.browseAll',
  'photo.editAny',
  'notice.add',
  'byline.others',
  'byline.manage',
  'series.manage',
  'import.run',
  'readers.view',
  'partner.export',
  'ads.manage',
  'ads.html',
  'api.manage',
  'policy.manage',
  'tip.read',
] as const;

export type Action = (typeof ACTIONS)[number];

const Y = true;
const _ = false;

/**
 * Who may do what: the one table. The desk runs the paper but does not manage staff or
 * site settings. Contributors (외부 필자) may submit their own drafts to the desk — their
 * work has to reach the desk's queue somehow — but, unlike reporters, lose the right to
 * edit a piece once it is submitted (see canEditArticle).
 */
// prettier-ignore
const MATRIX: Readonly<Record<Action, readonly [admin: boolean, desk: boolean, reporter: boolean, contributor: boolean]>> = {
  //                      admin desk reporter contributor
  'article.create':      [Y,    Y,   Y,       Y],
  'article.editOwn':     [Y,    Y,   Y,       Y],
  'article.editAny':     [Y,    Y,   _,       _],
  'article.submit':      [Y,    Y,   Y,       Y],
  'article.publish':     [Y,    Y,   _,       _],
  'article.unpublish':   [Y,    Y,   _,       _],
  'article.trash':       [Y,    Y,   _,       _],
  'front.arrange':       [Y,    Y,   _,       _],
  'section.manage':      [Y,    Y,   _,       _],
  'staff.manage':        [Y,    _,   _,       _],
  'settings.manage':     [Y,    _,   _,       _],
  'photo.upload':        [Y,    Y,   Y,       Y],
  // Contributors see and describe only their own uploads (the library holds photos of
  // embargoed drafts); a caption on a published article changes only through the desk.
  'photo.browseAll':     [Y,    Y,   Y,       _],
  'photo.editAny':       [Y,    Y,   _,       _],
  'notice.add':          [Y,    Y,   _,       _],
  // Joint bylines are everyday work for staff (every change is in the article's history);
  // an outside writer signs only their own name, or keeps what the desk set.
  'byline.others':       [Y,    Y,   Y,       _],
  // Outside writers' 기자 페이지 (name, photo, introduction): they have no account to
  // edit it under 내 계정, so the desk does.
  'byline.manage':       [Y,    Y,   _,       _],
  // 연재·기획 groups published work: whoever may publish.
  'series.manage':       [Y,    Y,   _,       _],
  'import.run':          [Y,    Y,   _,       _],
  // What readers read is the desk's planning tool, not every writer's scoreboard.
  'readers.view':        [Y,    Y,   _,       _],
  // The paper's lists for a portal partner (every published piece, 자체기사 counts).
  'partner.export':      [Y,    Y,   _,       _],
  // Third-party ad tags run script: only admins enter them, however sandboxed.
  'ads.manage':          [Y,    Y,   _,       _],
  'ads.html':            [Y,    _,   _,       _],
  // API keys open the archive to another system, webhooks send it out: admins only.
  'api.manage':          [Y,    _,   _,       _],
  // 개인정보처리방침, 이용약관 and the rest are the publisher's legal word.
  'policy.manage':       [Y,    _,   _,       _],
  // Tips carry senders' names and numbers: the desk reads them and assigns the story.
  'tip.read':            [Y,    Y,   _,       _],
};

export function can(role: StaffRole, action: Action): boolean {
  const row = MATRIX[action];
  return row[STAFF_ROLES.indexOf(role)] === true;
}

/** The roles that may do `action` (for queries: "is anyone else left who may manage staff?"). */
export function rolesWith(action: Action): StaffRole[] {
  return STAFF_ROLES.filter((role) => can(role, action));
}

/**
 * Article statuses in which the owner may still edit their own piece. A reporter may fix
 * copy while it waits in the desk's queue; a contributor's piece belongs to the desk once
 * submitted. Published pieces change only through the desk (article.editAny), so every
 * change to what readers see passes an editor.
 */
const OWN_EDITABLE: Readonly<Record<StaffRole, readonly ArticleStatus[]>> = {
  admin: ['draft', 'submitted'],
  desk: ['draft', 'submitted'],
  reporter: ['draft', 'submitted'],
  contributor: ['draft'],
};

export function canEditArticle(
  actor: { id: number; role: StaffRole },
  article: { ownerId: number | null; status: ArticleStatus },
): boolean {
  // A trashed piece is restored (article.trash) before anyone edits it.
  if (article.status === 'trashed') return false;
  if (can(actor.role, 'article.editAny')) return true;
  return (
    can(actor.role, 'article.editOwn') &&
    article.ownerId === actor.id &&
    OWN_EDITABLE[actor.role].includes(article.status)
  );
}
