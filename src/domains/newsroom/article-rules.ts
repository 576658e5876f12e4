import type { ArticleStatus, StaffRole } from '../../db/index.ts';
import { can, canEditArticle } from '../accounts/index.ts';
import { AppError } from '../../shared/errors.ts';

/** What can be done to one article. The editor shows a button for each allowed one. */
export const ARTICLE_ACTIONS = [
  'view',
  'edit',
  'submit',
  'sendBack',
  'publish',
  'unpublish',
  'trash',
  'restore',
  'addNotice',
] as const;

export type ArticleAction = (typeof ARTICLE_ACTIONS)[number];

export type AllowedActions = Readonly<Record<ArticleAction, boolean>>;

/** The facts about an article that decide what may be done to it. */
export interface ArticleState {
  status: ArticleStatus;
  ownerId: number | null;
  publishedAt: number | null;
  trashedFrom: ArticleStatus | null;
}

const forbidden = (message: string) => new AppError('FORBIDDEN', message);
const conflict = (message: string) => new AppError('CONFLICT', message);

/**
 * The desk's rules for one article, in one place: null when `actor` may do `action` to the
 * article now, otherwise the error to answer with — FORBIDDEN when the actor may never do
 * it, CONFLICT when the article's state is wrong for it (a desk editor cannot publish a
 * piece in the bin). The desk's methods throw these; the editor hides what is not null.
 * Permissions come from the one table (accounts' `can`); nothing here compares roles.
 */
export function articleVerdict(
  actor: { id: number; role: StaffRole },
  article: ArticleState,
  action: ArticleAction,
  now: number,
): AppError | null {
  const own = article.ownerId !== null && article.ownerId === actor.id;
  const editAny = can(actor.role, 'article.editAny');
  switch (action) {
    case 'view':
      return editAny || own ? null : forbidden('다른 기자의 기사는 볼 수 없습니다.');
    case 'edit':
      // The desk may still fix a binned piece; everyone else follows the shared rule.
      if (article.status === 'trashed')
        return editAny ? null : forbidden('휴지통의 기사는 먼저 복원하세요.');
      return canEditArticle(actor, article) ? null : forbidden('이 기사를 고칠 권한이 없습니다.');
    case 'submit':
      if (!can(actor.role, 'article.submit') || !canEditArticle(actor, article))
        return forbidden('이 기사를 데스크로 보낼 권한이 없습니다.');
      return article.status === 'draft'
        ? null
        : conflict('작성 중인 기사만 데스크로 보낼 수 있습니다.');
    case 'sendBack':
      if (!can(actor.role, 'article.publish')) return forbidden('데스크만 반려할 수 있습니다.');
      return article.status === 'submitted'
        ? null
        : conflict('데스크 대기 중인 기사만 반려할 수 있습니다.');
    case 'publish':
      if (!can(actor.role, 'article.publish')) return forbidden('출고는 데스크만 할 수 있습니다.');
      return article.status === 'trashed' ? conflict('휴지통의 기사는 먼저 복원하세요.') : null;
    case 'unpublish':
      if (!can(actor.role, 'article.unpublish'))
        return forbidden('출고 취소는 데스크만 할 수 있습니다.');
      return article.status === 'published' ? null : conflict('출고된 기사가 아닙니다.');
    case 'trash':
      if (article.status === 'trashed')
        // Only someone who could have binned it hears that it already is.
        return can(actor.role, 'article.trash') || (own && article.trashedFrom === 'draft')
          ? conflict('이미 휴지통에 있는 기사입니다.')
          : forbidden('이 기사를 휴지통으로 옮길 권한이 없습니다.');
      // A writer may bin their own draft; anything further along is the desk's call.
      return can(actor.role, 'article.trash') ||
        (article.status === 'draft' && canEditArticle(actor, article))
        ? null
        : forbidden('이 기사를 휴지통으로 옮길 권한이 없습니다.');
    case 'restore':
      if (!(can(actor.role, 'article.trash') || (own && article.trashedFrom === 'draft')))
        return forbidden('이 기사를 복원할 권한이 없습니다.');
      return article.status === 'trashed' ? null : conflict('휴지통에 있는 기사가 아닙니다.');
    case 'addNotice': {
      if (!can(actor.role, 'notice.add'))
        return forbidden('정정·반론보도는 데스크만 붙일 수 있습니다.');
      // A notice answers what readers saw: only a piece that is out has one.
      const out =
        article.status === 'published' &&
        article.publishedAt !== null &&
        article.publishedAt <= now;
      return out ? null : conflict('출고된 기사에만 정정·반론보도를 붙일 수 있습니다.');
    }
  }
}

/** Every article action with whether `actor` may do it now: the editor's buttons. */
export function allowedActions(
  actor: { id: number; role: StaffRole },
  article: ArticleState,
  now: number,
): AllowedActions {
  const out = {} as Record<ArticleAction, boolean>;
  for (const action of ARTICLE_ACTIONS)
    out[action] = articleVerdict(actor, article, action, now) === null;
  return out;
}
