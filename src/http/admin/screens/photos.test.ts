import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, as, signIn, type StaffSession } from '../../../testing/admin-session.ts';
import { createTestApp, type TestApp } from '../../../testing/app.ts';
import { seedFixture, type Fixture } from '../../../testing/fixtures.ts';

/**
 * Any staff member could rewrite any photo's caption and credit, live on published
 * articles, and contributors could list every photo, those of embargoed drafts included.
 */
describe('사진함 permissions', () => {
  let app: TestApp;
  let fx: Fixture;
  const staff = new Map<string, { session: StaffSession; id: number }>();
  const photoOf = new Map<string, number>();

  async function upload(name: string, caption: string): Promise<number> {
    const bytes = await sharp({
      create: { width: 64, height: 48, channels: 3, background: '#3a7' },
    })
      .jpeg()
      .toBuffer();
    const uploader = staff.get(name)?.id ?? null;
    const photo = await app.services.photos.ingestPhoto(bytes, {
      caption,
      credit: '탐나일보',
      alt: caption,
      uploadedBy: uploader,
    });
    return photo.id;
  }

  beforeAll(async () => {
    app = await createTestApp();
    fx = await seedFixture(app);
    for (const role of ['desk', 'reporter', 'contributor'] as const) {
      const email = await addStaff(app, role, `${role} 담당`);
      const user = await app.services.accounts.findUserByEmail(email);
      staff.set(role, { session: await signIn(app, email), id: user!.id });
    }
    photoOf.set('reporter', await upload('reporter', '기자가 올린 한라산 사진'));
    photoOf.set('contributor', await upload('contributor', '필자가 올린 오름 사진'));
  });
  afterAll(async () => {
    await app.close();
  });

  const client = (role: string) => as(app, staff.get(role)!.session);
  const edit = (role: string, id: number, caption: string) =>
    client(role).post(`/admin/photos/${id}`, { caption, credit: '탐나일보', alt: caption });

  it('shows a contributor only their own uploads, in the page and in the picker', async () => {
    const page = await client('contributor').get('/admin/photos');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('필자가 올린 오름 사진');
    expect(page.body).not.toContain('기자가 올린 한라산 사진');
    const json = (await client('contributor').get('/admin/photos.json')).json() as {
      items: { id: number }[];
    };
    expect(json.items.map((p) => p.id)).toEqual([photoOf.get('contributor')]);
    const reporterView = await client('reporter').get('/admin/photos');
    expect(reporterView.body).toContain('필자가 올린 오름 사진');
  });

  it('lets the uploader describe an unpublished photo, and nobody else below the desk', async () => {
    const mine = photoOf.get('reporter')!;
    expect((await edit('contributor', mine, '고쳐 쓴 설명')).statusCode).toBe(403);
    expect((await edit('reporter', mine, '기자가 고친 설명')).statusCode).toBe(303);
    expect((await app.services.photos.getPhoto(mine))?.caption).toBe('기자가 고친 설명');
  });

  it('keeps captions of photos on published articles to the desk', async () => {
    // The fixture's published articles use fx.photoId, uploaded by nobody on the staff.
    expect((await edit('reporter', fx.photoId, '몰래 바꾼 설명')).statusCode).toBe(403);
    expect((await edit('contributor', fx.photoId, '몰래 바꾼 설명')).statusCode).toBe(403);
    expect((await edit('desk', fx.photoId, '데스크가 고친 설명')).statusCode).toBe(303);
    expect((await app.services.photos.getPhoto(fx.photoId))?.caption).toBe('데스크가 고친 설명');
  });

  it('offers the caption form only where saving it is allowed', async () => {
    const form = (id: number) => `action="/admin/photos/${id}"`;
    const reporterPage = (await client('reporter').get('/admin/photos')).body;
    expect(reporterPage).toContain(form(photoOf.get('reporter')!));
    expect(reporterPage).not.toContain(form(photoOf.get('contributor')!));
    expect(reporterPage).not.toContain(form(fx.photoId));
    expect(reporterPage).toContain('설명은 올린 사람이, 출고된 기사에 쓰인');
    const deskPage = (await client('desk').get('/admin/photos')).body;
    for (const id of [photoOf.get('reporter')!, photoOf.get('contributor')!, fx.photoId])
      expect(deskPage).toContain(form(id));
  });

  it("filters the editor's picker by words, upload day (KST) and uploader", async () => {
    const get = async (query: string) =>
      (await client('desk').get(`/admin/photos.json?${query}`)).json() as {
        items: { id: number; uploaderName: string | null; uploadedAt: string }[];
        uploaders: { id: number; name: string }[];
      };
    const reporterPhoto = photoOf.get('reporter')!;
    const byUploader = await get(`uploader=${staff.get('reporter')!.id}`);
    expect(byUploader.items.map((p) => p.id)).toEqual([reporterPhoto]);
    expect(byUploader.items[0]!.uploaderName).toBe('reporter 담당');
    expect(byUploader.uploaders.map((u) => u.name)).toContain('contributor 담당');
    const today = byUploader.items[0]!.uploadedAt.slice(0, 10).replace(/\./g, '-');
    const sameDay = await get(`from=${today}&to=${today}`);
    expect(sameDay.items.map((p) => p.id)).toContain(reporterPhoto);
    expect((await get('to=2001-01-01')).items).toEqual([]);
    // A malformed day is ignored rather than answered with an error.
    expect((await get('from=어제')).items.length).toBeGreaterThan(0);
    expect((await get('q=오름')).items.map((p) => p.id)).toEqual([photoOf.get('contributor')]);
    // A contributor cannot look at someone else's uploads through the filter.
    const theirs = (
      await client('contributor').get(`/admin/photos.json?uploader=${staff.get('reporter')!.id}`)
    ).json() as { items: { id: number }[]; uploaders: unknown[] };
    expect(theirs.items.map((p) => p.id)).toEqual([photoOf.get('contributor')]);
    expect(theirs.uploaders).toEqual([]);
  });

  it('answers 404 for a photo that does not exist', async () => {
    expect((await edit('desk', 999_999, '설명')).statusCode).toBe(404);
  });
});
