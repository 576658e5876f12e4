import { fileURLToPath } from 'node:url';
import { build, type OutputFile } from 'esbuild';

export const CLIENT_DIR = fileURLToPath(new URL('../../client/', import.meta.url));

/**
 * Bundles browser code from client/ in memory, once at server start: no build step, and
 * the same sources run in development and production, as the server code itself does
 * through tsx. Entry points are named by their output (`editor` → `editor.js`).
 */
export async function bundleClient(entryPoints: Record<string, string>): Promise<OutputFile[]> {
  const result = await build({
    entryPoints,
    outdir: '/tamna-client', // never written (write: false); only names the outputs
    write: false,
    bundle: true,
    minify: true,
    // An IIFE runs as a plain deferred <script> and keeps library names off window.
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    sourcemap: false,
    // Korean UI strings stay readable UTF-8 instead of \uXXXX escapes (smaller, too).
    charset: 'utf8',
    legalComments: 'eof',
    tsconfig: `${CLIENT_DIR}tsconfig.json`,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  return result.outputFiles;
}
