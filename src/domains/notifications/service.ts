import type { Kysely } from 'kysely';
import type { Database, StaffNotificationTable } from '../../db/index.ts';
import { rolesWith } from '../accounts/index.ts';
import type { Handover } from '../newsroom/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { formatKstDateTime } from '../../shared/kst.ts';
import type { Mailer } from './mailer.ts';

export type NotificationKind = StaffNotificationTable['kind'];

/** A hand-over on the desk that someone should hear about: the desk's own event. */
export type DeskHandover = Handover;

export interface StaffNotification {
  id: number;
  kind: NotificationKind;
  articleId: number | null;
  /** The 기사제보 a 'tip' notice is about. */
  tipId: number | null;
  text: string;
  createdAt: number;
  read: boolean;
}

export interface NotificationDeps {
  db: Kysely<Database>;
  clock: Clock;
  mailer: Mailer;
  siteUrl: string;
  siteName: string;
  /** Where a mail that could not be sent is reported (it is never retried). */
  onMailError?: (error: unknown, to: string) => void;
}

const LIST_LIMIT = 50;

function describe(event: DeskHandover): string {
  const title = `「${event.title.trim() || '제목 없음'}」`;
  switch (event.kind) {
    case 'submitted':
      return `${event.actor.name} 님이 ${title} 기사를 데스크로 보냈습니다.`;
    case 'sent_back':
      return `${event.actor.name} 님이 ${title} 기사를 반려했습니다. 의견: ${event.comment ?? ''}`;
    case 'published':
      return `${title} 기사가 출고되었습니다.`;
    case 'scheduled':
      return `${title} 기사가 ${formatKstDateTime(event.publishAt ?? 0)} 출고로 예약되었습니다.`;
  }
}

/**
 * Who hears about what on the desk: every desk editor of each 송고, the writer of each
 * 반려 and 출고 — in the admin (a badge and a list) and, when the paper has an SMTP server,
 * by e-mail. The actor never notifies themselves.
 */
export function createNotifications(deps: NotificationDeps) {
  const { db, clock, mailer } = deps;
  const pending = new Set<Promise<void>>();

  /** Every staff mail says which newsroom it comes from. */
  const send = (to: string, subject: string, text: string) =>
    mailer.send({ to, subject: `[${deps.siteName} 뉴스룸] ${subject}`, text });

  /** Sends in the background: a slow or failing mail server never holds up the desk. */
  function mailLater(to: string, subject: string, text: string): void {
    if (!mailer.configured) return;
    const job: Promise<void> = send(to, subject, text)
      .catch((error: unknown) => deps.onMailError?.(error, to))
      .finally(() => pending.delete(job));
    pending.add(job);
  }

  return {
    get mailConfigured(): boolean {
      return mailer.configured;
    },

    async deskHandover(event: DeskHandover): Promise<void> {
      let query = db
        .selectFrom('users')
        .select(['id', 'email'])
        .where('disabled', '=', 0)
        .where('id', '!=', event.actor.id);
      if (event.kind === 'submitted') {
        query = query.where('role', 'in', rolesWith('article.publish'));
      } else {
        if (event.ownerId === null) return;
        query = query.where('id', '=', event.ownerId);
      }
      const recipients = await query.execute();
      if (recipients.length === 0) return;
      const text = describe(event).slice(0, 500);
      const now = clock.now();
      await db
        .insertInto('staff_notifications')
        .values(
          recipients.map((r) => ({
            user_id: r.id,
            kind: event.kind,
            article_id: event.articleId,
            text,
            created_at: now,
            read_at: null,
          })),
        )
        .execute();
      const link = `${deps.siteUrl}/admin/articles/${event.articleId}`;
      for (const r of recipients) {
        mailLater(r.email, text.slice(0, 120), `${text}\n\n기사 열기: ${link}\n`);
      }
    },

    /**
     * A webhook endpoint switched off after failing again and again: every staff member who
     * manages integrations hears of it, in the admin and by mail.
     */
    async webhookDisabled(endpoint: { id: number; url: string; reason: string }): Promise<void> {
      const recipients = await db
        .selectFrom('users')
        .select(['id', 'email'])
        .where('disabled', '=', 0)
        .where('role', 'in', rolesWith('api.manage'))
        .execute();
      if (recipients.length === 0) return;
      const text =
        `웹훅 ${endpoint.url} 을(를) 껐습니다. ${endpoint.reason} 받는 쪽을 고친 뒤 웹훅 화면에서 다시 켜세요.`.slice(
          0,
          500,
        );
      await db
        .insertInto('staff_notifications')
        .values(
          recipients.map((r) => ({
            user_id: r.id,
            kind: 'webhook_disabled' as const,
            article_id: null,
            text,
            created_at: clock.now(),
            read_at: null,
          })),
        )
        .execute();
      const link = `${deps.siteUrl}/admin/webhooks/${endpoint.id}`;
      for (const r of recipients) mailLater(r.email, '웹훅 전송 중지', `${text}\n\n${link}\n`);
    },

    /**
     * A reader's 기사제보 arrived: everyone who reads the 제보함 hears of it. The notice and
     * the mail carry only the receipt number: the sender's name and contact stay in the
     * 제보함, where they are deleted when their time is up.
     */
    async tipReceived(tip: { id: number; receipt: string }): Promise<void> {
      const recipients = await db
        .selectFrom('users')
        .select(['id', 'email'])
        .where('disabled', '=', 0)
        .where('role', 'in', rolesWith('tip.read'))
        .execute();
      if (recipients.length === 0) return;
      const text = `새 기사제보가 들어왔습니다 (접수번호 ${tip.receipt}).`;
      const now = clock.now();
      await db
        .insertInto('staff_notifications')
        .values(
          recipients.map((r) => ({
            user_id: r.id,
            kind: 'tip' as const,
            article_id: null,
            tip_id: tip.id,
            text,
            created_at: now,
            read_at: null,
          })),
        )
        .execute();
      const link = `${deps.siteUrl}/admin/tips/${tip.id}`;
      for (const r of recipients) mailLater(r.email, text, `${text}\n\n제보함에서 열기: ${link}\n`);
    },

    /**
     * A message to one staff member (an invitation, a password reset), sent now: the admin
     * who asked for it is told whether it went. False when no SMTP server is configured.
     */
    async mailStaff(to: string, subject: string, text: string): Promise<boolean> {
      if (!mailer.configured) return false;
      await send(to, subject, text);
      return true;
    },

    async list(userId: number): Promise<StaffNotification[]> {
      const rows = await db
        .selectFrom('staff_notifications')
        .select(['id', 'kind', 'article_id', 'tip_id', 'text', 'created_at', 'read_at'])
        .where('user_id', '=', userId)
        .orderBy('id', 'desc')
        .limit(LIST_LIMIT)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        articleId: r.article_id,
        tipId: r.tip_id,
        text: r.text,
        createdAt: r.created_at,
        read: r.read_at !== null,
      }));
    },

    async unreadCount(userId: number): Promise<number> {
      const row = await db
        .selectFrom('staff_notifications')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('user_id', '=', userId)
        .where('read_at', 'is', null)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    /** Marks one notice (or, without an id, all of them) read; returns what it is about. */
    async markRead(
      userId: number,
      id?: number,
    ): Promise<{ articleId: number | null; tipId: number | null; kind: NotificationKind } | null> {
      let query = db
        .updateTable('staff_notifications')
        .set({ read_at: clock.now() })
        .where('user_id', '=', userId)
        .where('read_at', 'is', null);
      if (id !== undefined) query = query.where('id', '=', id);
      await query.execute();
      if (id === undefined) return null;
      const row = await db
        .selectFrom('staff_notifications')
        .select(['article_id', 'tip_id', 'kind'])
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row === undefined
        ? null
        : { articleId: row.article_id, tipId: row.tip_id, kind: row.kind };
    },

    /** Resolves once the mail sent in the background has gone (tests, shutdown). */
    async idle(): Promise<void> {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}

export type Notifications = ReturnType<typeof createNotifications>;
