import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.TAMNA_CHROMIUM ?? '/usr/bin/chromium';

// Flags for a sandboxed CI machine with no network: no GPU, no background downloads.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Launches Debian's Chromium. A missing browser is a failure, never a skip. `extraArgs`
 * adds flags, such as a remote debugging port for Lighthouse.
 */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install Debian's package (apt-get install chromium) or set TAMNA_CHROMIUM.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...FLAGS, ...extraArgs],
    headless: true,
  });
}
