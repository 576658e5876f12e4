import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { BodyCleaner } from '../content/index.ts';
import { tag, type CacheTag } from '../../shared/cache-tags.ts';
import type { Clock } from '../../shared/clock.ts';
import { invalidInput, notFound } from '../../shared/errors.ts';
import { defaultPolicyHtml, type PolicyContext } from './defaults.ts';
import {
  isPolicySlug,
  POLICY_PAGES,
  policyTitle,
  type PolicySlug,
} from '../../shared/policy-pages.ts';

export interface PolicyDeps {
  db: Kysely<Database>;
  clock: Clock;
  /** The article body cleaner: a policy page is stored exactly as clean as an article. */
  bodyCleaner: BodyCleaner;
  /** What the default wordings name (the paper, its site, its tip retention). */
  context: PolicyContext;
  /** Called after a commit with the cache tags the change affects. */
  onChange?: (tags: readonly CacheTag[]) => void | Promise<void>;
}

export interface PolicyPage {
  slug: PolicySlug;
  title: string;
  bodyHtml: string;
  /** When the wording in force was saved; null while it is the built-in default. */
  savedAt: number | null;
  savedBy: string | null;
  isDefault: boolean;
}

export interface PolicyVersion {
  id: number;
  savedAt: number;
  savedBy: string | null;
}

/** Longer than any real policy (a full 개인정보처리방침 is 15–25 KB of HTML). */
const MAX_HTML_CHARS = 200_000;
const HISTORY_LIMIT = 50;

/**
 * The policy pages: each slug's latest saved wording, or the default written for this
 * platform until an admin saves one. Every save is a new version, so what readers were
 * shown on a given day can be answered (a privacy policy's history is asked for).
 */
export function createPolicies(deps: PolicyDeps) {
  const { db, clock } = deps;

  function slugOf(value: string): PolicySlug {
    if (!isPolicySlug(value)) throw notFound('없는 페이지입니다.');
    return value;
  }

  async function latest(slug: PolicySlug) {
    return db
      .selectFrom('policy_versions as v')
      .leftJoin('users as u', 'u.id', 'v.saved_by')
      .select(['v.id', 'v.body_html', 'v.saved_at', 'u.name'])
      .where('v.slug', '=', slug)
      .orderBy('v.id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  async function page(value: string): Promise<PolicyPage> {
    const slug = slugOf(value);
    const row = await latest(slug);
    if (row === undefined) {
      return {
        slug,
        title: policyTitle(slug),
        bodyHtml: defaultPolicyHtml(slug, deps.context),
        savedAt: null,
        savedBy: null,
        isDefault: true,
      };
    }
    return {
      slug,
      title: policyTitle(slug),
      bodyHtml: row.body_html,
      savedAt: Number(row.saved_at),
      savedBy: row.name,
      isDefault: false,
    };
  }

  async function store(slug: PolicySlug, html: string, actorId: number): Promise<void> {
    await db
      .insertInto('policy_versions')
      .values({ slug, body_html: html, saved_by: actorId, saved_at: clock.now() })
      .execute();
    await deps.onChange?.([tag.policies]);
  }

  return {
    page,

    /** Every page with when it was last saved, in the footer's order (the admin's list). */
    async all(): Promise<PolicyPage[]> {
      return Promise.all(POLICY_PAGES.map((p) => page(p.slug)));
    },

    async history(value: string): Promise<PolicyVersion[]> {
      const slug = slugOf(value);
      const rows = await db
        .selectFrom('policy_versions as v')
        .leftJoin('users as u', 'u.id', 'v.saved_by')
        .select(['v.id', 'v.saved_at', 'u.name'])
        .where('v.slug', '=', slug)
        .orderBy('v.id', 'desc')
        .limit(HISTORY_LIMIT)
        .execute();
      return rows.map((r) => ({ id: r.id, savedAt: Number(r.saved_at), savedBy: r.name }));
    },

    /** Cleans and stores a new wording. Refuses an empty page. */
    async save(value: string, html: string, actorId: number): Promise<void> {
      const slug = slugOf(value);
      if (html.length > MAX_HTML_CHARS)
        throw invalidInput(
          `내용이 너무 깁니다 (${MAX_HTML_CHARS.toLocaleString('ko-KR')}자까지). 나누어 쓰세요.`,
          { fields: { bodyHtml: '내용이 너무 깁니다.' } },
        );
      const cleaned = await deps.bodyCleaner.clean(html);
      if (cleaned.replace(/<[^>]*>/g, '').trim() === '')
        throw invalidInput(`${policyTitle(slug)} 내용을 입력하세요.`, {
          fields: { bodyHtml: '내용을 입력하세요.' },
        });
      const current = await latest(slug);
      // Saving the form unchanged adds no version.
      if (current?.body_html === cleaned) return;
      await store(slug, cleaned, actorId);
    },

    /** Puts the built-in wording back in force, as a new version. */
    async restoreDefault(value: string, actorId: number): Promise<void> {
      const slug = slugOf(value);
      await store(slug, defaultPolicyHtml(slug, deps.context), actorId);
    },
  };
}

export type Policies = ReturnType<typeof createPolicies>;
