import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ENTRY = fileURLToPath(new URL('../../../client/site/main.ts', import.meta.url));
const TSCONFIG = fileURLToPath(new URL('../../../client/tsconfig.json', import.meta.url));

/**
 * Bundles the public site's small script (client/site) in memory at server start, as the
 * admin editor is: no build step, the same sources in development and production.
 */
export async function buildSiteScript(): Promise<Buffer> {
  const result = await build({
    entryPoints: [ENTRY],
    write: false,
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    charset: 'utf8',
    tsconfig: TSCONFIG,
    logLevel: 'silent',
  });
  const js = result.outputFiles[0];
  if (js === undefined) throw new Error('The site script bundle is empty.');
  return Buffer.from(js.contents);
}
