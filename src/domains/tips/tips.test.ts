import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type DatabaseHandle } from '../../db/index.ts';
import { ManualClock } from '../../shared/clock.ts';
import { freshDatabase, testDialects } from '../../testing/databases.ts';
import { jpegWithGps, tinyPdf } from '../../testing/tip-files.ts';
import { createLocalMediaStorage, createPhotoLibrary } from '../media/index.ts';
import { addressGroup, createTips, type TipInput, type Tips } from './index.ts';

const NOW = Date.UTC(2025, 11, 9, 5, 0);
const DAY = 24 * 60 * 60 * 1000;

const input = (over: Partial<TipInput> = {}): TipInput => ({
  name: '김제보',
  contact: '010-1234-5678',
  body: '동문시장 앞 횡단보도 신호등이 사흘째 꺼져 있습니다. 아이들이 위험합니다.',
  consent: true,
  files: [],
  ...over,
});

describe('addressGroup', () => {
  it('counts IPv4 per address and IPv6 per /64 network', () => {
    expect(addressGroup('203.0.113.7')).toBe('203.0.113.7');
    expect(addressGroup('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressGroup('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressGroup('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressGroup('2001:db8::1')).toBe('2001:db8:0:0::/64');
  });
});

describe.each(testDialects)('기사제보 storage on %s', (dialect) => {
  let handle: DatabaseHandle;
  let clock: ManualClock;
  let tips: Tips;
  let heard: { id: number; receipt: string }[];
  let mediaRoot: string;
  let userId: number;

  beforeAll(() => {
    mediaRoot = mkdtempSync(path.join(os.tmpdir(), 'tamna-tips-'));
  });
  afterAll(() => rmSync(mediaRoot, { recursive: true, force: true }));

  beforeEach(async () => {
    handle = await freshDatabase(dialect);
    await migrateToLatest(handle);
    clock = new ManualClock(NOW);
    heard = [];
    const photos = createPhotoLibrary({
      db: handle.db,
      storage: createLocalMediaStorage(mediaRoot),
      clock,
    });
    tips = createTips({
      db: handle.db,
      clock,
      retentionDays: 30,
      cleanPhoto: (bytes) => photos.cleanPhoto(bytes),
      onTip: (tip) => void heard.push(tip),
    });
    const user = await handle.db
      .insertInto('users')
      .values({
        email: 'desk@tamnailbo.example',
        name: '오데스크',
        role: 'desk',
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

  async function admitted(address = '203.0.113.7') {
    const admission = await tips.admit(address);
    if (!admission.ok) throw new Error('not admitted');
    return admission.ticket;
  }

  it('stores a tip with cleaned photos, gives a receipt, tells the desk, and the desk works it', async () => {
    const jpeg = await jpegWithGps();
    const stored = await tips.submit(
      input({
        name: '  김\u0000제보  ',
        body: '\r\n신호등이\r\n\r\n\r\n\r\n꺼져 있습니다. 확인 부탁드립니다.  ',
        files: [
          { bytes: jpeg, filename: 'C:\\Users\\me\\IMG_0001.JPG' },
          { bytes: jpeg, filename: '../../etc/passwd' },
        ],
      }),
      await admitted(),
    );
    expect(stored.receipt).toMatch(/^251209-[A-HJ-NP-Z2-9]{6}$/);
    expect(heard).toEqual([stored]);

    const list = await tips.list();
    expect(list.items).toMatchObject([
      { id: stored.id, receipt: stored.receipt, name: '김제보', status: 'new', fileCount: 2 },
    ]);
    expect(await tips.countNew()).toBe(1);
    const detail = await tips.open(stored.id);
    expect(detail).toMatchObject({
      contact: '010-1234-5678',
      body: '신호등이\n\n꺼져 있습니다. 확인 부탁드립니다.',
      status: 'seen',
    });
    expect(detail.files.map((f) => [f.kind, f.name, f.width])).toEqual([
      ['photo', 'IMG_0001.JPG', 800],
      ['photo', 'passwd', 800],
    ]);
    const file = await tips.file(stored.id, detail.files[0]!.id);
    expect(file.mime).toBe('image/jpeg');
    expect((await sharp(file.bytes).metadata()).exif).toBeUndefined();
    expect(await tips.countNew()).toBe(0);

    await tips.setStatus(stored.id, 'done', userId);
    expect(await tips.open(stored.id)).toMatchObject({ status: 'done', handledBy: '오데스크' });
    await tips.remove(stored.id);
    await expect(tips.open(stored.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await handle.db.selectFrom('tip_files').select('id').execute()).toEqual([]);
  });

  it('takes one PDF checked by its bytes, and refuses mixes, too many, empty and cut-off files', async () => {
    const pdf = tinyPdf();
    const ok = await tips.submit(
      input({ files: [{ bytes: pdf, filename: '민원 회신.pdf' }] }),
      await admitted(),
    );
    const detail = await tips.open(ok.id);
    expect(detail.files).toMatchObject([
      { kind: 'pdf', mime: 'application/pdf', size: pdf.length },
    ]);
    expect((await tips.file(ok.id, detail.files[0]!.id)).bytes.equals(pdf)).toBe(true);

    const photo = await sharp({
      create: { width: 40, height: 30, channels: 3, background: '#000' },
    })
      .png()
      .toBuffer();
    const refusals: [TipInput['files'], RegExp][] = [
      [
        [
          { bytes: pdf, filename: 'a.pdf' },
          { bytes: photo, filename: 'b.png' },
        ],
        /PDF는 한 개만, 사진 없이/,
      ],
      [
        [
          { bytes: pdf, filename: 'a.pdf' },
          { bytes: pdf, filename: 'b.pdf' },
        ],
        /PDF는 한 개만/,
      ],
      [Array.from({ length: 6 }, () => ({ bytes: photo, filename: 'p.png' })), /5장까지/],
      [[{ bytes: pdf.subarray(0, 40), filename: 'cut.pdf' }], /손상되었거나 끝까지/],
      [[{ bytes: Buffer.alloc(0), filename: 'empty.jpg' }], /비어 있습니다/],
      [
        [{ bytes: Buffer.from('MZ\x90\x00 not a photo'), filename: 'photo.jpg' }],
        /지원하지 않는 사진 형식입니다. JPEG, PNG, WebP 사진이나 PDF 문서를/,
      ],
      [
        [{ bytes: Buffer.concat([pdf, Buffer.alloc(10 * 1024 * 1024)]), filename: 'big.pdf' }],
        /10MB 이하로/,
      ],
    ];
    for (const [files, message] of refusals) {
      await expect(tips.submit(input({ files }), await admitted())).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringMatching(message),
        details: { fields: { files: expect.any(String) } },
      });
    }
    // Refused attempts gave their count back: this address may still send four.
    expect((await tips.list()).items).toHaveLength(1);
    for (let i = 0; i < 4; i++) expect((await tips.admit('203.0.113.7')).ok).toBe(true);
    expect((await tips.admit('203.0.113.7')).ok).toBe(false);
  });

  it('refuses missing and hostile fields with the field at fault', async () => {
    const cases: [Partial<TipInput>, string, RegExp][] = [
      [{ name: ' \u0007 ' }, 'name', /이름을 적어/],
      [{ name: '가'.repeat(51) }, 'name', /50자까지/],
      [{ contact: '' }, 'contact', /연락받을/],
      [{ contact: '내일 연락주세요' }, 'contact', /전화번호\(예: 010-1234-5678\)나 이메일/],
      [{ contact: '123-45' }, 'contact', /전화번호/],
      [{ body: '급해요' }, 'body', /10자 이상/],
      [{ body: '가'.repeat(5001) }, 'body', /5,000자까지 적을 수 있습니다 \(지금 5,001자\)/],
      [{ consent: false }, 'consent', /동의해야/],
    ];
    for (const [over, field, message] of cases) {
      const error = await tips
        .submit(input(over), await admitted(`198.51.100.${field.length}`))
        .catch((e: unknown) => e);
      expect(error, field).toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringMatching(message),
        details: { fields: { [field]: expect.any(String) } },
      });
    }
    expect(
      await tips.submit(input({ contact: 'reader@example.kr' }), await admitted()),
    ).toMatchObject({ receipt: expect.any(String) });
  });

  it('signs the form timestamp: too fast, a day old, forged and garbled forms are told apart', async () => {
    const token = await tips.formToken();
    expect(await tips.checkFormToken(token)).toBe('too-fast');
    clock.advance(5_000);
    expect(await tips.checkFormToken(token)).toBe('ok');
    const [issued] = token.split('.');
    expect(await tips.checkFormToken(`${Number(issued) - 60_000}.${token.split('.')[1]}`)).toBe(
      'invalid',
    );
    expect(await tips.checkFormToken('')).toBe('invalid');
    expect(await tips.checkFormToken('x'.repeat(5000))).toBe('invalid');
    clock.advance(DAY);
    expect(await tips.checkFormToken(token)).toBe('expired');
    // Another app server (a second service on the same database) checks with the same key.
    const other = createTips({
      db: handle.db,
      clock,
      retentionDays: 30,
      cleanPhoto: () => Promise.reject(new Error('unused')),
    });
    const fresh = await other.formToken();
    clock.advance(4_000);
    expect(await tips.checkFormToken(fresh)).toBe('ok');
  });

  it('admits exactly five of twenty parallel tips from one address, and others still', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => tips.admit('203.0.113.9')));
    expect(answers.filter((a) => a.ok)).toHaveLength(5);
    const refused = answers.find((a) => !a.ok);
    expect(refused).toMatchObject({ ok: false, retryAfterMs: 60 * 60 * 1000 });
    // The same /64 is the same sender; another reader is not held back.
    expect((await tips.admit('2001:db8:1:2::1')).ok).toBe(true);
    expect((await tips.admit('203.0.113.10')).ok).toBe(true);
    clock.advance(60 * 60 * 1000);
    expect((await tips.admit('203.0.113.9')).ok).toBe(true);
  });

  it('deletes name, contact and files after the retention period, keeps the text', async () => {
    const pdf = tinyPdf();
    const old = await tips.submit(
      input({ files: [{ bytes: pdf, filename: 'a.pdf' }] }),
      await admitted(),
    );
    clock.advance(10 * DAY);
    const recent = await tips.submit(input({ name: '박최근' }), await admitted());
    clock.advance(20 * DAY - 1);
    expect(await tips.purgeExpired()).toMatchObject({ tips: 0 });
    clock.advance(1);
    expect(await tips.purgeExpired()).toMatchObject({ tips: 1, counters: 0 });
    const purged = await tips.open(old.id);
    expect(purged).toMatchObject({
      name: null,
      contact: null,
      files: [],
      fileCount: 0,
      purgedAt: NOW + 30 * DAY,
    });
    expect(purged.body).toContain('동문시장');
    const row = await handle.db
      .selectFrom('tips')
      .selectAll()
      .where('id', '=', old.id)
      .executeTakeFirstOrThrow();
    expect([row.name, row.contact]).toEqual(['', '']);
    expect(await handle.db.selectFrom('tip_files').select('id').execute()).toEqual([]);
    expect((await tips.open(recent.id)).name).toBe('박최근');
    // Running again (or on a second server at once) changes nothing more.
    expect(await tips.purgeExpired()).toMatchObject({ tips: 0 });
    // Counters go once their longest window has ended.
    await tips.admit('192.0.2.1');
    expect((await tips.purgeExpired()).counters).toBe(0);
    clock.advance(DAY);
    expect((await tips.purgeExpired()).counters).toBe(3);
  });
});
