import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import { fetchPublicPhoto, PhotoFetchError, type PhotoFetchOptions } from './photo-fetch.ts';
import { z } from 'zod';
import type { Database } from '../../db/index.ts';
import {
  articleCreated,
  articleSummary,
  createBodyCleaner,
  ensureAuthor,
  listingsOfArticle,
  setArticleRelations,
  watchArticle,
  type BodyCleaner,
} from '../content/index.ts';
import { ORIGIN_CHOICES, parseArticleOrigin } from '../../shared/article-origins.ts';
import { articleChangeTags, tag, type CacheTag } from '../../shared/cache-tags.ts';
import type { Clock } from '../../shared/clock.ts';
import { isAppError } from '../../shared/errors.ts';
import { parseKstDateTime } from '../../shared/kst.ts';
import { josa } from '../../shared/josa.ts';
import { asciiSlug, uniqueSlug } from '../../shared/romanize.ts';
import { stripTags } from '../../shared/text.ts';
import { writeSearchDocument } from '../search/index.ts';

const MAX_PHOTO_BYTES = 20 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 20_000;

/** A time in an archive: ISO 8601 with an offset, or a KST wall-clock time. */
const archiveTime = z.union([z.string(), z.number()]).transform((value, ctx) => {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value > 0) return value;
  } else {
    const text = value.trim();
    if (/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) && /^\d{4}-\d{2}-\d{2}T/.test(text)) {
      const ms = Date.parse(text);
      if (Number.isFinite(ms)) return ms;
    }
    const kst = parseKstDateTime(text);
    if (kst !== null) return kst;
  }
  ctx.addIssue({
    code: 'custom',
    message: `시각을 읽을 수 없습니다: ${String(value)} (예: 2025-12-09T14:00:00+09:00)`,
  });
  return z.NEVER;
});

const record = z.object({
  externalId: z
    .union([z.string(), z.number()])
    .transform((v) => String(v).trim())
    .pipe(z.string().min(1).max(200)),
  section: z.string().trim().min(1).max(80),
  title: z.string().trim().min(1).max(300),
  subtitle: z.string().max(2000).default(''),
  bodyHtml: z.string().max(2_000_000).default(''),
  authors: z
    .array(
      z.object({
        name: z.string().trim().min(1).max(80),
        // Old archives and columnists often have none: the byline is kept by name.
        email: z
          .string()
          .trim()
          .toLowerCase()
          .transform((v) => (v === '' ? null : v))
          .pipe(z.email().max(254).nullable())
          .nullish()
          .transform((v) => v ?? null),
        title: z.string().trim().max(40).default(''),
      }),
    )
    .max(10)
    .default([]),
  tags: z.array(z.string().trim().min(1).max(60)).max(30).default([]),
  publishedAt: archiveTime.optional(),
  updatedAt: archiveTime.optional(),
  status: z.enum(['draft', 'submitted', 'published', 'unpublished', 'trashed']).optional(),
  /**
   * 자체기사, 통신, …: a key (own, wire, press_release, contribution, advertorial) or its
   * Korean label. Left out, a new article is 자체기사 and an existing one keeps its origin.
   */
  origin: z
    .string()
    .transform((value, ctx) => {
      const origin = parseArticleOrigin(value);
      if (origin !== null) return origin;
      ctx.addIssue({ code: 'custom', message: `${ORIGIN_CHOICES} 중 하나여야 합니다: ${value}` });
      return z.NEVER;
    })
    .optional(),
  photos: z
    .array(
      z.object({
        url: z.string().trim().min(1).max(2000),
        caption: z.string().max(2000).default(''),
        credit: z.string().max(120).default(''),
      }),
    )
    .max(30)
    .default([]),
});

export type ImportRecord = z.input<typeof record>;

export interface ImportReport {
  created: number;
  updated: number;
  failed: { line: number; reason: string }[];
  /** Lines imported with something left as it was, e.g. a staff byline's name. */
  notes: { line: number; note: string }[];
  sectionsCreated: string[];
  photosStored: number;
}

export interface ImportDeps {
  db: Kysely<Database>;
  clock: Clock;
  /** Cleans bodies before they are stored (long ones off the event loop). */
  bodyCleaner?: BodyCleaner;
  /** Stores a photo (type checks, renditions, metadata stripping) and returns its id. */
  storePhoto: (
    bytes: Buffer,
    meta: { caption: string; credit: string; alt: string; source: string },
  ) => Promise<number>;
  onChange?: (tags: readonly CacheTag[]) => void | Promise<void>;
  /** Fetches remote photos for the CLI (trusted) import; injectable for tests. */
  fetch?: typeof fetch;
  /** DNS and address policy for API imports' photos; tests point them at a local server. */
  publicPhotoFetch?: Pick<PhotoFetchOptions, 'resolve' | 'allowAddress'>;
}

class LineError extends Error {}

const FIELD_NAMES: Record<string, string> = {
  externalId: '기사 식별자(externalId)',
  section: '섹션 이름(section)',
  title: '제목(title)',
  subtitle: '부제(subtitle)',
  bodyHtml: '본문(bodyHtml)',
  authors: '필자 목록(authors)',
  tags: '태그 목록(tags)',
  publishedAt: '출고 시각(publishedAt)',
  updatedAt: '수정 시각(updatedAt)',
  status: '상태(status)',
  origin: '기사 구분(origin)',
  photos: '사진 목록(photos)',
};
const ITEM_FIELDS: Record<string, Record<string, string>> = {
  authors: { name: '이름', email: '이메일', title: '직함' },
  photos: { url: '주소', caption: '설명', credit: '출처' },
};
const ITEM_NAMES: Record<string, string> = { authors: '필자', photos: '사진', tags: '태그' };
const TYPE_NAMES: Record<string, string> = {
  string: '글자',
  number: '숫자',
  array: '목록([...])',
  object: '객체({...})',
  boolean: 'true/false',
};
const STATUS_NAMES =
  'draft(작성 중), submitted(출고 요청), published(게재), unpublished(게재 중지), trashed(휴지통)';

/** The field at `path` in plain words: 제목(title), 2번째 필자의 이메일. */
function fieldName(path: readonly PropertyKey[]): string {
  const [top, index, sub] = path;
  const list = String(top ?? '');
  if (typeof index === 'number' && ITEM_NAMES[list] !== undefined) {
    const item = `${index + 1}번째 ${ITEM_NAMES[list]}`;
    const part = sub === undefined ? undefined : ITEM_FIELDS[list]?.[String(sub)];
    return part === undefined ? item : `${item}의 ${part}`;
  }
  return FIELD_NAMES[list] ?? (list === '' ? '기사' : list);
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * A record's first problem, in the newsroom's words with the field named:
 * "1번째 필자의 이름이 없습니다." instead of zod's "authors.0.name: Invalid input".
 */
export function describeRecordIssue(error: z.ZodError, data: unknown): string {
  const issue = error.issues[0];
  if (issue === undefined) return '기사 형식이 올바르지 않습니다.';
  const name = fieldName(issue.path);
  const value = valueAt(data, issue.path);
  const isText = typeof value === 'string';
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined || value === null) return `${josa(name, '이', '가')} 없습니다.`;
      return `${josa(name, '은', '는')} ${josa(TYPE_NAMES[issue.expected] ?? issue.expected, '으로', '로')} 적어야 합니다.`;
    case 'too_small':
      return isText || issue.origin === 'string'
        ? `${josa(name, '이', '가')} 비어 있습니다.`
        : `${josa(name, '은', '는')} ${String(issue.minimum)}개 이상이어야 합니다.`;
    case 'too_big':
      return issue.origin === 'array'
        ? `${josa(name, '은', '는')} ${String(issue.maximum)}개까지 넣을 수 있습니다.`
        : `${josa(name, '이', '가')} 너무 깁니다(${String(issue.maximum)}자까지).`;
    case 'invalid_format':
      return issue.format === 'email'
        ? `${josa(name, '이', '가')} 올바른 이메일 주소가 아닙니다: ${String(value)}`
        : `${name}의 형식이 올바르지 않습니다.`;
    case 'invalid_value':
      return issue.path[0] === 'status'
        ? `${josa(name, '은', '는')} ${STATUS_NAMES} 중 하나여야 합니다: ${String(value)}`
        : `${name}의 값이 올바르지 않습니다: ${String(value)}`;
    case 'invalid_union':
      return `${josa(name, '은', '는')} 글자나 숫자로 적어야 합니다.`;
    case 'custom':
      return `${name}: ${issue.message}`;
    default:
      return `${name}의 형식이 올바르지 않습니다.`;
  }
}

/** The base of a new section's address: its name romanized (정치 → jeongchi). */
function sectionSlug(name: string, taken: Set<string>): string {
  const base = asciiSlug(name) || 'section';
  return uniqueSlug(base, (slug) => taken.has(slug));
}

/**
 * Moves an archive in: one JSON article per line. Every good line is kept even when
 * others fail; a line's failure is reported with its number and reason. Running the same
 * file again updates the articles it created (matched by externalId), never duplicates.
 */
export function createImporter(deps: ImportDeps) {
  const { db, clock } = deps;
  const bodyCleaner = deps.bodyCleaner ?? createBodyCleaner();
  const doFetch = deps.fetch ?? fetch;

  async function photoBytes(
    url: string,
    baseDir: string,
    trusted: boolean,
  ): Promise<{ bytes: Buffer; source: string }> {
    if (/^https?:\/\//i.test(url)) {
      // Records sent over the admin API must not make the server reach its own network.
      if (!trusted) {
        try {
          const bytes = await fetchPublicPhoto(url, {
            maxBytes: MAX_PHOTO_BYTES,
            timeoutMs: FETCH_TIMEOUT_MS,
            ...deps.publicPhotoFetch,
          });
          return { bytes, source: url };
        } catch (error) {
          if (error instanceof PhotoFetchError) throw new LineError(error.message);
          throw error;
        }
      }
      let response: Response;
      try {
        response = await doFetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      } catch (error) {
        const reason =
          (error as Error).name === 'TimeoutError' ? '시간 초과' : (error as Error).message;
        throw new LineError(`사진을 내려받지 못했습니다 (${url}): ${reason}`);
      }
      if (!response.ok)
        throw new LineError(`사진을 내려받지 못했습니다 (${url}): HTTP ${response.status}`);
      const tooLarge = () => new LineError(`사진이 20MB보다 큽니다 (${url}).`);
      if (Number(response.headers.get('content-length') ?? 0) > MAX_PHOTO_BYTES) throw tooLarge();
      // Counted as it arrives: a server that sends no length cannot fill the memory.
      const chunks: Uint8Array[] = [];
      let received = 0;
      for await (const chunk of response.body ?? []) {
        received += chunk.length;
        if (received > MAX_PHOTO_BYTES) {
          await response.body?.cancel();
          throw tooLarge();
        }
        chunks.push(chunk);
      }
      return { bytes: Buffer.concat(chunks), source: url };
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(url) && !/^[a-z]:[\\/]/i.test(url))
      throw new LineError(`사진 주소는 http(s) URL이나 파일 경로여야 합니다: ${url}`);
    if (!trusted)
      throw new LineError(
        `파일 경로 사진은 명령줄 가져오기(tamna import)에서만 쓸 수 있습니다: ${url}`,
      );
    const file = path.resolve(baseDir, url);
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new LineError(`사진 파일이 아닙니다: ${url}`);
      if (info.size > MAX_PHOTO_BYTES) throw new LineError(`사진이 20MB보다 큽니다: ${url}`);
      return { bytes: await readFile(file), source: `file:${file}` };
    } catch (error) {
      if (error instanceof LineError) throw error;
      throw new LineError(`사진 파일을 읽지 못했습니다: ${url}`);
    }
  }

  async function importLine(
    data: z.output<typeof record>,
    baseDir: string,
    report: ImportReport,
    sectionsByName: Map<string, number>,
    slugs: Set<string>,
    trusted: boolean,
    line: { number: number; actorId: number | null },
  ): Promise<CacheTag[]> {
    const now = clock.now();
    // Photos first, outside the transaction: downloads and image work are slow, and a
    // photo that cannot be used fails the line before anything is written.
    const photoIds: number[] = [];
    for (const p of data.photos) {
      const { bytes, source } = await photoBytes(p.url, baseDir, trusted);
      const existing = await db
        .selectFrom('photos')
        .select('id')
        .where('source', '=', source)
        .executeTakeFirst();
      if (existing !== undefined) {
        photoIds.push(existing.id);
        continue;
      }
      try {
        photoIds.push(
          await deps.storePhoto(bytes, {
            caption: p.caption.trim(),
            credit: p.credit.trim(),
            alt: p.caption.trim().slice(0, 300),
            source,
          }),
        );
        report.photosStored++;
      } catch (error) {
        if (isAppError(error)) throw new LineError(`사진 ${p.url}: ${error.message}`);
        throw error;
      }
    }

    return db.transaction().execute(async (trx) => {
      let sectionId = sectionsByName.get(data.section);
      if (sectionId === undefined) {
        const slug = sectionSlug(data.section, slugs);
        const row = await trx
          .insertInto('sections')
          .values({
            slug,
            name: data.section,
            parent_id: null,
            position: 1000 + sectionsByName.size,
            // Out of the public menu until a desk editor names, places and shows it.
            hidden: 1,
            layout: 'list',
            created_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        sectionId = row.id;
        sectionsByName.set(data.section, sectionId);
        slugs.add(slug);
        report.sectionsCreated.push(data.section);
      }
      const status = data.status ?? (data.publishedAt !== undefined ? 'published' : 'draft');
      const publishedAt =
        data.publishedAt ?? (status === 'published' ? (data.updatedAt ?? now) : null);
      const body = await bodyCleaner.clean(data.bodyHtml);
      const columns = {
        section_id: sectionId,
        title: stripTags(data.title).trim() || data.externalId,
        subtitle: stripTags(data.subtitle).replace(/\r\n?/g, '\n').trim(),
        body_html: body,
        summary: articleSummary(body),
        status,
        published_at: publishedAt,
        updated_at: data.updatedAt ?? publishedAt ?? now,
        featured_photo_id: photoIds[0] ?? null,
        trashed_from: status === 'trashed' ? ('draft' as const) : null,
        ...(data.origin === undefined ? {} : { origin: data.origin }),
      };
      const existing = await trx
        .selectFrom('articles')
        .select(['id', 'section_id', 'is_photo_story', 'status'])
        .where('external_id', '=', data.externalId)
        .executeTakeFirst();
      let articleId: number;
      const tags = new Set<CacheTag>();
      const change = existing === undefined ? null : await watchArticle(trx, existing.id);
      if (existing === undefined) {
        const row = await trx
          .insertInto('articles')
          .values({
            ...columns,
            is_breaking: 0,
            is_photo_story: 0,
            external_id: data.externalId,
            created_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        articleId = row.id;
        report.created++;
      } else {
        articleId = existing.id;
        await trx.updateTable('articles').set(columns).where('id', '=', articleId).execute();
        if (existing.status === 'published')
          for (const t of articleChangeTags(
            articleId,
            existing.section_id,
            existing.is_photo_story === 1,
            // The bylines and tags it had: it may leave their pages.
            await listingsOfArticle(trx, articleId),
          ))
            tags.add(t);
        report.updated++;
      }
      await writeRelations(trx, articleId, data, photoIds, now, (note) =>
        report.notes.push({ line: line.number, note }),
      );
      if (status === 'published')
        for (const t of articleChangeTags(
          articleId,
          sectionId,
          false,
          await listingsOfArticle(trx, articleId),
        ))
          tags.add(t);
      await trx
        .insertInto('article_events')
        .values({
          article_id: articleId,
          user_id: line.actorId,
          kind: 'imported',
          comment: data.externalId,
          at: now,
        })
        .execute();
      await writeSearchDocument(trx, articleId);
      if (change === null) await articleCreated(trx, articleId, now);
      else await change.record(now);
      return [...tags];
    });
  }

  async function writeRelations(
    trx: Transaction<Database>,
    articleId: number,
    data: z.output<typeof record>,
    photoIds: number[],
    now: number,
    note: (text: string) => void,
  ): Promise<void> {
    const authorIds: number[] = [];
    for (const a of data.authors) {
      const author = await ensureAuthor(trx, a, now);
      if (author.name !== a.name)
        note(
          `${a.email ?? a.name}의 바이라인은 이미 '${author.name}'(으)로 있어 이름을 바꾸지 않았습니다.`,
        );
      authorIds.push(author.id);
    }
    await setArticleRelations(trx, articleId, {
      authorIds,
      tags: data.tags,
      featuredPhotoId: photoIds[0] ?? null,
      bodyPhotoIds: photoIds,
    });
  }

  return {
    /**
     * Imports NDJSON text. `baseDir` resolves relative photo paths (the file's folder).
     * `onProgress` is told about each line as it is done.
     */
    async importNdjson(
      text: string,
      options: {
        baseDir?: string;
        onLine?: (line: number, ok: boolean) => void;
        /**
         * False for records from the admin API: photos only from public http(s) hosts, no
         * redirects, no server file paths. The CLI, run by whoever runs the server, is
         * trusted.
         */
        trusted?: boolean;
        /** The staff member importing (the admin API), recorded on each article's history. */
        actorId?: number | null;
      } = {},
    ): Promise<ImportReport> {
      const report: ImportReport = {
        created: 0,
        updated: 0,
        failed: [],
        notes: [],
        sectionsCreated: [],
        photosStored: 0,
      };
      const sections = await db.selectFrom('sections').select(['id', 'name', 'slug']).execute();
      const sectionsByName = new Map(sections.map((s) => [s.name, s.id]));
      const slugs = new Set(sections.map((s) => s.slug));
      const baseDir = options.baseDir ?? process.cwd();
      const changed = new Set<CacheTag>();
      const lines = text.split(/\r?\n/);
      for (const [index, raw] of lines.entries()) {
        const lineNo = index + 1;
        const line = raw.replace(/^\uFEFF/, '').trim();
        if (line === '') continue;
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch {
          report.failed.push({
            line: lineNo,
            reason: 'JSON으로 읽을 수 없습니다. 따옴표, 쉼표, 괄호가 맞는지 확인하세요.',
          });
          options.onLine?.(lineNo, false);
          continue;
        }
        const result = record.safeParse(parsed);
        if (!result.success) {
          report.failed.push({ line: lineNo, reason: describeRecordIssue(result.error, parsed) });
          options.onLine?.(lineNo, false);
          continue;
        }
        try {
          for (const t of await importLine(
            result.data,
            baseDir,
            report,
            sectionsByName,
            slugs,
            options.trusted ?? true,
            { number: lineNo, actorId: options.actorId ?? null },
          ))
            changed.add(t);
          options.onLine?.(lineNo, true);
        } catch (error) {
          // The line's transaction rolled back; the lines before and after stand.
          const reason =
            error instanceof LineError || isAppError(error)
              ? error.message
              : `저장하지 못했습니다: ${(error as Error).message}`;
          report.failed.push({ line: lineNo, reason });
          options.onLine?.(lineNo, false);
        }
      }
      if (report.sectionsCreated.length > 0) changed.add(tag.sections);
      if (changed.size > 0 && deps.onChange !== undefined) await deps.onChange([...changed]);
      return report;
    },
  };
}

export type Importer = ReturnType<typeof createImporter>;
