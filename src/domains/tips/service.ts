import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, TipStatus } from '../../db/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { invalidInput, isAppError, notFound, type AppError } from '../../shared/errors.ts';
import { kstParts } from '../../shared/kst.ts';
import { formTokens, siteSecret, type TokenCheck } from './form-token.ts';
import {
  createTipLimits,
  DEFAULT_TIP_LIMITS,
  type Admission,
  type Ticket,
  type TipLimits,
} from './limits.ts';

const SECOND = 1000;
const DAY = 24 * 60 * 60 * SECOND;

/** What the form takes. The HTTP layer sizes its multipart limits from these. */
export const TIP_RULES = {
  maxNameChars: 50,
  maxContactChars: 100,
  minBodyChars: 10,
  maxBodyChars: 5000,
  maxPhotos: 5,
  /** Per file, photo or PDF. */
  maxFileBytes: 10 * 1024 * 1024,
  /** A person needs longer than this to fill in the form. */
  minFillMs: 3 * SECOND,
  /** An open form is good for a day. */
  maxFormAgeMs: DAY,
} as const;

export interface CleanedPhoto {
  bytes: Buffer;
  width: number;
  height: number;
  mime: string;
}

export interface TipDeps {
  db: Kysely<Database>;
  clock: Clock;
  /** Days a sender's name, contact and files are kept. */
  retentionDays: number;
  /** The photo library's check (media's cleanPhoto): the same rules as a newsroom upload. */
  cleanPhoto: (bytes: Buffer) => Promise<CleanedPhoto>;
  /** A tip was stored: tell the desk. Its failure never loses the tip. */
  onTip?: (tip: { id: number; receipt: string }) => void | Promise<void>;
  limits?: TipLimits;
}

export interface TipFileInput {
  bytes: Buffer;
  /** The sender's file name, for the desk; the type is read from the bytes. */
  filename: string;
}

export interface TipInput {
  name: string;
  contact: string;
  body: string;
  consent: boolean;
  files: TipFileInput[];
}

export interface TipSummary {
  id: number;
  receipt: string;
  /** Null once the retention period has ended. */
  name: string | null;
  excerpt: string;
  status: TipStatus;
  fileCount: number;
  createdAt: number;
  purgedAt: number | null;
}

export interface TipFileMeta {
  id: number;
  kind: 'photo' | 'pdf';
  mime: string;
  name: string;
  size: number;
  width: number | null;
  height: number | null;
}

export interface TipDetail extends TipSummary {
  contact: string | null;
  body: string;
  files: TipFileMeta[];
  handledBy: string | null;
  handledAt: number | null;
}

// C0/C1 controls except tab and newline; PostgreSQL refuses NUL outright.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const RECEIPT_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** One line: NFC, no controls, single spaces. */
const oneLine = (text: string) =>
  text.normalize('NFC').replace(CONTROLS, '').replace(/\s+/g, ' ').trim();

const chars = (text: string) => [...text].length;

function fieldError(field: string, message: string): AppError {
  return invalidInput(message, { fields: { [field]: message } });
}

/** A phone number (8+ digits) or an e-mail address: something the desk can call back. */
function isReachable(contact: string): boolean {
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(contact)) return true;
  return /^[+\d][\d\s().-]*$/.test(contact) && contact.replace(/\D/g, '').length >= 8;
}

function safeFileName(name: string, fallback: string): string {
  const base = oneLine(name.split(/[\\/]/).pop() ?? '');
  return [...base].slice(0, 100).join('') || fallback;
}

const isPdf = (bytes: Buffer) => bytes.subarray(0, 5).toString('latin1') === '%PDF-';

/**
 * A PDF is taken when its bytes say so (not its name or declared type) and it ends the
 * way a complete PDF does: a file cut off in transfer is refused with a reason.
 */
function checkPdf(bytes: Buffer, label: string): void {
  if (bytes.length > TIP_RULES.maxFileBytes)
    throw fieldError(
      'files',
      `${label}이 너무 큽니다. ${TIP_RULES.maxFileBytes / 1024 / 1024}MB 이하로 보내 주세요.`,
    );
  if (!bytes.subarray(Math.max(0, bytes.length - 1024)).includes('%%EOF'))
    throw fieldError(
      'files',
      `${label}이 손상되었거나 끝까지 올라오지 않았습니다. 파일을 확인한 뒤 다시 보내 주세요.`,
    );
}

/**
 * 기사제보: readers' tips for the desk. The form is held back from scripts by a signed
 * timestamp (too fast is refused) and a honeypot field (in the HTTP layer), and from
 * floods by per-address counters that hold under parallel posts. Photos pass the photo
 * library's checks and lose their metadata; a PDF is checked by its bytes. The sender's
 * name, contact and files are deleted once the retention period ends.
 */
export function createTips(deps: TipDeps) {
  const { db, clock } = deps;
  const secret = siteSecret(db, 'tip-form', () => clock.now());
  const tokens = formTokens(secret, {
    minMs: TIP_RULES.minFillMs,
    maxMs: TIP_RULES.maxFormAgeMs,
  });
  const limits = createTipLimits(db, secret, deps.limits ?? DEFAULT_TIP_LIMITS);
  const retentionMs = deps.retentionDays * DAY;

  function checkText(input: TipInput) {
    const name = oneLine(input.name);
    const contact = oneLine(input.contact);
    const body = input.body
      .normalize('NFC')
      .replace(/\r\n?/g, '\n')
      .replace(CONTROLS, '')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
    if (name === '') throw fieldError('name', '이름을 적어 주세요.');
    if (chars(name) > TIP_RULES.maxNameChars)
      throw fieldError('name', `이름은 ${TIP_RULES.maxNameChars}자까지 적을 수 있습니다.`);
    if (contact === '') throw fieldError('contact', '연락받을 전화번호나 이메일을 적어 주세요.');
    if (chars(contact) > TIP_RULES.maxContactChars || !isReachable(contact))
      throw fieldError(
        'contact',
        '연락처는 전화번호(예: 010-1234-5678)나 이메일 주소로 적어 주세요.',
      );
    if (chars(body) < TIP_RULES.minBodyChars)
      throw fieldError('body', `제보 내용을 ${TIP_RULES.minBodyChars}자 이상 적어 주세요.`);
    if (chars(body) > TIP_RULES.maxBodyChars)
      throw fieldError(
        'body',
        `제보 내용은 ${TIP_RULES.maxBodyChars.toLocaleString('ko-KR')}자까지 적을 수 있습니다 (지금 ${chars(body).toLocaleString('ko-KR')}자).`,
      );
    if (!input.consent)
      throw fieldError('consent', '개인정보 수집·이용에 동의해야 제보를 보낼 수 있습니다.');
    return { name, contact, body };
  }

  async function checkFiles(files: TipFileInput[]) {
    const given = files.filter((f) => f.bytes.length > 0 || f.filename !== '');
    const pdfs = given.filter((f) => isPdf(f.bytes));
    if (pdfs.length > 0 && (pdfs.length > 1 || given.length > 1))
      throw fieldError('files', 'PDF는 한 개만, 사진 없이 보낼 수 있습니다.');
    if (given.length > TIP_RULES.maxPhotos)
      throw fieldError('files', `사진은 ${TIP_RULES.maxPhotos}장까지 보낼 수 있습니다.`);
    const out: {
      kind: 'photo' | 'pdf';
      mime: string;
      name: string;
      bytes: Buffer;
      width: number | null;
      height: number | null;
    }[] = [];
    for (const [i, file] of given.entries()) {
      const label =
        given.length > 1
          ? `${i + 1}번째 파일(${safeFileName(file.filename, '이름 없음')})`
          : '첨부 파일';
      if (file.bytes.length === 0)
        throw fieldError('files', `${label}이 비어 있습니다. 다른 파일을 골라 주세요.`);
      if (isPdf(file.bytes)) {
        checkPdf(file.bytes, label);
        out.push({
          kind: 'pdf',
          mime: 'application/pdf',
          name: safeFileName(file.filename, '제보.pdf'),
          bytes: file.bytes,
          width: null,
          height: null,
        });
        continue;
      }
      if (file.bytes.length > TIP_RULES.maxFileBytes)
        throw fieldError(
          'files',
          `${label}이 너무 큽니다. ${TIP_RULES.maxFileBytes / 1024 / 1024}MB 이하로 보내 주세요.`,
        );
      let photo: CleanedPhoto;
      try {
        photo = await deps.cleanPhoto(file.bytes);
      } catch (error) {
        if (isAppError(error) && error.code === 'INVALID_INPUT')
          throw fieldError(
            'files',
            `${label}: ${error.message.replace('JPEG, PNG, WebP 파일을', 'JPEG, PNG, WebP 사진이나 PDF 문서를')}`,
          );
        throw error;
      }
      out.push({
        kind: 'photo',
        mime: photo.mime,
        name: safeFileName(file.filename, `사진${i + 1}.jpg`),
        bytes: photo.bytes,
        width: photo.width,
        height: photo.height,
      });
    }
    return out;
  }

  function newReceipt(now: number): string {
    const { year, month, day } = kstParts(now);
    const date = `${String(year % 100).padStart(2, '0')}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
    let code = '';
    for (let i = 0; i < 6; i++) code += RECEIPT_ALPHABET[randomInt(RECEIPT_ALPHABET.length)];
    return `${date}-${code}`;
  }

  const toSummary = (r: {
    id: number;
    receipt: string;
    name: string;
    body: string;
    status: TipStatus;
    file_count: number;
    created_at: number;
    purged_at: number | null;
  }): TipSummary => ({
    id: r.id,
    receipt: r.receipt,
    name: r.purged_at === null ? r.name : null,
    excerpt: [...r.body.replace(/\s+/g, ' ')].slice(0, 80).join(''),
    status: r.status,
    fileCount: r.file_count,
    createdAt: Number(r.created_at),
    purgedAt: r.purged_at === null ? null : Number(r.purged_at),
  });

  return {
    rules: TIP_RULES,
    retentionDays: deps.retentionDays,

    /** The signed timestamp a freshly rendered form carries. */
    formToken: (): Promise<string> => tokens.issue(clock.now()),
    checkFormToken: (token: string): Promise<TokenCheck> => tokens.check(token, clock.now()),

    /** Counts an attempt from an address before its body is read; see createTipLimits. */
    admit: (address: string): Promise<Admission> => limits.admit(address, clock.now()),
    release: (ticket: Ticket): Promise<void> => limits.release(ticket),

    /**
     * Checks and stores a tip admitted with `ticket`; returns its receipt number. A refusal
     * (INVALID_INPUT with the field at fault) gives the ticket back: fixing a field and
     * sending again is not a second tip.
     */
    async submit(input: TipInput, ticket: Ticket): Promise<{ id: number; receipt: string }> {
      let text: ReturnType<typeof checkText>;
      let files: Awaited<ReturnType<typeof checkFiles>>;
      try {
        text = checkText(input);
        files = await checkFiles(input.files);
      } catch (error) {
        await limits.release(ticket);
        throw error;
      }
      const now = clock.now();
      let stored: { id: number; receipt: string } | null = null;
      for (let attempt = 0; stored === null; attempt++) {
        const receipt = newReceipt(now);
        try {
          stored = await db.transaction().execute(async (trx) => {
            const row = await trx
              .insertInto('tips')
              .values({
                receipt,
                name: text.name,
                contact: text.contact,
                body: text.body,
                file_count: files.length,
                created_at: now,
                purged_at: null,
                handled_by: null,
                handled_at: null,
              })
              .returning('id')
              .executeTakeFirstOrThrow();
            for (const [position, f] of files.entries()) {
              await trx
                .insertInto('tip_files')
                .values({
                  tip_id: row.id,
                  position,
                  kind: f.kind,
                  mime: f.mime,
                  name: f.name,
                  size: f.bytes.length,
                  width: f.width,
                  height: f.height,
                  bytes: f.bytes,
                })
                .execute();
            }
            return { id: row.id, receipt };
          });
        } catch (error) {
          // 32^6 receipts a day: a clash is all but impossible, and then a new number.
          const taken = await db
            .selectFrom('tips')
            .select('id')
            .where('receipt', '=', receipt)
            .executeTakeFirst();
          if (taken === undefined || attempt >= 3) throw error;
        }
      }
      await deps.onTip?.(stored);
      return stored;
    },

    /** The desk's inbox, newest first, a page at a time (`before`: the last id seen). */
    async list(options: { before?: number; limit?: number } = {}): Promise<{
      items: TipSummary[];
      nextBefore: number | null;
    }> {
      const limit = Math.min(100, Math.max(1, options.limit ?? 30));
      let q = db
        .selectFrom('tips')
        .select([
          'id',
          'receipt',
          'name',
          'body',
          'status',
          'file_count',
          'created_at',
          'purged_at',
        ]);
      if (options.before !== undefined) q = q.where('id', '<', options.before);
      const rows = await q
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const page = rows.slice(0, limit).map(toSummary);
      return {
        items: page,
        nextBefore: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
      };
    },

    async countNew(): Promise<number> {
      const row = await db
        .selectFrom('tips')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('status', '=', 'new')
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    /** One tip; opening a new one marks it seen. */
    async open(id: number): Promise<TipDetail> {
      const row = await db
        .selectFrom('tips as t')
        .leftJoin('users as u', 'u.id', 't.handled_by')
        .select([
          't.id',
          't.receipt',
          't.name',
          't.contact',
          't.body',
          't.status',
          't.file_count',
          't.created_at',
          't.purged_at',
          't.handled_at',
          'u.name as handler',
        ])
        .where('t.id', '=', id)
        .executeTakeFirst();
      if (row === undefined) throw notFound('없는 제보입니다. 이미 지워졌을 수 있습니다.');
      if (row.status === 'new')
        await db
          .updateTable('tips')
          .set({ status: 'seen' })
          .where('id', '=', id)
          .where('status', '=', 'new')
          .execute();
      const files = await db
        .selectFrom('tip_files')
        .select(['id', 'kind', 'mime', 'name', 'size', 'width', 'height'])
        .where('tip_id', '=', id)
        .orderBy('position')
        .execute();
      return {
        ...toSummary(row),
        status: row.status === 'new' ? 'seen' : row.status,
        contact: row.purged_at === null ? row.contact : null,
        body: row.body,
        files: files.map((f) => ({ ...f, size: Number(f.size) })),
        handledBy: row.handler,
        handledAt: row.handled_at === null ? null : Number(row.handled_at),
      };
    },

    async file(
      tipId: number,
      fileId: number,
    ): Promise<{ bytes: Buffer; mime: string; name: string; kind: 'photo' | 'pdf' }> {
      const row = await db
        .selectFrom('tip_files')
        .select(['bytes', 'mime', 'name', 'kind'])
        .where('tip_id', '=', tipId)
        .where('id', '=', fileId)
        .executeTakeFirst();
      if (row === undefined)
        throw notFound('없는 파일입니다. 보관 기간이 지나 지워졌을 수 있습니다.');
      return { ...row, bytes: Buffer.from(row.bytes) };
    },

    /** 처리 완료 (or back to the inbox): who handled it and when. */
    async setStatus(id: number, status: 'seen' | 'done', actorId: number): Promise<void> {
      const result = await db
        .updateTable('tips')
        .set(
          status === 'done'
            ? { status, handled_by: actorId, handled_at: clock.now() }
            : { status, handled_by: null, handled_at: null },
        )
        .where('id', '=', id)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw notFound('없는 제보입니다.');
    },

    /** Deletes a tip with everything in it (spam, or at the sender's request). */
    async remove(id: number): Promise<void> {
      const result = await db.deleteFrom('tips').where('id', '=', id).executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) throw notFound('없는 제보입니다.');
    },

    /**
     * Deletes the name, contact and files of tips older than the retention period (the
     * text stays, as the desk's record), and counters whose windows have ended. Safe to
     * run on several servers at once: each statement only touches what is still there.
     */
    async purgeExpired(): Promise<{ tips: number; counters: number }> {
      const now = clock.now();
      const cutoff = now - retentionMs;
      const due = db
        .selectFrom('tips')
        .select('id')
        .where('purged_at', 'is', null)
        .where('created_at', '<=', cutoff);
      const purged = await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('tip_files').where('tip_id', 'in', due).execute();
        const result = await trx
          .updateTable('tips')
          .set({ name: '', contact: '', file_count: 0, purged_at: now })
          .where('purged_at', 'is', null)
          .where('created_at', '<=', cutoff)
          .executeTakeFirst();
        return Number(result.numUpdatedRows);
      });
      return { tips: purged, counters: await limits.purge(now) };
    },
  };
}

export type Tips = ReturnType<typeof createTips>;
