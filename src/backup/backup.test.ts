import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Newsroom } from '../app.ts';
import { runCli } from '../cli/run.ts';
import {
  connectDatabase,
  LATEST_SCHEMA,
  migrateTo,
  schemaVersion,
  type DialectName,
} from '../db/index.ts';
import {
  addStaff,
  everyMediaFile,
  everyRow,
  newArticle,
  openNewsroom,
  paperAt,
  photoBytes,
  seedNewspaper,
  type TestPaper,
} from '../testing/backup.ts';
import { testDialects } from '../testing/databases.ts';
import { seedFixture } from '../testing/fixtures.ts';
import { ArchiveWriter } from './archive.ts';
import { createBackup, restoreBackup } from './index.ts';
import { nonEmptyTables } from './load.ts';
import { readTar } from './tar.ts';

const quiet = { log: () => {} };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tamna-backup-test-'));
const bin = fileURLToPath(new URL('../../bin/tamna.js', import.meta.url));

const cleanups: Array<() => Promise<void>> = [];
const cleanUp = async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
};

async function paper(dialect: DialectName, keep: Array<() => Promise<void>> = cleanups) {
  const made = await paperAt(dialect);
  keep.push(() => made.close());
  return made;
}

async function newsroomOf(
  place: TestPaper,
  keep: Array<() => Promise<void>> = cleanups,
  options: { migrate?: boolean } = {},
) {
  const newsroom = await openNewsroom(place, options);
  keep.push(() => newsroom.close());
  return newsroom;
}

/** The target holds nothing: no rows beyond the migrations' own, no media, no staging left. */
async function expectEmpty(place: TestPaper): Promise<void> {
  const handle = await connectDatabase(place.config.database);
  try {
    expect(await nonEmptyTables(handle.db, handle.dialect)).toEqual([]);
  } finally {
    await handle.close();
  }
  expect(await everyMediaFile(place.dataDir)).toEqual({});
  expect(fs.readdirSync(place.dataDir).filter((n) => n.startsWith('.tamna-'))).toEqual([]);
}

interface Source {
  paper: TestPaper;
  newsroom: Newsroom;
  file: string;
  rows: Record<string, string[]>;
  media: Record<string, string>;
  articleId: number;
  deletedArticleId: number;
}

// One seeded newspaper per database, backed up once, restored by the tests below.
const sources = {} as Record<DialectName, Source>;
const sourceCleanups: Array<() => Promise<void>> = [];
beforeAll(async () => {
  for (const dialect of testDialects) {
    const place = await paper(dialect, sourceCleanups);
    const newsroom = await newsroomOf(place, sourceCleanups);
    const seeded = await seedNewspaper(newsroom);
    const file = path.join(tmp, `${dialect}.tar.gz`);
    // Through the command line, as an operator (or cron) runs it.
    const out: string[] = [];
    const code = await runCli(['backup', file], {
      out: (line) => out.push(line),
      err: (line) => out.push(line),
      env: {
        TAMNA_DATA_DIR: place.dataDir,
        TAMNA_LOG_LEVEL: 'silent',
        DATABASE_URL: place.config.database.kind === 'postgres' ? place.config.database.url : '',
      },
    });
    expect(out.join('\n')).toMatch(
      /articles: \d+ rows[\s\S]*Backup written to .*: \d+ rows of \d+ tables, 3 media files/,
    );
    expect(code).toBe(0);
    sources[dialect] = {
      paper: place,
      newsroom,
      file,
      rows: await everyRow(place.config),
      media: await everyMediaFile(place.dataDir),
      ...seeded,
    };
  }
});
afterAll(async () => {
  await cleanUp();
  for (const cleanup of sourceCleanups.splice(0).reverse()) await cleanup();
  fs.rmSync(tmp, { recursive: true, force: true });
});
afterEach(cleanUp);

describe.each<[DialectName, DialectName]>([
  ['sqlite', 'sqlite'],
  ['postgres', 'postgres'],
  ['sqlite', 'postgres'],
  ['postgres', 'sqlite'],
])('backup from %s, restore into %s', (from, to) => {
  it('restores every row and media file, with ids and id counters kept', async () => {
    const source = sources[from];
    expect(source.rows.articles?.length).toBeGreaterThan(10);
    expect(source.rows.article_search?.length).toBeGreaterThan(10);
    const target = await paper(to);
    // An empty media folder, as a server started once leaves it, is no obstacle.
    fs.mkdirSync(path.join(target.dataDir, 'media'));
    const result = await restoreBackup(target.config, source.file, quiet);
    expect(result.mediaFiles).toBe(3);
    expect(await everyRow(target.config)).toEqual(source.rows);
    expect(await everyMediaFile(target.dataDir)).toEqual(source.media);

    // The restored paper carries on: the same article numbers (so /news/<n> URLs), the
    // next one after the deleted one's number, search finding the same articles.
    const restored = await newsroomOf(target, cleanups, { migrate: false });
    expect((await restored.services.content.article(source.articleId))?.title).toBe(
      '한라산 탐방로 정비 마무리',
    );
    expect(await newArticle(restored)).toBe(source.deletedArticleId + 1);
    const hits = (newsroom: Newsroom) =>
      newsroom.services.search.rank('탐방로').then((found) => found.map((h) => h.id));
    expect(await hits(restored)).toEqual(await hits(source.newsroom));
    expect(await hits(restored)).toContain(source.articleId);
    // Section counts are the triggers' (migration 0018), not copied: the load counted each
    // article once more, so a copy on top would have counted it twice.
    const counts = (newsroom: Newsroom) =>
      newsroom.database.db
        .selectFrom('section_week_counts')
        .select(['section_id', 'week', 'published'])
        .where('published', '<>', 0)
        .orderBy('section_id')
        .orderBy('week')
        .execute()
        .then((rows) => rows.map((r) => [r.section_id, r.week, r.published].map(Number)));
    expect((await counts(source.newsroom)).length).toBeGreaterThan(0);
    expect(await counts(restored)).toEqual(await counts(source.newsroom));

    // A second restore into the now full target is refused, naming what is there.
    await expect(restoreBackup(target.config, source.file, quiet)).rejects.toThrow(
      /^The target is not empty: the database .* has rows in .*articles \(\d+\).* and \d+ more tables; the media folder .*media has 3 files\. .*Nothing was changed\.$/,
    );
  });
});

describe.each(testDialects)('a backup during a write load on %s', (dialect) => {
  it('is a consistent snapshot and restores cleanly', async () => {
    const source = await paper(dialect);
    const newsroom = await newsroomOf(source);
    const fx = await seedFixture(newsroom, { articlesPerSection: 1 });
    const editor = await addStaff(newsroom, 'desk', '오데스크');
    const reporter = await addStaff(newsroom, 'reporter', '강기자');
    const { desk, media, photos } = newsroom.services;
    const finished: number[] = [];
    let stop = false;
    let backupRunning = false;
    let writtenDuringBackup = 0;
    // The desk at work: a photo file, its library row, an article using it, sent to the
    // desk and published; each step its own transaction, as in the newsroom.
    const load = (async () => {
      for (let n = 1; !stop; n++) {
        const key = `load/photo-${n}.jpg`;
        await media.put(key, photoBytes(n));
        const photoId = await photos.registerPhoto({
          storageKey: key,
          width: 800,
          height: 600,
          mime: 'image/jpeg',
          caption: `부하 사진 ${n}`,
          credit: '',
          alt: '',
          variants: [],
        });
        const id = await desk.create(reporter, {
          sectionId: fx.sections.society,
          title: `부하 기사 ${n}`,
          bodyHtml: `<p>${n}번째 기사의 문단입니다.</p>`,
          tags: ['부하', `태그${n % 5}`],
          authorIds: [fx.authorId],
          featuredPhotoId: photoId,
        });
        await desk.submit(reporter, id);
        await desk.publish(editor, id);
        finished.push(id);
        if (backupRunning) writtenDuringBackup++;
      }
    })();
    while (finished.length < 5) await new Promise((resolve) => setTimeout(resolve, 5));
    const before = [...finished];
    const file = path.join(tmp, `load-${dialect}.tar.gz`);
    backupRunning = true;
    try {
      await createBackup(source.config, file, () => {});
    } finally {
      backupRunning = false;
      stop = true;
      await load;
    }
    expect(writtenDuringBackup).toBeGreaterThan(0);

    const target = await paper(dialect);
    await restoreBackup(target.config, file, quiet);
    const handle = await connectDatabase(target.config.database);
    try {
      const { db } = handle;
      const restored = await db
        .selectFrom('articles')
        .select(['id', 'status', 'featured_photo_id'])
        .where('title', 'like', '부하 기사 %')
        .orderBy('id')
        .execute();
      // Everything published before the backup began is there; nothing begun after it
      // ended (one article may have been on its way through the desk).
      expect(restored.map((a) => a.id)).toEqual(expect.arrayContaining(before));
      expect(restored.length).toBeLessThanOrEqual(finished.length + 1);
      // Each article whole, at whatever step of the desk it was caught (written, sent to the
      // desk, published: each its own transaction): every one with its byline, tags and
      // revision; the published ones, and only they, with their search row and 출고 event.
      const ids = restored.map((a) => a.id);
      const published = restored.filter((a) => a.status === 'published').map((a) => a.id);
      expect(published).toEqual(expect.arrayContaining(before));
      const articleIds = async (
        table: 'article_search' | 'article_authors' | 'article_revisions' | 'article_tags',
      ): Promise<Set<number>> =>
        new Set(
          (
            await db.selectFrom(table).select('article_id').where('article_id', 'in', ids).execute()
          ).map((r) => r.article_id),
        );
      for (const table of ['article_authors', 'article_revisions', 'article_tags'] as const)
        expect(await articleIds(table)).toEqual(new Set(ids));
      expect(await articleIds('article_search')).toEqual(new Set(published));
      const tagged = await db
        .selectFrom('article_tags')
        .select('article_id')
        .where('article_id', 'in', ids)
        .execute();
      expect(tagged.length).toBe(ids.length * 2);
      const events = await db
        .selectFrom('article_events')
        .select('article_id')
        .where('article_id', 'in', ids)
        .where('kind', '=', 'published')
        .execute();
      expect(new Set(events.map((e) => e.article_id))).toEqual(new Set(published));
      // Every photo row's file is in the archive, byte for byte.
      const stored = await db.selectFrom('photos').select('storage_key').execute();
      const restoredMedia = await everyMediaFile(target.dataDir);
      const sourceMedia = await everyMediaFile(source.dataDir);
      for (const { storage_key: key } of stored) {
        if (key === 'fixture/photo.jpg') continue; // the fixture registers it without a file
        expect(restoredMedia[key]).toBe(sourceMedia[key]);
      }
      expect(restored.every((a) => a.featured_photo_id !== null)).toBe(true);
    } finally {
      await handle.close();
    }
  });
});

/** Copies an archive entry by entry, letting `edit` change any entry's bytes. */
async function rewriteArchive(
  from: string,
  to: string,
  edit: (name: string, bytes: Buffer) => Buffer,
): Promise<void> {
  const entries: Array<{ name: string; chunks: Buffer[] }> = [];
  for await (const event of readTar(fs.createReadStream(from).pipe(createGunzip()))) {
    if (event.kind === 'file') entries.push({ name: event.name, chunks: [] });
    else if (event.kind === 'data') entries.at(-1)?.chunks.push(Buffer.from(event.chunk));
  }
  const writer = new ArchiveWriter(to);
  for (const { name, chunks } of entries) {
    const bytes = edit(name, Buffer.concat(chunks));
    await writer.add(name, bytes.length, bytes);
  }
  await writer.finish();
}

describe('bad input', () => {
  const refusal = async (place: TestPaper, file: string) =>
    (await restoreBackup(place.config, file, quiet).catch((error: Error) => error)) as Error;

  it('refuses a truncated archive with one line, writing nothing', async () => {
    const whole = fs.readFileSync(sources.sqlite.file);
    const file = path.join(tmp, 'truncated.tar.gz');
    fs.writeFileSync(file, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const target = await paper('sqlite');
    const error = await refusal(target, file);
    expect(error.message).toBe(
      `${file} is truncated: the archive ends early. Nothing was changed.`,
    );
    expect(fs.readdirSync(target.dataDir)).toEqual([]);
  });

  it('refuses an archive with a flipped byte, and one whose file differs from its checksum', async () => {
    const bytes = fs.readFileSync(sources.sqlite.file);
    const flipped = path.join(tmp, 'flipped.tar.gz');
    const at = Math.floor(bytes.length / 2);
    bytes[at] = (bytes[at] as number) ^ 0xff;
    fs.writeFileSync(flipped, bytes);
    const target = await paper('sqlite');
    expect((await refusal(target, flipped)).message).toMatch(
      /^.*flipped\.tar\.gz is corrupted \(.+\)\. Nothing was changed\.$/,
    );
    expect(fs.readdirSync(target.dataDir)).toEqual([]);

    // A well-formed archive whose photo is not the one the manifest describes.
    const tampered = path.join(tmp, 'tampered.tar.gz');
    await rewriteArchive(sources.sqlite.file, tampered, (name, content) =>
      name.endsWith('-480.webp')
        ? Buffer.from(content.toString('latin1').replace(/^./s, 'x'), 'latin1')
        : content,
    );
    expect((await refusal(target, tampered)).message).toMatch(
      /tampered\.tar\.gz is corrupted: media\/photos\/2025\/12\/a+-480\.webp does not match its checksum\. Nothing was changed\.$/,
    );
    expect(fs.readdirSync(target.dataDir)).toEqual([]);
  });

  it('refuses a backup from a newer schema before reading further, touching no database', async () => {
    const future = path.join(tmp, 'future.tar.gz');
    let header = Buffer.alloc(0);
    await rewriteArchive(sources.sqlite.file, future, (name, content) => {
      if (name === 'tamna-backup.json') {
        header = Buffer.from(content.toString().replace(LATEST_SCHEMA, '0099_future'));
        return header;
      }
      if (name !== 'manifest.json') return content;
      const manifest = JSON.parse(content.toString()) as {
        schemaVersion: string;
        files: Array<{ path: string; size: number; sha256: string }>;
      };
      manifest.schemaVersion = '0099_future';
      const entry = manifest.files.find((f) => f.path === 'tamna-backup.json');
      if (entry !== undefined) {
        entry.size = header.length;
        entry.sha256 = createHash('sha256').update(header).digest('hex');
      }
      return Buffer.from(JSON.stringify(manifest));
    });
    const target = await paper('postgres');
    expect((await refusal(target, future)).message).toMatch(
      new RegExp(
        `future\\.tar\\.gz is from a newer Tamna \\(schema 0099_future; this Tamna \\S+ knows up to ${LATEST_SCHEMA}\\): upgrade Tamna, then restore\\. Nothing was changed\\.$`,
      ),
    );
    const handle = await connectDatabase(target.config.database);
    try {
      expect(await schemaVersion(handle.db, handle.dialect)).toBeNull();
    } finally {
      await handle.close();
    }
  });

  it('refuses a data directory with media files, naming it', async () => {
    const target = await paper('sqlite');
    fs.mkdirSync(path.join(target.dataDir, 'media', 'old'), { recursive: true });
    fs.writeFileSync(path.join(target.dataDir, 'media', 'old', 'a.jpg'), 'x');
    expect((await refusal(target, sources.sqlite.file)).message).toBe(
      `The target is not empty: the media folder ${path.join(target.dataDir, 'media')} has 1 file. Use a new, empty database and data directory (or move these aside). Nothing was changed.`,
    );
  });

  it.each(testDialects)(
    'an interrupted restore into %s leaves the target empty; the next one completes',
    async (dialect) => {
      const target = await paper(dialect);
      await expect(
        restoreBackup(target.config, sources.sqlite.file, {
          log: () => {},
          afterTable(table) {
            if (table === 'articles') throw new Error('the power went out');
          },
        }),
      ).rejects.toThrow('the power went out');
      await expectEmpty(target);
      await restoreBackup(target.config, sources.sqlite.file, quiet);
      expect(await everyRow(target.config)).toEqual(sources.sqlite.rows);
    },
  );

  it('a restore killed half-way leaves the target empty or complete, never half-filled', async () => {
    const target = await paper('sqlite');
    const child = spawn(process.execPath, [bin, 'restore', sources.sqlite.file], {
      env: { ...process.env, TAMNA_DATA_DIR: target.dataDir, TAMNA_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // The first table is written: the transaction is open.
      if (/^ {2}authors: /m.test(output)) child.kill('SIGKILL');
    });
    const signal = await new Promise((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    expect(signal).toBe('SIGKILL');
    const rows = await everyRow(target.config);
    if (rows.articles?.length === 0) {
      // Rolled back: no rows, no media; the staging folder of the dead process is cleared
      // by the next restore, which completes.
      expect(await everyMediaFile(target.dataDir)).toEqual({});
      await restoreBackup(target.config, sources.sqlite.file, quiet);
      expect(fs.readdirSync(target.dataDir).filter((n) => n.startsWith('.tamna-'))).toEqual([]);
    }
    expect(await everyRow(target.config)).toEqual(sources.sqlite.rows);
    expect(await everyMediaFile(target.dataDir)).toEqual(sources.sqlite.media);
  });

  it('restores a backup of an older schema, then brings it up to date', async () => {
    const old = await paper('sqlite');
    const handle = await connectDatabase(old.config.database);
    try {
      await migrateTo(handle, '0008_desk_workflow');
      const section = await handle.db
        .insertInto('sections')
        .values({
          slug: 'society',
          name: '사회',
          parent_id: null,
          position: 1,
          hidden: 0,
          layout: 'list',
          created_at: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await handle.db
        .insertInto('articles')
        .values({
          section_id: section.id,
          title: '옛 기사',
          subtitle: '',
          body_html: '<p>옛 본문</p>',
          summary: '옛 본문',
          status: 'published',
          is_breaking: 0,
          breaking_until: null,
          is_photo_story: 0,
          featured_photo_id: null,
          published_at: 1,
          updated_at: 1,
          created_at: 1,
          embargo_until: null,
          external_id: null,
          owner_id: null,
          trashed_from: null,
        })
        .execute();
    } finally {
      await handle.close();
    }
    const file = path.join(tmp, 'old.tar.gz');
    await createBackup(old.config, file, () => {});

    // An empty database already at the newer schema cannot take the older rows.
    const migrated = await paper('sqlite');
    await (await openNewsroom(migrated)).close();
    expect((await refusal(migrated, file)).message).toMatch(
      /^The database sqlite:.* is empty but already has schema \d{4}_\w+, newer than the source's 0008_desk_workflow: use a database that was never migrated .*Nothing was changed\.$/,
    );

    const target = await paper('sqlite');
    const lines: string[] = [];
    await restoreBackup(target.config, file, { log: (line) => lines.push(line) });
    expect(lines.join('\n')).toContain(`Migrated from 0008_desk_workflow to ${LATEST_SCHEMA}`);
    // Later migrations add columns, so the old row's own columns are compared.
    const articleOf = async (place: TestPaper) => {
      const db = await connectDatabase(place.config.database);
      try {
        return await db.db
          .selectFrom('articles')
          .select(['id', 'section_id', 'title', 'body_html', 'summary', 'status', 'published_at'])
          .execute();
      } finally {
        await db.close();
      }
    };
    expect(await articleOf(target)).toEqual(await articleOf(old));
    expect((await articleOf(target))[0]?.title).toBe('옛 기사');
  });

  it('removes the database copy a killed backup left behind', async () => {
    const { paper: place } = sources.sqlite;
    // pid 2^22 + 1 is above Linux's pid_max: never a running process.
    const left = path.join(place.dataDir, '.tamna-snapshot-4194305-0badc0de.sqlite');
    fs.writeFileSync(left, 'half a copy');
    await createBackup(place.config, path.join(tmp, 'after-kill.tar.gz'), () => {});
    expect(fs.readdirSync(place.dataDir).filter((n) => n.startsWith('.tamna-'))).toEqual([]);
  });

  it('answers usage mistakes in one line', async () => {
    const err: string[] = [];
    const io = {
      out: () => {},
      err: (line: string) => err.push(line),
      env: { TAMNA_LOG_LEVEL: 'silent' },
    };
    expect(await runCli(['backup'], io)).toBe(2);
    expect(await runCli(['restore', path.join(tmp, 'missing.tar.gz')], io)).toBe(1);
    expect(err).toEqual([
      'tamna: backup needs one file, e.g. tamna backup tamna-backup.tar.gz. Run "tamna --help" for usage.',
      `tamna: There is no backup file ${path.join(tmp, 'missing.tar.gz')}.`,
    ]);
  });
});
