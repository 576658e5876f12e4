import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.ts';
import { connectDatabase } from '../db/index.ts';
import { createAccounts } from '../domains/accounts/index.ts';
import { createWriter } from '../domains/content/index.ts';
import { systemClock } from '../shared/clock.ts';
import { hubBody, hubRow, startFakeKma } from '../testing/fake-kma.ts';
import { runCli, type CliIo } from './run.ts';

function capture(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: { TAMNA_LOG_LEVEL: 'silent', ...env },
  };
  return { io, out, err };
}

describe('tamna CLI', () => {
  it('prints help', async () => {
    const c = capture();
    expect(await runCli(['--help'], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/serve \[--demo-if-empty\][\s\S]*migrate[\s\S]*seed --demo/);
    expect(c.out.join('\n')).toMatch(
      /user add --email EMAIL --role ROLE \[--name NAME\][\s\S]*user list[\s\S]*user passwd --email EMAIL[\s\S]*user disable --email EMAIL/,
    );
  });

  it.each([
    [['publish'], /^tamna: unknown command "publish"\. Run "tamna --help" for usage\.$/],
    [
      ['serve', '--port', '3000'],
      /^tamna: Unknown option '--port'\. Run "tamna --help" for usage\.$/,
    ],
    [['seed'], /^tamna: seed needs --demo/],
  ])('refuses bad arguments %j with one line and exit code 2', async (argv, message) => {
    const c = capture();
    expect(await runCli(argv, c.io)).toBe(2);
    expect(c.err).toHaveLength(1);
    expect(c.err[0]).toMatch(message);
  });

  it('refuses bad configuration with one line and exit code 1', async () => {
    const c = capture({ PORT: 'eighty' });
    expect(await runCli(['migrate'], c.io)).toBe(1);
    expect(c.err).toEqual(['tamna: PORT="eighty" must be a number.']);
  });

  it('explains an unreachable PostgreSQL', async () => {
    const c = capture({ DATABASE_URL: 'postgres://tamna:secret@127.0.0.1:1/news' });
    expect(await runCli(['migrate'], c.io)).toBe(1);
    expect(c.err).toHaveLength(1);
    expect(c.err[0]).toMatch(
      /^tamna: Cannot connect to PostgreSQL at postgres:\/\/tamna:\*\*\*@127\.0\.0\.1:1\/news: .*Check that the server is running/,
    );
    expect(c.err[0]).not.toContain('secret');
  });

  it('explains an unwritable data directory', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'tamna-cli-')), 'a-file');
    writeFileSync(file, '');
    const c = capture({ TAMNA_DATA_DIR: path.join(file, 'data') });
    expect(await runCli(['migrate'], c.io)).toBe(1);
    expect(c.err).toHaveLength(1);
    expect(c.err[0]).toMatch(
      /^tamna: Cannot write to the data directory .*a-file\/data; .*TAMNA_DATA_DIR/,
    );
  });

  it('migrates a new SQLite database, then reports it up to date', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tamna-cli-'));
    const first = capture({ TAMNA_DATA_DIR: dir });
    expect(await runCli(['migrate'], first.io)).toBe(0);
    expect(first.out[0]).toMatch(
      /^Applied 0001_initial, 0002_newsroom, 0003_weather, 0004_ads_and_readers(, \d{4}_\w+)* to sqlite:/,
    );
    const second = capture({ TAMNA_DATA_DIR: dir });
    expect(await runCli(['migrate'], second.io)).toBe(0);
    expect(second.out[0]).toMatch(/is up to date\.$/);
  });

  it('runs as the installed bin with a clear message and non-zero exit', async () => {
    const bin = path.resolve(import.meta.dirname, '../../bin/tamna.js');
    const result = await promisify(execFile)(process.execPath, [bin, 'nonsense'], {
      env: { ...process.env },
    }).catch((e: { code: number; stderr: string }) => e);
    expect('code' in result ? result.code : 0).toBe(2);
    expect(result.stderr.trim()).toBe(
      'tamna: unknown command "nonsense". Run "tamna --help" for usage.',
    );
  });
});

describe('tamna user', () => {
  const roles = 'admin (관리자), desk (데스크), reporter (기자), contributor (외부 필자)';

  it.each([
    [
      ['user'],
      'tamna: user 다음에 할 일을 적으세요: add, list, passwd, disable, enable. 사용법: tamna --help',
    ],
    [['user', 'promote'], /^tamna: user promote: 없는 명령입니다\. add, list,/],
    [['user', 'add', 'extra'], /^tamna: 필요 없는 값이 있습니다: "extra"\./],
    [
      ['user', 'add', '--role', 'desk'],
      /^tamna: user add에는 --email\(계정 이메일\)이 필요합니다\./,
    ],
    [['user', 'passwd'], /^tamna: user passwd에는 --email/],
    [['user', 'list', '--role', 'admin'], /^tamna: user list에는 --role를 쓰지 않습니다\./],
    [['user', 'disable', '--email', 'a@b.kr', '--name', 'x'], /--name를 쓰지 않습니다/],
    [
      ['user', 'add', '--email', 'a@b.kr'],
      `tamna: user add에는 --role(역할)이 필요합니다: ${roles}. 사용법`,
    ],
    [
      ['user', 'add', '--email', 'a@b.kr', '--role', 'owner', '--nmae', 'x'],
      'tamna: 없는 옵션입니다: --nmae. 사용법: tamna --help',
    ],
    [['user', 'passwd', '--email'], 'tamna: --email 다음에 값을 적으세요. 사용법: tamna --help'],
  ])('refuses %j with one line and exit code 2', async (argv, message) => {
    const c = capture();
    expect(await runCli(argv, c.io)).toBe(2);
    expect(c.err).toHaveLength(1);
    expect(c.err[0]).toMatch(message);
  });

  it('lists the valid roles for an unknown one', async () => {
    const c = capture();
    expect(await runCli(['user', 'add', '--email', 'a@b.kr', '--role', 'editor'], c.io)).toBe(2);
    expect(c.err).toEqual([
      `tamna: 없는 역할입니다: "editor". ${roles} 중 하나를 쓰세요. 사용법: tamna --help`,
    ]);
  });

  it('adds, lists, resets and disables staff accounts', async () => {
    const env = { TAMNA_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'tamna-cli-')) };
    const run = async (argv: string[], code = 0) => {
      const c = capture(env);
      expect(await runCli(argv, c.io), [...c.out, ...c.err].join('\n')).toBe(code);
      return c;
    };
    const oneTimePassword = (line: string | undefined) =>
      /비밀번호: ([a-z0-9-]{19})$/.exec(line ?? '')?.[1] ?? '';

    const empty = await run(['user', 'list']);
    expect(empty.out).toEqual([
      '아직 계정이 없습니다. 첫 관리자를 만드세요: tamna user add --role admin --email you@example.kr --name 홍길동',
    ]);

    const admin = await run([
      'user',
      'add',
      '--role',
      'admin',
      '--email',
      'Boss@Tamna.kr',
      '--name',
      '홍길동',
    ]);
    expect(admin.out[0]).toBe('계정을 만들었습니다: 홍길동 <boss@tamna.kr>, admin (관리자)');
    expect(admin.out[1]).toMatch(/^임시 비밀번호: [a-z0-9]{4}(-[a-z0-9]{4}){3}$/);
    expect(admin.out[2]).toBe(
      '처음 로그인할 때 바꿔야 합니다. 이 비밀번호는 지금 한 번만 보여 드립니다.',
    );
    const reporter = await run(['user', 'add', '--role', 'reporter', '--email', 'kim@tamna.kr']);
    expect(reporter.out[0]).toBe('계정을 만들었습니다: kim <kim@tamna.kr>, reporter (기자)');

    const duplicate = await run(['user', 'add', '--role', 'desk', '--email', 'kim@tamna.kr'], 1);
    expect(duplicate.err).toEqual(['tamna: 이미 등록된 이메일입니다: kim@tamna.kr']);
    const badEmail = await run(['user', 'add', '--role', 'desk', '--email', 'kim-at-tamna'], 2);
    expect(badEmail.err).toEqual(['tamna: 올바른 이메일 주소가 아닙니다.']);

    const reset = await run(['user', 'passwd', '--email', 'KIM@tamna.kr']);
    expect(reset.out[1]).toBe(
      '처음 로그인할 때 바꿔야 합니다. 이 계정의 모든 로그인을 끝냈습니다.',
    );
    const unknown = await run(['user', 'passwd', '--email', 'nobody@tamna.kr'], 1);
    expect(unknown.err).toEqual(['tamna: 이 이메일의 계정이 없습니다: nobody@tamna.kr']);

    // The printed passwords are the ones that sign in.
    const handle = await connectDatabase(loadConfig(env).database);
    try {
      const accounts = createAccounts({ db: handle.db, clock: systemClock });
      const login = (email: string, password: string) =>
        accounts.login({ email, password, ip: '127.0.0.1' });
      const signedIn = await login('boss@tamna.kr', oneTimePassword(admin.out[1]));
      expect(signedIn.user).toMatchObject({ role: 'admin', mustChangePassword: true });
      await expect(login('kim@tamna.kr', oneTimePassword(reporter.out[1]))).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
      });
      await login('kim@tamna.kr', oneTimePassword(reset.out[0]));
    } finally {
      await handle.close();
    }

    const disabled = await run(['user', 'disable', '--email', 'kim@tamna.kr']);
    expect(disabled.out).toEqual([
      '사용 중지했습니다: kim <kim@tamna.kr>, reporter (기자). 모든 로그인을 끝냈습니다.',
    ]);
    const lastAdmin = await run(['user', 'disable', '--email', 'boss@tamna.kr'], 1);
    expect(lastAdmin.err).toEqual([
      'tamna: 마지막 관리자는 사용 중지할 수 없습니다. 다른 관리자를 먼저 지정하세요.',
    ]);

    const list = await run(['user', 'list']);
    expect(list.out).toEqual([
      '번호  이메일         이름    역할             상태',
      '1     boss@tamna.kr  홍길동  admin (관리자)   사용 중, 비밀번호 변경 필요',
      '2     kim@tamna.kr   kim     reporter (기자)  사용 중지, 비밀번호 변경 필요',
    ]);
  });

  it('imports an NDJSON file, reporting bad lines and a summary', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tamna-cli-'));
    const file = path.join(dir, 'archive.ndjson');
    const record = (externalId: string, title: string) =>
      JSON.stringify({
        externalId,
        section: '옛 기사',
        title,
        bodyHtml: '<p>본문</p>',
        authors: [{ name: '고한결', email: 'ko@archive.example' }],
        publishedAt: '2020-05-01T10:00:00+09:00',
        status: 'published',
      });
    writeFileSync(
      file,
      [record('x-1', '첫 기사'), 'not json', record('x-3', '셋째 기사')].join('\n'),
    );
    const first = capture({ TAMNA_DATA_DIR: dir });
    expect(await runCli(['import', file], first.io)).toBe(1);
    expect(first.err).toEqual([expect.stringMatching(/^2번째 줄: JSON으로 읽을 수 없습니다/)]);
    expect(first.out.at(-2)).toMatch(
      / 가져오기: 새 기사 2건, 고친 기사 0건, 실패 1줄, 저장한 사진 0장\.$/,
    );
    expect(first.out.at(-1)).toBe(
      '새 섹션: 옛 기사 — 메뉴에 숨겨 두었습니다. /admin/sections에서 이름과 순서를 확인하고 보이게 하세요.',
    );
    writeFileSync(file, record('x-1', '고친 첫 기사'));
    const second = capture({ TAMNA_DATA_DIR: dir });
    expect(await runCli(['import', file], second.io)).toBe(0);
    expect(second.out.at(-1)).toMatch(/새 기사 0건, 고친 기사 1건, 실패 0줄/);
    const missing = capture({ TAMNA_DATA_DIR: dir });
    expect(await runCli(['import', path.join(dir, 'nope.ndjson')], missing.io)).toBe(1);
    expect(missing.err).toEqual([
      expect.stringMatching(/^tamna: 파일을 읽을 수 없습니다: .*nope\.ndjson/),
    ]);
    const usage = capture({ TAMNA_DATA_DIR: dir });
    expect(await runCli(['import'], usage.io)).toBe(2);
    expect(usage.err).toEqual([
      'tamna: 가져올 파일 하나를 적으세요. 예: tamna import articles.ndjson. 사용법: tamna --help',
    ]);
  });

  it('rebuilds the search index with progress and prints ranked hits as JSON', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tamna-cli-'));
    expect(await runCli(['migrate'], capture({ TAMNA_DATA_DIR: dir }).io)).toBe(0);
    const handle = await connectDatabase(loadConfig({ TAMNA_DATA_DIR: dir }).database);
    try {
      const writer = createWriter({ db: handle.db, clock: systemClock });
      const sectionId = await writer.createSection({ slug: 'society', name: '사회' });
      for (const title of ['한라산 탐방로 정비', '한라산탐방로 통제', '감귤 수확'])
        await writer.createArticle({ sectionId, title, status: 'published' });
      await handle.db.deleteFrom('article_search').execute();
    } finally {
      await handle.close();
    }
    const reindex = capture({ TAMNA_DATA_DIR: dir });
    expect(await runCli(['search', 'reindex'], reindex.io)).toBe(0);
    expect(reindex.out).toEqual([
      'Indexed 3 of 3 articles (100%)',
      expect.stringMatching(/^Search index rebuilt: 3 articles in \d+\.\d s\.$/),
    ]);
    const query = capture({ TAMNA_DATA_DIR: dir });
    expect(await runCli(['search', 'query', '한라산', '탐방로', '--json'], query.io)).toBe(0);
    const hits = JSON.parse(query.out.join('')) as { title: string; score: number }[];
    expect(hits.map((h) => h.title).sort()).toEqual(['한라산 탐방로 정비', '한라산탐방로 통제']);
    expect(Object.keys(hits[0] ?? {})).toEqual(['id', 'externalId', 'title', 'score']);
    expect(hits[0]?.score).toBeGreaterThanOrEqual(hits[1]?.score ?? 0);
    const usage = capture({ TAMNA_DATA_DIR: dir });
    expect(await runCli(['search'], usage.io)).toBe(2);
    expect(usage.err[0]).toMatch(/^tamna: search needs "reindex" or "query <words> \[--json\]"/);
  });

  it('prints the forecast grid cell of a position, and refuses bad coordinates', async () => {
    const c = capture();
    expect(await runCli(['weather', 'grid', '37.57142', '126.9658'], c.io)).toBe(0);
    expect(c.out).toEqual(['60 127']);
    const bad = capture();
    expect(await runCli(['weather', 'grid', '서울', '126.9'], bad.io)).toBe(2);
    expect(bad.err).toEqual([
      'tamna: latitude "서울" must be a number of degrees between -90 and 90. Run "tamna --help" for usage.',
    ]);
    const missing = capture();
    expect(await runCli(['weather'], missing.io)).toBe(2);
    expect(missing.err[0]).toMatch(/weather needs "refresh" or "grid <lat> <lon>"/);
  });

  it('refreshes the weather once from KMA and says what it stored or why it failed', async () => {
    const fake = await startFakeKma({ authKey: 'cli-key', serviceKey: 'unused' });
    try {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'tamna-cli-'));
      const hour = new Date(Date.now() + 9 * 3_600_000)
        .toISOString()
        .slice(0, 13)
        .replace(/\D/g, '');
      fake.hub.body = hubBody([
        hubRow({ TM: `${hour}00`, STN: 108, TA: 2.4, CA_TOT: 1 }),
        hubRow({ TM: `${hour}00`, STN: 184, TA: 9.8, CA_TOT: 4 }),
      ]);
      const env = { TAMNA_DATA_DIR: dir, TAMNA_KMA_HUB_URL: fake.hubUrl };
      const noKey = capture(env);
      expect(await runCli(['weather', 'refresh'], noKey.io)).toBe(1);
      expect(noKey.err[0]).toMatch(/^No KMA key is set: set TAMNA_KMA_AUTH_KEY/);
      const ok = capture({ ...env, TAMNA_KMA_AUTH_KEY: 'cli-key' });
      expect(await runCli(['weather', 'refresh'], ok.io)).toBe(0);
      expect(ok.out[0]).toMatch(
        /^hub: ok — 2곳 저장 · 자료 없는 지점은 이전 값 유지: 동두천\(98\), 강릉\(105\)/,
      );
      expect(ok.out[1]).toMatch(/^Ticker: 2 places, observed \d+월 \d+일 \d+시 KST\.$/);
      const refused = capture({ ...env, TAMNA_KMA_AUTH_KEY: 'wrong' });
      expect(await runCli(['weather', 'refresh'], refused.io)).toBe(1);
      expect(refused.err).toEqual([
        'hub: failed — 인증키가 거부되었습니다 — HTTP 403: 유효한 인증키가 아닙니다.',
      ]);
    } finally {
      await fake.close();
    }
  });
});
