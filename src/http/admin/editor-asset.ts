import { bundleClient, CLIENT_DIR } from '../client-bundle.ts';

export interface EditorAssets {
  js: Buffer;
  css: Buffer;
}

/** Bundles the admin article editor (client/editor). Takes a few hundred milliseconds. */
export async function buildEditorAssets(): Promise<EditorAssets> {
  const outputs = await bundleClient({
    editor: `${CLIENT_DIR}editor/admin.ts`,
    'editor-style': `${CLIENT_DIR}editor/editor.css`,
  });
  const js = outputs.find((file) => file.path.endsWith('.js'));
  const css = outputs.find((file) => file.path.endsWith('.css'));
  if (js === undefined || css === undefined) {
    throw new Error('Editor bundle is missing its JavaScript or CSS output.');
  }
  return { js: Buffer.from(js.contents), css: Buffer.from(css.contents) };
}
