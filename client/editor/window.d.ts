import type { Editor } from '@tiptap/core';

declare global {
  interface Window {
    /** The page's (last mounted) editor, set by admin.ts for browser tests and debugging. */
    tamnaEditor?: Editor;
  }
}
