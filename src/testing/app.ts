import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import pino, { type Logger } from 'pino';
import { createApp, type App } from '../app.ts';
import { loadConfig } from '../config/index.ts';
import type { DatabaseHandle, DialectName } from '../db/index.ts';
import { ManualClock } from '../shared/clock.ts';
import { freshDatabase } from './databases.ts';

export interface TestApp extends App {
  clock: ManualClock;
}

/** 2025-12-09 14:00 KST: the reference page's date. */
export const REFERENCE_NOW = Date.UTC(2025, 11, 9, 5, 0, 0);

export async function createTestApp(
  options: {
    dialect?: DialectName;
    now?: number;
    env?: Record<string, string>;
    /** Where log lines go (silent by default). */
    logger?: Logger;
    /** Another app's database: two app servers sharing one (closed by its owner). */
    database?: DatabaseHandle;
    /** PostgreSQL: listen for the change feed's NOTIFY (no other background job runs). */
    changeNotifications?: boolean;
  } = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tamna-test-'));
  const config = loadConfig({
    TAMNA_DATA_DIR: dataDir,
    TAMNA_SITE_URL: 'https://news.example.kr',
    ...options.env,
  });
  const clock = new ManualClock(options.now ?? REFERENCE_NOW);
  const shared = options.database !== undefined;
  const database = options.database ?? (await freshDatabase(options.dialect ?? 'sqlite'));
  let app: Awaited<ReturnType<typeof createApp>>;
  try {
    app = await createApp(config, {
      clock,
      database,
      logger: options.logger ?? pino({ level: 'silent' }),
      backgroundJobs: false,
      changeNotifications: options.changeNotifications ?? false,
      // A fake KMA answers at once; failures should not wait out production backoffs.
      weatherFetch: { timeoutMs: 2_000, backoffMs: 10 },
    });
  } catch (error) {
    if (!shared) await database.close();
    throw error;
  }
  return {
    ...app,
    clock,
    async close() {
      await app.close();
      if (!shared) await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
