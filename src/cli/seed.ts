import { createNewsroom } from '../app.ts';
import type { Config } from '../config/index.ts';
import { isDatabaseEmpty } from './demo/is-empty.ts';
import type { CliIo } from './run.ts';

export async function seedCommand(config: Config, io: CliIo): Promise<number> {
  const app = await createNewsroom(config);
  try {
    if (!(await isDatabaseEmpty(app.database.db))) {
      io.err(
        `tamna: ${app.database.describe} already has content; demo content is only added to an empty database.`,
      );
      return 1;
    }
    // Lazy: sharp (image generation) is only needed here, not by every CLI command.
    const { seedDemo } = await import('./demo/seed-demo.ts');
    const summary = await seedDemo(app);
    io.out(
      `Demo content added to ${app.database.describe}: ${summary.sections} sections, ${summary.articles} articles, ${summary.photos} photos.`,
    );
    return 0;
  } finally {
    await app.close();
  }
}
