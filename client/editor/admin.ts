/**
 * Admin editor entry, bundled by src/http/admin/editor-asset.ts. Progressive enhancement:
 * every `[data-editor]` holding a `<textarea>` becomes a TipTap editor; without this
 * script the textarea works on its own.
 */
import { startBylinePicker } from '../admin/byline.ts';
import { startDesk } from '../admin/desk.ts';
import { startFeaturedChoices, startFeaturedFocus } from './featured.ts';
import { startFrontDesk } from '../admin/front.ts';
import { mountEditor } from './mount.ts';

function start(): void {
  // Before the editor, so the first change event already finds the featured choices.
  startFeaturedChoices();
  startFeaturedFocus();
  for (const container of document.querySelectorAll<HTMLElement>('[data-editor]')) {
    try {
      const editor = mountEditor(container);
      if (editor !== null) window.tamnaEditor = editor;
    } catch (error) {
      // The textarea is back in place, so the article can still be written and saved.
      console.error('본문 편집기를 띄우지 못했습니다. 기본 입력란을 씁니다.', error);
    }
  }
  startBylinePicker();
  // Autosave and the edit-lock heartbeat, after the editor so its submit check runs first.
  startDesk();
  // The front desk's drag and drop, search and live preview (첫 화면 편집).
  startFrontDesk();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
