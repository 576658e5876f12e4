import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffRole } from '../../../db/index.ts';
import { addStaff, as, signIn } from '../../../testing/admin-session.ts';
import { createTestApp, REFERENCE_NOW, type TestApp } from '../../../testing/app.ts';
import { seedFixture, type Fixture } from '../../../testing/fixtures.ts';

const DAY = 24 * 60 * 60 * 1000;
/** 2025-11-20 10:00 KST */
const NOV_20 = Date.UTC(2025, 10, 20, 1, 0);
/** 2025-10-05 10:00 KST: outside "the last 2 months" on 9 December. */
const OCT_5 = Date.UTC(2025, 9, 5, 1, 0);

/** RFC 4180, as a spreadsheet reads it: quoted fields may hold commas, quotes and CRLFs. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) throw new Error(`CSV does not end in CRLF: ${cell}`);
  return rows;
}

describe('포털 제휴 (partner export)', () => {
  let app: TestApp;
  let fx: Fixture;
  const ids: Record<string, number> = {};
  const sessions: Partial<Record<StaffRole, ReturnType<typeof as>>> = {};

  beforeAll(async () => {
    app = await createTestApp({ env: { TAMNA_PARTNER_TOKEN: 'p'.repeat(32) } });
    fx = await seedFixture(app, { articlesPerSection: 1 });
    const { writer } = app.services;
    const second = await writer.createAuthor({ name: '이제주', email: 'lee@tamnailbo.example' });
    const add = (
      key: string,
      input: { sectionId: number; title: string; origin: string; publishedAt: number },
    ) =>
      writer
        .createArticle({
          ...input,
          origin: input.origin as 'own',
          status: 'published',
          authorIds: [fx.authorId, second],
        })
        .then((id) => void (ids[key] = id));
    await add('wire', {
      sectionId: fx.sections.politics,
      title: '=HYPERLINK("https://evil.example","클릭")',
      origin: 'wire',
      publishedAt: NOV_20,
    });
    await add('press', {
      sectionId: fx.sections.society,
      title: '보도자료, "따옴표" 포함',
      origin: 'press_release',
      publishedAt: NOV_20 + 1000,
    });
    await add('child', {
      sectionId: fx.sections.jejuCity,
      title: '제주시 자체 취재',
      origin: 'own',
      publishedAt: NOV_20 + 2000,
    });
    await add('october', {
      sectionId: fx.sections.politics,
      title: '시월 기사',
      origin: 'own',
      publishedAt: OCT_5,
    });
    await add('ad', {
      sectionId: fx.sections.incidents,
      title: '-30% 할인 @제주 +혜택',
      origin: 'advertorial',
      publishedAt: REFERENCE_NOW - DAY,
    });
    // Not out: a draft and a schedule are not the paper's published articles yet.
    await writer.createArticle({ sectionId: fx.sections.politics, title: '초고', status: 'draft' });
    await writer.createArticle({
      sectionId: fx.sections.politics,
      title: '예약',
      status: 'published',
      publishedAt: REFERENCE_NOW + DAY,
    });
    for (const role of ['admin', 'desk', 'reporter', 'contributor'] as const)
      sessions[role] = as(app, await signIn(app, await addStaff(app, role, `${role} 담당`)));
  });
  afterAll(async () => {
    await app.close();
  });

  it('is the desk’s and the admin’s: reporters and contributors get 403 and no menu entry', async () => {
    for (const role of ['reporter', 'contributor'] as const) {
      const staff = sessions[role]!;
      for (const url of [
        '/admin/partners',
        '/admin/partners/articles.csv?months=3',
        '/admin/partners/monthly.csv?months=3',
      ])
        expect((await staff.get(url)).statusCode, `${role} ${url}`).toBe(403);
      expect((await staff.get('/admin')).body).not.toContain('/admin/partners');
    }
    for (const role of ['admin', 'desk'] as const) {
      const page = await sessions[role]!.get('/admin/partners');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<a href="/admin/partners" aria-current="page">포털 제휴</a>');
    }
  });

  it('downloads the period’s published articles as Excel-ready, injection-safe CSV', async () => {
    const res = await sessions.desk!.get('/admin/partners/articles.csv?months=2');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="partner-articles-2025-11_2025-12.csv"',
    );
    // Streamed: no length known up front.
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    // The raw bytes: quoted, quotes doubled, the formula defused with an apostrophe.
    expect(res.body).toContain(',"\'=HYPERLINK(""https://evil.example"",""클릭"")",');
    const [header, ...rows] = parseCsv(res.body.slice(1));
    expect(header).toEqual(['번호', 'URL', '제목', '기자', '최초 출고(KST)', '섹션', '기사 구분']);
    // November's three, then December's: the fixture's six and the advertorial; oldest first.
    expect(rows).toHaveLength(3 + fx.published.length + 1 + 1);
    expect(rows.slice(0, 3)).toEqual([
      [
        String(ids.wire),
        `https://news.example.kr/news/${ids.wire}`,
        '\'=HYPERLINK("https://evil.example","클릭")',
        '김탐나, 이제주',
        '2025-11-20 10:00',
        '정치',
        '통신',
      ],
      [
        String(ids.press),
        `https://news.example.kr/news/${ids.press}`,
        '보도자료, "따옴표" 포함',
        '김탐나, 이제주',
        '2025-11-20 10:00',
        '사회',
        '보도자료',
      ],
      [
        String(ids.child),
        `https://news.example.kr/news/${ids.child}`,
        '제주시 자체 취재',
        '김탐나, 이제주',
        '2025-11-20 10:00',
        '사회 > 제주시',
        '자체기사',
      ],
    ]);
    const ad = rows.find((r) => r[0] === String(ids.ad));
    expect(ad?.[2]).toBe("'-30% 할인 @제주 +혜택");
    expect(ad?.[6]).toBe('광고성 기사');
    const times = rows.map((r) => r[4] ?? '');
    expect([...times].sort()).toEqual(times);
    expect(res.body).not.toContain('시월 기사');
    expect(res.body).not.toContain('초고');
    expect(res.body).not.toContain('예약');
  });

  it('counts 자체기사 per top-level section and month, with totals and the share', async () => {
    const page = await sessions.admin!.get('/admin/partners?months=2');
    expect(page.body).toContain('2025.11.01 ~ 2025.12.09');
    expect(page.body).toContain('기사 10건');
    const res = await sessions.admin!.get('/admin/partners/monthly.csv?months=2');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="partner-own-by-month-2025-11_2025-12.csv"',
    );
    expect(res.body.startsWith('\uFEFF')).toBe(true);
    expect(parseCsv(res.body.slice(1))).toEqual([
      [
        '월',
        '정치 자체기사',
        '사회 자체기사',
        '사건/사고/판결 자체기사',
        '와이드포토 자체기사',
        '보관 자체기사',
        '자체기사 합계',
        '전체 기사',
        '자체기사 비율(%)',
      ],
      ['2025년 11월', '0', '1', '0', '0', '0', '1', '3', '33.3'],
      ['2025년 12월 (9일까지)', '1', '2', '1', '1', '1', '6', '7', '85.7'],
      ['합계', '1', '3', '1', '1', '1', '7', '10', '70.0'],
    ]);
  });

  it('refuses a period outside 1–24 months with a Korean message beside the field', async () => {
    for (const months of ['0', '25', 'abc', '-1', '3.5', '%27']) {
      for (const path of ['', '/articles.csv', '/monthly.csv']) {
        const res = await sessions.desk!.get(`/admin/partners${path}?months=${months}`);
        expect(res.statusCode, `${path} ${months}`).toBe(400);
        expect(res.headers['content-type']).toContain('text/html');
        expect(res.body).toContain('기간은 1개월부터 24개월까지 고르세요.');
      }
    }
  });

  it('says where the partners’ feed is and whether it is open', async () => {
    const page = await sessions.desk!.get('/admin/partners');
    expect(page.body).toContain('https://news.example.kr/partner/feed.json');
    expect(page.body).toContain('status-published">열림');
  });
});

describe('a partner export longer than one batch', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('streams every row once, in order, across the thousand-row batches', async () => {
    const section = await app.services.writer.createSection({ slug: 'society', name: '사회' });
    const total = 2_345;
    const now = app.clock.now();
    for (let start = 0; start < total; start += 200) {
      await app.database.db
        .insertInto('articles')
        .values(
          Array.from({ length: Math.min(200, total - start) }, (_, i) => {
            // Two articles share each time: the keyset must not lose either at a batch edge.
            const at = now - 20 * DAY + Math.floor((start + i) / 2) * 60_000;
            return {
              section_id: section,
              title: `기사 ${start + i}`,
              subtitle: '',
              body_html: '',
              summary: '',
              status: 'published' as const,
              is_breaking: 0,
              is_photo_story: 0,
              published_at: at,
              first_published_at: at,
              updated_at: at,
              created_at: at,
            };
          }),
        )
        .execute();
    }
    const desk = as(app, await signIn(app, await addStaff(app, 'desk', '오데스크')));
    const res = await desk.get('/admin/partners/articles.csv?months=2');
    const rows = parseCsv(res.body.slice(1)).slice(1);
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((r) => r[0])).size).toBe(total);
    const keys = rows.map((r) => `${r[4]} ${String(r[0]).padStart(6, '0')}`);
    expect([...keys].sort()).toEqual(keys);
  });
});
