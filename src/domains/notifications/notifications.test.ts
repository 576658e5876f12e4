import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addStaff, as, signIn } from '../../testing/admin-session.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { testDialects } from '../../testing/databases.ts';
import { startFakeSmtp, type FakeSmtp } from '../../testing/fake-smtp.ts';
import { seedFixture } from '../../testing/fixtures.ts';

describe.each(testDialects)('desk notices on %s', (dialect) => {
  let smtp: FakeSmtp;
  let app: TestApp;

  beforeAll(async () => {
    smtp = await startFakeSmtp();
  });
  afterAll(async () => {
    await smtp.close();
  });
  beforeEach(async () => {
    smtp.mails.length = 0;
    app = await createTestApp({ dialect, env: { TAMNA_SMTP_URL: smtp.url } });
    await seedFixture(app);
  });
  afterEach(async () => {
    await app.close();
  });

  const actorOf = async (email: string) => {
    const user = await app.services.accounts.findUserByEmail(email);
    return { id: user!.id, role: user!.role, name: user!.name };
  };

  it('tells the desk of each 송고 and the writer of 반려 and 출고, in the admin and by mail', async () => {
    const reporterEmail = await addStaff(app, 'reporter', '강서윤', 'kang@tamnailbo.example');
    const deskEmail = await addStaff(app, 'desk', '오데스크', 'oh@tamnailbo.example');
    await addStaff(app, 'admin', '고한결', 'ko@tamnailbo.example');
    await addStaff(app, 'reporter', '다른기자', 'other@tamnailbo.example');
    const reporter = await actorOf(reporterEmail);
    const desk = await actorOf(deskEmail);
    const { desk: deskService, notifications } = app.services;
    const id = await deskService.create(reporter, {
      sectionId: (await app.services.content.allSectionsForDesk())[0]!.id,
      title: '성산 일출봉 탐방로 보수',
    });

    await deskService.submit(reporter, id);
    await notifications.idle();
    // Every desk editor and admin hears of it; other writers and the sender do not.
    expect(smtp.mails.map((m) => m.to.join()).sort()).toEqual([
      'ko@tamnailbo.example',
      'oh@tamnailbo.example',
    ]);
    const mail = smtp.mails[0]!;
    expect(mail.subject).toContain('[탐나일보 뉴스룸]');
    expect(mail.subject).toContain('「성산 일출봉 탐방로 보수」 기사를 데스크로 보냈습니다');
    expect(mail.text).toContain(`https://news.example.kr/admin/articles/${id}`);
    expect(await notifications.unreadCount(desk.id)).toBe(1);
    expect(await notifications.unreadCount(reporter.id)).toBe(0);

    smtp.mails.length = 0;
    await deskService.sendBack(desk, id, '관리사무소 입장을 넣어 주세요.');
    await notifications.idle();
    expect(smtp.mails.map((m) => m.to.join())).toEqual(['kang@tamnailbo.example']);
    expect(smtp.mails[0]!.text).toContain('관리사무소 입장을 넣어 주세요.');

    await deskService.submit(reporter, id);
    await notifications.idle();
    smtp.mails.length = 0;
    await deskService.publish(desk, id);
    await notifications.idle();
    expect(smtp.mails.map((m) => m.to.join())).toEqual(['kang@tamnailbo.example']);
    expect(smtp.mails[0]!.subject).toContain('출고되었습니다');

    // In the admin: a badge on every page, the list, reading one opens the article.
    const session = as(app, await signIn(app, reporterEmail));
    const home = await session.get('/admin');
    expect(home.body).toMatch(/알림<span class="count">2<\/span>/);
    const list = await session.get('/admin/notifications');
    expect(list.body).toContain('관리사무소 입장을 넣어 주세요.');
    const [latest] = await notifications.list(reporter.id);
    const open = await session.get(`/admin/notifications/${latest!.id}/open`);
    expect(open.headers.location).toBe(`/admin/articles/${id}`);
    expect(await notifications.unreadCount(reporter.id)).toBe(1);
    expect((await session.post('/admin/notifications/read')).statusCode).toBe(303);
    expect(await notifications.unreadCount(reporter.id)).toBe(0);
    // Someone else's notice cannot be read or opened through its number.
    const deskList = await notifications.list(desk.id);
    const foreign = await session.get(`/admin/notifications/${deskList[0]!.id}/open`);
    expect(foreign.headers.location).toBe('/admin/notifications');
    // Two 송고 (the first and the one after 반려), both still unread.
    expect(await notifications.unreadCount(desk.id)).toBe(2);
  });

  it('keeps the desk working when the mail server is gone', async () => {
    await smtp.close();
    const reporterEmail = await addStaff(app, 'reporter', '강서윤', 'kang@tamnailbo.example');
    await addStaff(app, 'desk', '오데스크', 'oh@tamnailbo.example');
    const reporter = await actorOf(reporterEmail);
    const id = await app.services.desk.create(reporter, {
      sectionId: (await app.services.content.allSectionsForDesk())[0]!.id,
      title: '메일 서버 없이',
    });
    await app.services.desk.submit(reporter, id);
    await app.services.notifications.idle();
    const deskUser = await actorOf('oh@tamnailbo.example');
    expect(await app.services.notifications.unreadCount(deskUser.id)).toBe(1);
    smtp = await startFakeSmtp();
  });
});
