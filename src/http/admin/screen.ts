import type { FastifyInstance } from 'fastify';
import type { Action } from '../../domains/accounts/index.ts';
import type { AdminDeps } from './deps.ts';
import type { AdminKit } from './kit.ts';

/**
 * One screen of the newsroom: its routes under one prefix, what a staff member must be
 * allowed to do to use it, and its menu entry. The admin core registers every screen in
 * `screens/index.ts` the same way, builds the menu from these declarations, and refuses a
 * request for a screen the staff member may not use before its body is read.
 */
export interface AdminScreen {
  /** For logs and tests: `articles`, `photos`, … */
  name: string;
  /** Under /admin: '/articles'. The desk's first page and the sign-in pages use ''. */
  prefix: string;
  /** The action every route of the screen needs; null: any signed-in staff member. */
  permission: Action | null;
  /** The menu entry (ordered by `order`); screens without one are reached from others. */
  nav?: { label: string; order: number };
  /** One-line messages after a redirect to `?ok=<key>`. */
  flash?: Readonly<Record<string, string>>;
  /** Takes photo or banner files: only these scopes parse multipart bodies. */
  uploads?: boolean;
  /** Optional screens (banners, weather, reader counts) exist only with their services. */
  enabled?: (deps: AdminDeps) => boolean;
  routes: (scope: FastifyInstance, kit: AdminKit, deps: AdminDeps) => void | Promise<void>;
}
