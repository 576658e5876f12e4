import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const CLIENT_DIR = fileURLToPath(new URL('../../../client/', import.meta.url));
const EDITOR_ENTRY = `${CLIENT_DIR}editor/admin.ts`;
const EDITOR_CSS = `${CLIENT_DIR}editor/editor.css`;

export interface EditorAssets {
  js: Buffer;
  css: Buffer;
}

/**
 * Bundles the admin article editor (client/editor) in memory. Called once at server
 * start, so the same sources run in development and production with no build step, as
 * the server code itself does through tsx. Takes a few hundred milliseconds.
 */
export async function buildEditorAssets(): Promise<EditorAssets> {
  const result = await build({
    entryPoints: { editor: EDITOR_ENTRY, 'editor-style': EDITOR_CSS },
    outdir: '/tamna-editor', // never written (write: false); only names the outputs
    write: false,
    bundle: true,
    minify: true,
    // An IIFE runs as a plain deferred <script> and keeps ProseMirror's names off window.
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
  const js = result.outputFiles.find((file) => file.path.endsWith('.js'));
  const css = result.outputFiles.find((file) => file.path.endsWith('.css'));
  if (js === undefined || css === undefined) {
    throw new Error('Editor bundle is missing its JavaScript or CSS output.');
  }
  return { js: Buffer.from(js.contents), css: Buffer.from(css.contents) };
}
