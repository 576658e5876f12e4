import { describe, expect, it } from 'vitest';
import { buildEditorAssets } from './editor-asset.ts';

describe('buildEditorAssets', () => {
  it('bundles the editor script and stylesheet for the admin page', async () => {
    const { js, css } = await buildEditorAssets();
    const script = js.toString('utf8');
    expect(script.length).toBeGreaterThan(100_000);
    // The admin page's CSP has no 'unsafe-eval'.
    expect(script).not.toContain('eval(');
    expect(script).not.toMatch(/new Function\s*\(/);
    // Node-only globals would throw in the browser.
    expect(script).not.toMatch(/\bprocess\.env\b|\brequire\(/);
    // Korean UI text stays UTF-8, not \u escapes.
    expect(script).toContain('작은 소제목');
    expect(script).toContain('tamna:editor-change');
    const style = css.toString('utf8');
    expect(style).toContain('.ProseMirror');
    expect(style).toContain('keep-all');
  });
});
