import { describe, expect, it } from 'vitest';
import type { ArticleStatus, StaffRole } from '../../db/index.ts';
import {
  allowedActions,
  articleVerdict,
  type ArticleAction,
  type ArticleState,
} from './article-rules.ts';

const NOW = 1_765_000_000_000;
const ME = 7;
const ROLES: StaffRole[] = ['admin', 'desk', 'reporter', 'contributor'];

const article = (status: ArticleStatus, over: Partial<ArticleState> = {}): ArticleState => ({
  status,
  ownerId: ME,
  publishedAt: status === 'published' ? NOW - 1000 : null,
  trashedFrom: status === 'trashed' ? 'draft' : null,
  ...over,
});

/** The allowed actions as a short list, for readable tables. */
function allowed(role: StaffRole, state: ArticleState): ArticleAction[] {
  const all = allowedActions({ id: ME, role }, state, NOW);
  return (Object.keys(all) as ArticleAction[]).filter((a) => all[a]);
}

describe('what each role may do to an article', () => {
  it('lets a writer work on their own draft and hand it to the desk', () => {
    expect(Object.fromEntries(ROLES.map((r) => [r, allowed(r, article('draft'))]))).toEqual({
      admin: ['view', 'edit', 'submit', 'publish', 'trash'],
      desk: ['view', 'edit', 'submit', 'publish', 'trash'],
      reporter: ['view', 'edit', 'submit', 'trash'],
      contributor: ['view', 'edit', 'submit', 'trash'],
    });
  });

  it('keeps a submitted piece with the desk; a reporter may still fix copy, a contributor not', () => {
    expect(Object.fromEntries(ROLES.map((r) => [r, allowed(r, article('submitted'))]))).toEqual({
      admin: ['view', 'edit', 'sendBack', 'publish', 'trash'],
      desk: ['view', 'edit', 'sendBack', 'publish', 'trash'],
      reporter: ['view', 'edit'],
      contributor: ['view'],
    });
  });

  it('changes a published piece only through the desk, which alone adds notices', () => {
    expect(Object.fromEntries(ROLES.map((r) => [r, allowed(r, article('published'))]))).toEqual({
      admin: ['view', 'edit', 'publish', 'unpublish', 'trash', 'addNotice'],
      desk: ['view', 'edit', 'publish', 'unpublish', 'trash', 'addNotice'],
      reporter: ['view'],
      contributor: ['view'],
    });
  });

  it('adds no notice to a piece that is only scheduled', () => {
    const scheduled = article('published', { publishedAt: NOW + 60_000 });
    expect(allowed('desk', scheduled)).not.toContain('addNotice');
    expect(articleVerdict({ id: ME, role: 'desk' }, scheduled, 'addNotice', NOW)?.code).toBe(
      'CONFLICT',
    );
  });

  it('lets the owner restore only a binned draft; the desk restores anything', () => {
    const binnedDraft = article('trashed');
    const binnedPublished = article('trashed', { trashedFrom: 'published' });
    expect(allowed('reporter', binnedDraft)).toEqual(['view', 'restore']);
    expect(allowed('reporter', binnedPublished)).toEqual(['view']);
    expect(allowed('desk', binnedPublished)).toEqual(['view', 'edit', 'restore']);
  });

  it('shows someone else’s piece only to the desk', () => {
    const theirs = article('draft', { ownerId: ME + 1 });
    expect(allowed('reporter', theirs)).toEqual([]);
    expect(allowed('contributor', theirs)).toEqual([]);
    expect(allowed('desk', theirs)).toEqual(['view', 'edit', 'submit', 'publish', 'trash']);
  });

  it('answers FORBIDDEN for a role that may never, CONFLICT for a state that is wrong', () => {
    const reporter = { id: ME, role: 'reporter' as const };
    expect(articleVerdict(reporter, article('submitted'), 'publish', NOW)?.code).toBe('FORBIDDEN');
    expect(articleVerdict({ id: ME, role: 'desk' }, article('trashed'), 'publish', NOW)?.code).toBe(
      'CONFLICT',
    );
    expect(articleVerdict(reporter, article('draft'), 'submit', NOW)).toBeNull();
    expect(articleVerdict(reporter, article('submitted'), 'submit', NOW)?.code).toBe('CONFLICT');
    // Someone else's binned piece: not "already binned" (which tells them it exists) but no.
    const theirs = article('trashed', { ownerId: ME + 1 });
    expect(articleVerdict(reporter, theirs, 'trash', NOW)?.code).toBe('FORBIDDEN');
    expect(articleVerdict({ id: ME, role: 'desk' }, theirs, 'trash', NOW)?.code).toBe('CONFLICT');
  });
});
