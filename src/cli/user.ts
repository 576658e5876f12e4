import type { Config } from '../config/index.ts';
import { connectDatabase, migrateToLatest } from '../db/index.ts';
import {
  createAccounts,
  isStaffRole,
  ROLE_LABELS,
  STAFF_ROLES,
  type StaffRole,
  type StaffUser,
} from '../domains/accounts/index.ts';
import { systemClock } from '../shared/clock.ts';
import { isAppError } from '../shared/errors.ts';
import { josa } from '../shared/josa.ts';
import type { CliIo } from './run.ts';

export type UserCommand =
  | { action: 'add'; email: string; role: StaffRole; name: string | undefined }
  | { action: 'list' }
  | { action: 'passwd' | 'disable' | 'enable'; email: string };

const SUBCOMMANDS = ['add', 'list', 'passwd', 'disable', 'enable'] as const;

const roleList = STAFF_ROLES.map((r) => `${r} (${ROLE_LABELS[r]})`).join(', ');

/**
 * Checks `tamna user ...` arguments. Returns the command, or the usage problem as one
 * line for run.ts to report (exit code 2).
 */
export function parseUserCommand(
  positionals: string[],
  options: { role?: string; email?: string; name?: string },
): UserCommand | { usage: string } {
  const [action, ...extra] = positionals;
  if (action === undefined)
    return { usage: `user 다음에 할 일을 적으세요: ${SUBCOMMANDS.join(', ')}` };
  if (!(SUBCOMMANDS as readonly string[]).includes(action))
    return { usage: `user ${action}: 없는 명령입니다. ${SUBCOMMANDS.join(', ')} 중 하나를 쓰세요` };
  if (extra.length > 0) return { usage: `필요 없는 값이 있습니다: "${extra[0]}"` };
  const given = Object.entries(options)
    .filter(([, v]) => v !== undefined)
    .map(([k]) => k);
  const allowed: Record<(typeof SUBCOMMANDS)[number], string[]> = {
    add: ['email', 'role', 'name'],
    list: [],
    passwd: ['email'],
    disable: ['email'],
    enable: ['email'],
  };
  const stray = given.find((k) => !allowed[action as (typeof SUBCOMMANDS)[number]].includes(k));
  if (stray !== undefined)
    return { usage: `user ${action}에는 ${josa(`--${stray}`, '을', '를')} 쓰지 않습니다` };

  if (action === 'list') return { action };
  const email = options.email?.trim();
  if (email === undefined || email === '')
    return { usage: `user ${action}에는 --email(계정 이메일)이 필요합니다` };
  if (action !== 'add') return { action: action as 'passwd' | 'disable' | 'enable', email };
  if (options.role === undefined)
    return { usage: `user add에는 --role(역할)이 필요합니다: ${roleList}` };
  if (!isStaffRole(options.role))
    return { usage: `없는 역할입니다: "${options.role}". ${roleList} 중 하나를 쓰세요` };
  return { action, email, role: options.role, name: options.name };
}

/** Terminal columns a string takes: Hangul and other East Asian wide characters take two. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const c = char.codePointAt(0) ?? 0;
    const wide =
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6);
    width += wide ? 2 : 1;
  }
  return width;
}

function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, displayWidth(cell))));
  return rows.map((row) =>
    row
      .map((cell, i) =>
        i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - displayWidth(cell)),
      )
      .join('  ')
      .trimEnd(),
  );
}

function describeUser(user: StaffUser): string {
  return `${user.name} <${user.email}>, ${user.role} (${user.roleLabel})`;
}

function status(user: StaffUser): string {
  const parts = [user.disabled ? '사용 중지' : '사용 중'];
  if (user.mustChangePassword) parts.push('비밀번호 변경 필요');
  if (user.totpEnabled) parts.push('2단계 인증');
  return parts.join(', ');
}

/**
 * Staff accounts from the command line, chiefly to create the first admin on a new
 * install (before any web sign-in exists) and to let an admin back in. Migrates first, so
 * `tamna user add` works on a database that `tamna serve` has not yet touched.
 */
export async function userCommand(
  config: Config,
  command: UserCommand,
  io: CliIo,
): Promise<number> {
  const handle = await connectDatabase(config.database);
  try {
    await migrateToLatest(handle);
    const accounts = createAccounts({ db: handle.db, clock: systemClock });
    const byEmail = async (email: string): Promise<StaffUser | null> => {
      const user = await accounts.findUserByEmail(email);
      if (user === null) io.err(`tamna: 이 이메일의 계정이 없습니다: ${email}`);
      return user;
    };
    switch (command.action) {
      case 'add': {
        const { user, oneTimePassword } = await accounts.createUser({
          email: command.email,
          // The byline name can be corrected later in the admin; the address's local part
          // is a recognisable stand-in.
          name: command.name ?? command.email.split('@')[0] ?? command.email,
          role: command.role,
        });
        io.out(`계정을 만들었습니다: ${describeUser(user)}`);
        io.out(`임시 비밀번호: ${oneTimePassword ?? ''}`);
        io.out('처음 로그인할 때 바꿔야 합니다. 이 비밀번호는 지금 한 번만 보여 드립니다.');
        return 0;
      }
      case 'list': {
        const users = await accounts.listUsers();
        if (users.length === 0) {
          io.out(
            '아직 계정이 없습니다. 첫 관리자를 만드세요: tamna user add --role admin --email you@example.kr --name 홍길동',
          );
          return 0;
        }
        const rows = users.map((u) => [
          String(u.id),
          u.email,
          u.name,
          `${u.role} (${u.roleLabel})`,
          status(u),
        ]);
        for (const line of table([['번호', '이메일', '이름', '역할', '상태'], ...rows]))
          io.out(line);
        return 0;
      }
      case 'passwd': {
        const found = await byEmail(command.email);
        if (found === null) return 1;
        const { oneTimePassword } = await accounts.setPasswordByAdmin(found.id);
        io.out(`${found.email}의 새 임시 비밀번호: ${oneTimePassword ?? ''}`);
        io.out('처음 로그인할 때 바꿔야 합니다. 이 계정의 모든 로그인을 끝냈습니다.');
        return 0;
      }
      case 'disable': {
        const found = await byEmail(command.email);
        if (found === null) return 1;
        await accounts.disableUser(found.id);
        io.out(`사용 중지했습니다: ${describeUser(found)}. 모든 로그인을 끝냈습니다.`);
        return 0;
      }
      case 'enable': {
        const found = await byEmail(command.email);
        if (found === null) return 1;
        await accounts.enableUser(found.id);
        io.out(`다시 사용하게 했습니다: ${describeUser(found)}`);
        return 0;
      }
    }
  } catch (error) {
    // A malformed email or name typed on the command line is a usage problem, not a failure.
    if (isAppError(error) && error.code === 'INVALID_INPUT') {
      io.err(`tamna: ${error.message}`);
      return 2;
    }
    throw error;
  } finally {
    await handle.close();
  }
}
