import type { Config } from '../config/index.ts';
import { connectDatabase, migrateToLatest } from '../db/index.ts';
import type { CliIo } from './run.ts';

export async function migrateCommand(config: Config, io: CliIo): Promise<number> {
  const handle = await connectDatabase(config.database);
  try {
    const applied = await migrateToLatest(handle);
    io.out(
      applied.length === 0
        ? `Database ${handle.describe} is up to date.`
        : `Applied ${applied.join(', ')} to ${handle.describe}.`,
    );
    return 0;
  } finally {
    await handle.close();
  }
}
