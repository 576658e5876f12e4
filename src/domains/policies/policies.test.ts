import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type DatabaseHandle } from '../../db/index.ts';
import { createBodyCleaner } from '../content/index.ts';
import { tag } from '../../shared/cache-tags.ts';
import { ManualClock } from '../../shared/clock.ts';
import { freshDatabase, testDialects } from '../../testing/databases.ts';
import { defaultPolicyHtml } from './defaults.ts';
import { createPolicies, POLICY_PAGES, type PolicyContext } from './index.ts';

const NOW = Date.UTC(2025, 11, 9, 5, 0);

const context: PolicyContext = {
  paper: {
    name: '한라<일보>',
    registrationNumber: '제주 아01234',
    registrationDate: '2024.03.02',
    publisher: '김발행',
    editor: '이편집',
    youthProtectionOfficer: '박보호',
    address: '제주특별자치도 제주시 중앙로 1',
    phone: '064-123-4567',
    email: 'desk@halla.example',
  },
  siteUrl: 'https://halla.example',
  tipRetentionDays: 45,
};

describe('default policy wordings', () => {
  const cleaner = createBodyCleaner();
  afterAll(() => cleaner.close());

  it('name the paper and its officers, escaped, and survive the body cleaner unchanged', async () => {
    for (const { slug } of POLICY_PAGES) {
      const html = defaultPolicyHtml(slug, context);
      expect(html, slug).toContain('한라&lt;일보&gt;');
      expect(html, slug).not.toContain('한라<일보>');
      // What an admin opens in the editor and saves must be what readers were shown.
      expect(await cleaner.clean(html), slug).toBe(html);
      expect(html.length, slug).toBeGreaterThan(400);
    }
    const privacy = defaultPolicyHtml('privacy', context);
    expect(privacy).toContain('접수한 날부터 45일 동안');
    expect(privacy).toContain('개인정보 보호책임자: 김발행');
    expect(privacy).toContain('2024년 3월 2일부터 적용');
    expect(defaultPolicyHtml('youth', context)).toContain('청소년보호책임자: 박보호');
    // Particles follow the configured words: 한라<일보>는, 064-123-4567로, 이편집은.
    expect(privacy).toContain("한라&lt;일보&gt;(이하 '신문사')는 「개인정보 보호법」");
    expect(defaultPolicyHtml('terms', context)).toContain("(이하 '신문사')가 운영하는");
    expect(defaultPolicyHtml('tip', context)).toContain('전화 064-123-4567로 알려');
    expect(defaultPolicyHtml('ethics', context)).toContain('편집인 이편집은');
    const jeju = {
      ...context,
      paper: { ...context.paper, name: '제주신문', phone: '064-700-1230' },
    };
    expect(defaultPolicyHtml('tip', jeju)).toContain('제주신문은 독자 여러분의');
    expect(defaultPolicyHtml('tip', jeju)).toContain('전화 064-700-1230으로 알려');
  });
});

describe.each(testDialects)('policy pages on %s', (dialect) => {
  let handle: DatabaseHandle;
  let userId: number;
  const cleaner = createBodyCleaner();
  afterAll(() => cleaner.close());

  beforeEach(async () => {
    handle = await freshDatabase(dialect);
    await migrateToLatest(handle);
    const user = await handle.db
      .insertInto('users')
      .values({
        email: 'admin@halla.example',
        name: '김관리',
        role: 'admin',
        password_hash: 'x',
        must_change_password: 0,
        totp_secret: null,
        totp_enabled: 0,
        author_id: null,
        disabled: 0,
        created_at: NOW,
        updated_at: NOW,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    userId = user.id;
  });
  afterEach(async () => {
    await handle.close();
  });

  it('shows the default until saved, keeps every version, cleans what it stores', async () => {
    const clock = new ManualClock(NOW);
    const heard: (readonly string[])[] = [];
    const policies = createPolicies({
      db: handle.db,
      clock,
      bodyCleaner: cleaner,
      context,
      onChange: (tags) => void heard.push(tags),
    });
    const before = await policies.page('terms');
    expect(before).toMatchObject({ title: '이용약관', isDefault: true, savedAt: null });

    clock.advance(60_000);
    await policies.save(
      'terms',
      '<h2>제1조</h2><p onclick="steal()">약관 <script>alert(1)</script>본문</p>',
      userId,
    );
    const saved = await policies.page('terms');
    expect(saved).toMatchObject({ isDefault: false, savedAt: NOW + 60_000, savedBy: '김관리' });
    expect(saved.bodyHtml).toBe('<h2>제1조</h2><p>약관 본문</p>');
    expect(heard).toEqual([[tag.policies]]);

    // The same wording again adds nothing; a new one is a new version.
    await policies.save('terms', '<h2>제1조</h2><p>약관 본문</p>', userId);
    clock.advance(60_000);
    await policies.save('terms', '<p>고친 약관</p>', userId);
    expect((await policies.history('terms')).map((v) => v.savedAt)).toEqual([
      NOW + 120_000,
      NOW + 60_000,
    ]);
    expect((await policies.page('terms')).bodyHtml).toBe('<p>고친 약관</p>');
    // Other pages are untouched.
    expect((await policies.page('privacy')).isDefault).toBe(true);

    await policies.restoreDefault('terms', userId);
    const restored = await policies.page('terms');
    expect(restored.isDefault).toBe(false);
    expect(restored.bodyHtml).toBe(before.bodyHtml);
    expect(await policies.history('terms')).toHaveLength(3);
  });

  it('refuses unknown pages, empty pages and oversized ones with Korean messages', async () => {
    const policies = createPolicies({
      db: handle.db,
      clock: new ManualClock(NOW),
      bodyCleaner: cleaner,
      context,
    });
    await expect(policies.page('../admin')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(policies.save('nope', '<p>x</p>', userId)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(policies.save('ethics', '<p> </p><script>x</script>', userId)).rejects.toThrow(
      '윤리강령 내용을 입력하세요.',
    );
    await expect(
      policies.save('ethics', `<p>${'가'.repeat(200_001)}</p>`, userId),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await policies.history('ethics')).toEqual([]);
  });
});
