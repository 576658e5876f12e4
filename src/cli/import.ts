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
    throw new AppError('INVALID_INPUT', `Cannot read ${file}: give the path of an NDJSON file.`);
  }
  const app = await createNewsroom(config, { logger: pino({ level: 'warn' }) });
  try {
    let done = 0;
    const report = await app.importer.importNdjson(text, {
      baseDir: path.dirname(fullPath),
      onLine: () => {
        done++;
        if (done % 500 === 0) io.out(`... ${done} lines`);
      },
    });
    for (const f of report.failed) io.err(`line ${f.line}: ${f.reason}`);
    for (const n of report.notes) io.out(`line ${n.line}: ${n.note}`);
    io.out(
      `Imported ${file}: ${report.created} created, ${report.updated} updated, ${report.failed.length} failed, ${report.photosStored} photos stored.`,
    );
    if (report.sectionsCreated.length > 0)
      io.out(
        `New sections: ${report.sectionsCreated.join(', ')} (rename or hide them in /admin/sections).`,
      );
    return report.failed.length === 0 ? 0 : 1;
  } finally {
    await app.close();
  }
}
