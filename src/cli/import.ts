import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { createNewsroom } from '../app.ts';
import type { Config } from '../config/index.ts';
import { AppError } from '../shared/errors.ts';
import type { CliIo } from './run.ts';

/**
 * `tamna import FILE.ndjson`: one JSON article per line. Prints progress, every failed
 * line with its number and reason, and a summary. Exit code 0 when every line was
 * imported, 1 when some failed (the good ones are kept either way).
 */
export async function importCommand(config: Config, file: string, io: CliIo): Promise<number> {
  const fullPath = path.resolve(file);
  let text: string;
  try {
    const info = await stat(fullPath);
    if (!info.isFile()) throw new Error('not a file');
    text = await readFile(fullPath, 'utf8');
  } catch {
    throw new AppError(
      'INVALID_INPUT',
      `파일을 읽을 수 없습니다: ${file} (NDJSON 파일의 경로를 적으세요)`,
    );
  }
  const app = await createNewsroom(config, { logger: pino({ level: 'warn' }) });
  try {
    let done = 0;
    const report = await app.importer.importNdjson(text, {
      baseDir: path.dirname(fullPath),
      onLine: () => {
        done++;
        if (done % 500 === 0) io.out(`... ${done}줄 처리`);
      },
    });
    for (const f of report.failed) io.err(`${f.line}번째 줄: ${f.reason}`);
    for (const n of report.notes) io.out(`${n.line}번째 줄: ${n.note}`);
    io.out(
      `${file} 가져오기: 새 기사 ${report.created}건, 고친 기사 ${report.updated}건, 실패 ${report.failed.length}줄, 저장한 사진 ${report.photosStored}장.`,
    );
    if (report.sectionsCreated.length > 0)
      io.out(
        `새 섹션: ${report.sectionsCreated.join(', ')} — 메뉴에 숨겨 두었습니다. /admin/sections에서 이름과 순서를 확인하고 보이게 하세요.`,
      );
    return report.failed.length === 0 ? 0 : 1;
  } finally {
    await app.close();
  }
}
