import { tinyPdf } from './tip-files.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createNewsroom, type Newsroom } from '../app.ts';
import { fileSha256, listMedia } from '../backup/index.ts';
import { listTables, type ColumnKind } from '../backup/tables.ts';
import { loadConfig, type Config } from '../config/index.ts';
import { connectDatabase, type DialectName, type StaffRole } from '../db/index.ts';
import type { Actor } from '../domains/newsroom/index.ts';
import { freshPostgresSchema } from './databases.ts';
import { seedFixture } from './fixtures.ts';

/** A newspaper's place: a data directory of its own and an empty database (not yet created). */
export interface TestPaper {
  config: Config;
  dataDir: string;
  close(): Promise<void>;
}

export async function paperAt(dialect: DialectName): Promise<TestPaper> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tamna-paper-'));
  const schema = dialect === 'postgres' ? await freshPostgresSchema() : null;
  const config = loadConfig({
    TAMNA_DATA_DIR: dataDir,
    TAMNA_LOG_LEVEL: 'silent',
    ...(schema === null ? {} : { DATABASE_URL: schema.url }),
  });
  return {
    config,
    dataDir,
    async close() {
      await schema?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The newspaper's services; `migrate: false` for a database a restore or copy migrated. */
export function openNewsroom(
  paper: TestPaper,
  options: { migrate?: boolean } = {},
): Promise<Newsroom> {
  return createNewsroom(paper.config, { logger: pino({ level: 'silent' }), ...options });
}

export async function addStaff(newsroom: Newsroom, role: StaffRole, name: string): Promise<Actor> {
  const now = newsroom.clock.now();
  const row = await newsroom.database.db
    .insertInto('users')
    .values({
      email: `${role}-${name}@tamnailbo.example`,
      name,
      role,
      password_hash: 'not-used-here',
      must_change_password: 0,
      totp_enabled: 0,
      disabled: 0,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, role, name };
}

/** Bytes that stand for a photo file (the backup never decodes images). */
export const photoBytes = (seed: number, size = 3000): Buffer =>
  Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + seed * 17) % 256));

/**
 * A small newspaper with something in most tables: sections (one whose parent has a higher
 * id), articles through the desk (events, revisions, a correction, notifications, search
 * rows), staff and a session, photos with files (one with a path longer than tar's 100
 * characters) and a focal point, a deleted article (a gap the id counter must keep),
 * reader and banner counts, weather.
 */
export async function seedNewspaper(
  newsroom: Newsroom,
): Promise<{ articleId: number; deletedArticleId: number }> {
  const { db } = newsroom.database;
  const { desk, media, photos, writer, weather } = newsroom.services;
  const now = newsroom.clock.now();
  const fx = await seedFixture(newsroom, { articlesPerSection: 2 });
  await media.put('fixture/photo.jpg', photoBytes(1));
  const longKey = `photos/2025/12/${'a'.repeat(110)}.jpg`;
  await media.put(longKey, photoBytes(2, 70_000));
  await media.put(longKey.replace(/\.jpg$/, '-480.webp'), photoBytes(3));
  const photoId = await photos.registerPhoto({
    storageKey: longKey,
    width: 1600,
    height: 900,
    mime: 'image/jpeg',
    caption: '성산일출봉 해돋이',
    credit: '사진=탐나일보',
    alt: '해가 뜨는 성산일출봉',
    variants: [480],
  });
  await db
    .updateTable('photos')
    .set({ focal_x: 0.37, focal_y: 0.6 })
    .where('id', '=', photoId)
    .execute();

  const later = await writer.createSection({ slug: 'later', name: '나중 섹션', position: 9 });
  await db
    .updateTable('sections')
    .set({ parent_id: later })
    .where('id', '=', fx.sections.politics)
    .execute();

  const editor = await addStaff(newsroom, 'desk', '오데스크');
  const reporter = await addStaff(newsroom, 'reporter', '강기자');
  const articleId = await desk.create(reporter, {
    sectionId: fx.sections.society,
    title: '한라산 탐방로 정비 마무리',
    subtitle: '첫 줄\n둘째 줄',
    bodyHtml: '<p>탐방로 정비가 끝났다. “따옴표”와 \\ 역슬래시, 이모지 🍊도 있다.</p>',
    tags: ['한라산', '탐방로'],
    authorIds: [fx.authorId],
    featuredPhotoId: photoId,
  });
  await desk.submit(reporter, articleId);
  await desk.publish(editor, articleId);
  await desk.addNotice(editor, articleId, 'correction', '바로잡습니다: 탐방로 길이는 9.6km입니다.');

  const gone = await writer.createArticle({
    sectionId: fx.sections.politics,
    title: '지워질 기사',
    status: 'draft',
    authorIds: [fx.authorId],
  });
  await db.deleteFrom('articles').where('id', '=', gone).execute();

  await db
    .insertInto('sessions')
    .values({
      id_hash: 'f'.repeat(64),
      user_id: editor.id,
      csrf_token: 'c'.repeat(43),
      second_factor_ok: 0,
      created_at: now,
      last_seen_at: now,
      expires_at: now + 3_600_000,
      user_agent: 'Mozilla/5.0',
    })
    .execute();
  await db
    .insertInto('article_views')
    .values({ article_id: articleId, hour: now - (now % 3_600_000), views: 42 })
    .execute();
  await weather.storeSample();
  // A 기사제보 keeps its attachments in the database (bytes columns).
  await newsroom.services.tips.submit(
    {
      name: '제보자',
      contact: '010-0000-0000',
      body: '제보 내용입니다. 첨부 파일을 확인해 주세요.',
      consent: true,
      files: [{ bytes: tinyPdf(), filename: '제보.pdf' }],
    },
    { keys: [] },
  );
  return { articleId, deletedArticleId: gone };
}

/** Writes a new article; returns its id. */
export async function newArticle(newsroom: Newsroom): Promise<number> {
  const section = await newsroom.database.db
    .selectFrom('sections')
    .select('id')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  return newsroom.services.writer.createArticle({
    sectionId: section.id,
    title: '복원 뒤 첫 기사',
    status: 'draft',
    authorIds: [],
  });
}

/**
 * Every row of every application table, read with plain `select *` and put in one canonical
 * form for both databases (columns by name, reals as 32-bit floats), sorted.
 */
export async function everyRow(config: Config): Promise<Record<string, string[]>> {
  const handle = await connectDatabase(config.database);
  try {
    const rows: Record<string, string[]> = {};
    for (const table of await listTables(handle.db, handle.dialect)) {
      const kinds = new Map<string, ColumnKind>(table.columns.map((c) => [c.name, c.kind]));
      const names = [...kinds.keys()].sort();
      const result = await handle.db
        .selectFrom(table.name as 'articles')
        .selectAll()
        .execute();
      rows[table.name] = result
        .map((row) =>
          JSON.stringify(
            names.map((name) => {
              const value = (row as Record<string, unknown>)[name];
              return kinds.get(name) === 'real' && typeof value === 'number'
                ? Math.fround(value)
                : value;
            }),
          ),
        )
        .sort();
    }
    return rows;
  } finally {
    await handle.close();
  }
}

/** Every media file of a data directory with its SHA-256. */
export async function everyMediaFile(dataDir: string): Promise<Record<string, string>> {
  const root = path.join(dataDir, 'media');
  const files: Record<string, string> = {};
  for (const file of await listMedia(root))
    files[file.path] = await fileSha256(path.join(root, file.path));
  return files;
}
