import { describe, expect, it } from 'vitest';
import type { ArticleStatus } from '../../db/index.ts';
import { ACTIONS, can, canEditArticle, STAFF_ROLES } from './permissions.ts';

describe('permission matrix', () => {
  it('grants exactly this table (every cell)', () => {
    const header = ['action'.padEnd(18), ...STAFF_ROLES.map((r) => r.padEnd(12))]
      .join('')
      .trimEnd();
    const rows = ACTIONS.map((action) =>
      [action.padEnd(18), ...STAFF_ROLES.map((role) => (can(role, action) ? 'Y' : '-').padEnd(12))]
        .join('')
        .trimEnd(),
    );
    expect(['', header, ...rows, ''].join('\n')).toBe(`
action            admin       desk        reporter    contributor
article.create    Y           Y           Y           Y
article.editOwn   Y           Y           Y           Y
article.editAny   Y           Y           -           -
article.submit    Y           Y           Y           Y
article.publish   Y           Y           -           -
article.unpublish Y           Y           -           -
article.trash     Y           Y           -           -
front.arrange     Y           Y           -           -
section.manage    Y           Y           -           -
staff.manage      Y           -           -           -
settings.manage   Y           -           -           -
photo.upload      Y           Y           Y           Y
photo.browseAll   Y           Y           Y           -
photo.editAny     Y           Y           -           -
notice.add        Y           Y           -           -
byline.others     Y           Y           Y           -
byline.manage     Y           Y           -           -
series.manage     Y           Y           -           -
import.run        Y           Y           -           -
readers.view      Y           Y           -           -
partner.export    Y           Y           -           -
ads.manage        Y           Y           -           -
ads.html          Y           -           -           -
api.manage        Y           -           -           -
policy.manage     Y           -           -           -
tip.read          Y           Y           -           -
`);
  });
});

describe('editing an article', () => {
  const statuses: ArticleStatus[] = ['draft', 'submitted', 'published', 'unpublished', 'trashed'];
  const editable = (role: 'admin' | 'desk' | 'reporter' | 'contributor', own: boolean) =>
    statuses.filter((status) => canEditArticle({ id: 7, role }, { ownerId: own ? 7 : 8, status }));

  it('lets the desk edit anything not in the trash', () => {
    expect(editable('desk', false)).toEqual(['draft', 'submitted', 'published', 'unpublished']);
    expect(editable('admin', false)).toEqual(['draft', 'submitted', 'published', 'unpublished']);
  });

  it('lets a reporter edit their own piece until it is published', () => {
    expect(editable('reporter', true)).toEqual(['draft', 'submitted']);
    expect(editable('reporter', false)).toEqual([]);
  });

  it('lets a contributor edit only their own drafts', () => {
    expect(editable('contributor', true)).toEqual(['draft']);
    expect(editable('contributor', false)).toEqual([]);
  });

  it('treats an article without an owner as nobody’s own', () => {
    expect(canEditArticle({ id: 7, role: 'reporter' }, { ownerId: null, status: 'draft' })).toBe(
      false,
    );
  });
});
