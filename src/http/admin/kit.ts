import type { FastifyReply, FastifyRequest } from 'fastify';
import { can, type Action } from '../../domains/accounts/index.ts';
import type { Actor } from '../../domains/newsroom/index.ts';
import { AppError, isAppError } from '../../shared/errors.ts';
import { parseRowId } from '../../shared/ids.ts';
import type { AdminChrome, FieldErrors } from '../../views/admin/model.ts';
import { statusForCode } from '../errors.ts';
import type { Staff } from './guard.ts';

const HTML = 'text/html; charset=utf-8';

/** Why a form was not accepted: shown above the form and beside its fields. */
export interface FormFailure {
  message: string;
  fields: FieldErrors;
  status: number;
}

/** What every screen gets from the admin core: who is asking, and how to answer. */
export interface AdminKit {
  /** The signed-in staff member; UNAUTHORIZED when nobody is. */
  staff(request: FastifyRequest): Staff;
  /** The signed-in staff member as the domains' actor. */
  actor(request: FastifyRequest): Actor;
  /** The one permission check: the staff member, or FORBIDDEN when the table says no. */
  require(request: FastifyRequest, action: Action): Staff;
  /** The same question without refusing: for showing or hiding a control. */
  allowed(request: FastifyRequest, action: Action): boolean;
  /** The page frame for this screen: menu (this screen marked), user, flash message. */
  chrome(request: FastifyRequest): AdminChrome;
  html(reply: FastifyReply, body: string, status?: number): FastifyReply;
  /** Post/redirect/get: 303 to `to`. */
  back(reply: FastifyReply, to: string): FastifyReply;
  /** A row id from the path (`:id`), or 404 for anything that is not one. */
  id(request: FastifyRequest, name?: string): number;
  /**
   * Runs a form's action: a returned path is redirected to (post/redirect/get), a returned
   * reply was answered by the action itself. When the action refuses the input (a 4xx
   * other than "forbidden" or "not found"), `rerender` shows the form again with the
   * message and the typed values, with the refusal's status; anything else propagates to
   * the error page.
   */
  form(
    reply: FastifyReply,
    action: () => Promise<string | FastifyReply>,
    rerender: (failure: FormFailure) => Promise<FastifyReply> | FastifyReply,
  ): Promise<FastifyReply>;
}

/** The refusal a form shows next to itself, or null for errors that leave the form. */
export function formFailure(error: unknown): FormFailure | null {
  if (!isAppError(error)) return null;
  const status = statusForCode[error.code];
  if (status >= 500 || error.code === 'FORBIDDEN' || error.code === 'NOT_FOUND') return null;
  const fields = (error.details as { fields?: FieldErrors } | undefined)?.fields;
  return { message: error.message, fields: fields ?? {}, status };
}

export interface KitOptions {
  /** Builds the page frame; `current` is the screen's own menu link. */
  chrome: (request: FastifyRequest, staff: Staff, current: string) => AdminChrome;
  /** This screen's menu link (/admin + prefix). */
  current: string;
}

export function createKit(options: KitOptions): AdminKit {
  const staff = (request: FastifyRequest): Staff => {
    if (request.staff === null) throw new AppError('UNAUTHORIZED', '로그인이 필요합니다.');
    return request.staff;
  };
  const kit: AdminKit = {
    staff,
    actor(request) {
      const { user } = staff(request);
      return { id: user.id, role: user.role, name: user.name };
    },
    require(request, action) {
      const who = staff(request);
      if (!can(who.user.role, action))
        throw new AppError('FORBIDDEN', '이 작업을 할 권한이 없습니다.');
      return who;
    },
    allowed(request, action) {
      return request.staff !== null && can(request.staff.user.role, action);
    },
    chrome(request) {
      return options.chrome(request, staff(request), options.current);
    },
    html(reply, body, status = 200) {
      return reply.code(status).type(HTML).send(body);
    },
    back(reply, to) {
      return reply.redirect(to, 303);
    },
    id(request, name = 'id') {
      const id = parseRowId((request.params as Record<string, string | undefined>)[name]);
      if (id === null) throw new AppError('NOT_FOUND', '없는 주소입니다.');
      return id;
    },
    async form(reply, action, rerender) {
      try {
        const done = await action();
        return typeof done === 'string' ? kit.back(reply, done) : done;
      } catch (error) {
        const failure = formFailure(error);
        if (failure === null) throw error;
        return rerender(failure);
      }
    },
  };
  return kit;
}
