import { Editor, Extension, type JSONContent } from '@tiptap/core';
import { Link } from '@tiptap/extension-link';
import { Fragment, Slice } from '@tiptap/pm/model';
import { dropPoint } from '@tiptap/pm/transform';
import StarterKit from '@tiptap/starter-kit';
import { InlineDialog } from './dialog.ts';
import { Photo, type PhotoAttrs } from './photo-node.ts';
import { PhotoPicker } from './picker.ts';
import { UploadError, uploadPhoto, type UploadedPhoto } from './upload.ts';
import { checkLinkInput, isStoredLinkAllowed, parseYouTubeUrl } from './urls.ts';
import { Video } from './video-node.ts';

/** Fired on the form (bubbling) after every change, with the body HTML the form will post. */
export const CHANGE_EVENT = 'tamna:editor-change';

export interface EditorChangeDetail {
  html: string;
}

interface ToolButton {
  label: string;
  /** Tooltip: the label plus its keyboard shortcut where there is one. */
  title?: string;
  run: () => void;
  /** Present for toggles: drives aria-pressed. */
  pressed?: () => boolean;
  enabled?: () => boolean;
}

let instances = 0;

/**
 * Replaces the textarea inside `container` (`[data-editor]`) with a TipTap editor. The
 * textarea stays in the form, hidden, and always holds the body HTML, so the form posts
 * exactly what it would without JavaScript.
 */
export function mountEditor(container: HTMLElement): Editor | null {
  const textarea = container.querySelector('textarea');
  if (textarea === null || container.dataset.editorReady !== undefined) return null;
  const prefix = `tamna-editor-${++instances}`;
  const uploadUrl = container.dataset.uploadUrl ?? '';
  const searchUrl = container.dataset.mediaSearchUrl ?? '';
  const picker = searchUrl === '' ? null : new PhotoPicker(searchUrl);
  // Photos whose library caption this writer may not change (the server says which).
  const lockedPhotos = new Set(
    (container.dataset.lockedPhotoIds ?? '')
      .split(',')
      .map(Number)
      .filter((id) => Number.isSafeInteger(id) && id > 0),
  );
  const csrfToken =
    document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';
  const form = textarea.form;
  // A hidden required field blocks submission with no visible reason; check emptiness
  // ourselves on submit instead.
  const required = textarea.required;
  // A disabled or read-only body (article locked, or past the writer's stage) is shown,
  // not edited.
  const readOnly = textarea.disabled || textarea.readOnly;
  textarea.required = false;
  textarea.hidden = true;

  const toolbar = el('div', 'editor-toolbar');
  toolbar.setAttribute('role', 'toolbar');
  toolbar.setAttribute('aria-label', '본문 서식');
  toolbar.setAttribute('aria-controls', `${prefix}-content`);
  const dialog = new InlineDialog(prefix);
  const status = el('div', 'editor-status');
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  const statusText = el('span', 'editor-status-text');
  const progress = document.createElement('progress');
  progress.max = 100;
  progress.value = 0;
  progress.setAttribute('aria-label', '사진 올리기 진행률');
  status.append(statusText, progress);
  status.hidden = true;
  // One row per file of a batch: its own bar while it goes, its own reason if it fails.
  const uploadList = document.createElement('ul');
  uploadList.className = 'editor-uploads';
  uploadList.setAttribute('aria-label', '올리는 사진');
  uploadList.hidden = true;
  const alertBox = el('div', 'editor-error');
  alertBox.setAttribute('role', 'alert');
  const alertText = el('span', 'editor-error-text');
  const alertClose = button('닫기', () => hideError());
  alertClose.setAttribute('aria-label', '알림 닫기');
  alertBox.append(alertText, alertClose);
  alertBox.hidden = true;
  const surface = el('div', 'editor-surface');
  const fileInput = document.createElement('input');
  fileInput.type = 'file';
  fileInput.accept = 'image/*';
  fileInput.multiple = true;
  fileInput.hidden = true;
  fileInput.className = 'editor-file';
  fileInput.setAttribute('aria-label', '본문에 넣을 사진 파일');
  toolbar.hidden = readOnly;
  const pickerElement = picker?.element ?? document.createElement('div');
  pickerElement.hidden = true;
  const parts = [
    toolbar,
    dialog.element,
    pickerElement,
    alertBox,
    status,
    uploadList,
    surface,
    fileInput,
  ];
  container.append(...parts);

  const label = textarea.id
    ? document.querySelector(`label[for="${CSS.escape(textarea.id)}"]`)
    : null;
  if (label !== null && label.id === '') label.id = `${prefix}-label`;

  let pendingUploads = 0;
  const UPLOADING = '사진을 올리는 중입니다. 다 올라간 뒤에 저장하세요.';

  const initialHtml = textarea.value;
  let editor: Editor;
  try {
    editor = createEditor();
  } catch (error) {
    // A plain textarea that works beats a broken editor: undo everything and rethrow.
    for (const part of parts) part.remove();
    textarea.hidden = false;
    textarea.required = required;
    throw error;
  }

  function createEditor(): Editor {
    return new Editor({
      element: surface,
      content: initialHtml,
      editable: !readOnly,
      // TipTap would inject a <style> element, which a strict CSP (no inline styles)
      // blocks; its few rules are in editor.css instead.
      injectCSS: false,
      extensions: [
        StarterKit.configure({
          heading: { levels: [2, 3] },
          // Only what the body sanitizer keeps and the site styles: no code, strike,
          // underline or rules.
          code: false,
          codeBlock: false,
          strike: false,
          underline: false,
          horizontalRule: false,
          link: false,
        }),
        BodyLink.configure({
          openOnClick: false,
          // Autolinking makes links inclusive, so text typed after a link would join it.
          autolink: false,
          linkOnPaste: true,
          defaultProtocol: 'https',
          // The server adds rel="noopener noreferrer" to outside links when it cleans.
          HTMLAttributes: { target: null, rel: null },
          isAllowedUri: (url) => isStoredLinkAllowed(url),
        }),
        Photo.configure({ isLocked: (id) => id !== null && lockedPhotos.has(id) }),
        Video,
        Extension.create({
          name: 'tamnaShortcuts',
          addKeyboardShortcuts: () => ({
            'Mod-k': () => {
              openLinkDialog();
              return true;
            },
          }),
        }),
      ],
      editorProps: {
        attributes: {
          id: `${prefix}-content`,
          class: 'editor-content',
          role: 'textbox',
          'aria-multiline': 'true',
          ...(readOnly ? { 'aria-readonly': 'true' } : {}),
          ...(label !== null ? { 'aria-labelledby': label.id } : { 'aria-label': '기사 본문' }),
        },
        handleDrop: (view, event, _slice, moved) => {
          const files = imageFiles(event.dataTransfer?.files);
          if (moved || files === null || !view.editable) return false;
          event.preventDefault();
          const at = view.posAtCoords({ left: event.clientX, top: event.clientY });
          void uploadFiles(files, at?.pos);
          return true;
        },
        handlePaste: (view, event) => {
          const data = event.clipboardData;
          if (!view.editable) return false;
          // Word and browsers put a picture of copied text next to the text itself; a
          // paste with text is a text paste.
          if (
            data === null ||
            data.types.includes('text/html') ||
            data.types.includes('text/plain')
          ) {
            return false;
          }
          const files = imageFiles(data.files);
          if (files === null) return false;
          void uploadFiles(files);
          return true;
        },
      },
    });
  }

  const changeTarget: HTMLElement = form ?? container;
  const sync = (): void => {
    const html = bodyHtml(editor);
    textarea.value = html;
    changeTarget.dispatchEvent(
      new CustomEvent<EditorChangeDetail>(CHANGE_EVENT, { bubbles: true, detail: { html } }),
    );
  };
  // The textarea keeps the stored HTML until the document first changes, so opening and
  // saving an article without touching it posts exactly what was stored.
  if (!readOnly) editor.on('update', sync);

  label?.addEventListener('click', () => editor.commands.focus());

  // A click ends an IME composition in desktop browsers before the page sees the
  // mousedown. Where it does not (headless Chromium, some virtual keyboards) the browser
  // keeps composing into the old spot and the next syllable overwrites the last one;
  // blurring ends the composition there and keeps its text.
  const finishComposition = (): void => {
    if (editor.view.composing) editor.view.dom.blur();
  };
  editor.view.dom.addEventListener('mousedown', finishComposition, true);
  toolbar.addEventListener('mousedown', finishComposition, true);

  form?.addEventListener('submit', (event) => {
    if (pendingUploads > 0) {
      event.preventDefault();
      showError(UPLOADING);
    } else if (required && editor.isEmpty) {
      event.preventDefault();
      showError('본문을 입력하세요.');
      editor.commands.focus();
    }
  });

  // --- link and video dialogs -------------------------------------------------------

  const openLinkDialog = (): void => {
    const current = editor.getAttributes('link').href as unknown;
    dialog.open({
      label: '링크 주소',
      value: typeof current === 'string' ? current : '',
      placeholder: 'https://',
      applyLabel: '링크 걸기',
      inputMode: 'url',
      apply: (value) => {
        const checked = checkLinkInput(value);
        if (!checked.ok) return checked.message;
        const chain = editor.chain().focus();
        if (editor.isActive('link')) chain.extendMarkRange('link').setLink({ href: checked.href });
        else if (editor.state.selection.empty) {
          // Nothing selected: insert the address itself as the link text.
          chain.insertContent({
            type: 'text',
            text: value.trim(),
            marks: [{ type: 'link', attrs: { href: checked.href } }],
          });
        } else chain.setLink({ href: checked.href });
        chain.run();
        return null;
      },
      cancel: () => editor.commands.focus(),
    });
  };

  const openVideoDialog = (): void => {
    dialog.open({
      label: '유튜브 동영상 주소',
      value: '',
      placeholder: 'https://www.youtube.com/watch?v=…',
      applyLabel: '동영상 넣기',
      inputMode: 'url',
      apply: (value) => {
        const checked = parseYouTubeUrl(value);
        if (!checked.ok) return checked.message;
        insertBlock({ type: 'video', attrs: { videoId: checked.videoId } });
        return null;
      },
      cancel: () => editor.commands.focus(),
    });
  };

  // --- photos ----------------------------------------------------------------------

  function imageFiles(list: FileList | undefined | null): File[] | null {
    if (!list || list.length === 0) return null;
    return Array.from(list);
  }

  function showError(message: string): void {
    alertText.textContent = message;
    alertBox.hidden = false;
  }

  function hideError(): void {
    alertBox.hidden = true;
    alertText.textContent = '';
    // The failed files' rows go with the message that pointed at them.
    for (const row of uploadList.querySelectorAll('.is-failed')) row.remove();
    uploadList.hidden = uploadList.childElementCount === 0;
  }

  function showProgress(name: string, fraction: number, index = 0, total = 1): void {
    const percent = Math.round(fraction * 100);
    // The bar shows the whole batch; the text names the file on its way.
    progress.value = Math.round(((index + fraction) / total) * 100);
    const count = total > 1 ? ` (${index + 1}/${total})` : '';
    statusText.textContent =
      percent < 100
        ? `사진 올리는 중… ${name} ${percent}%${count}`
        : `사진 처리 중… ${name}${count}`;
    status.hidden = false;
  }

  interface UploadRow {
    row: HTMLElement;
    bar: HTMLProgressElement;
    state: HTMLElement;
  }

  function uploadRow(file: File): UploadRow {
    const row = document.createElement('li');
    row.className = 'editor-upload';
    const name = el('span', 'editor-upload-name');
    name.textContent = file.name;
    const bar = document.createElement('progress');
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute('aria-label', `${file.name} 올리기 진행률`);
    const state = el('span', 'editor-upload-state');
    state.textContent = '기다리는 중';
    row.append(name, bar, state);
    uploadList.append(row);
    uploadList.hidden = false;
    return { row, bar, state };
  }

  function failRow(row: UploadRow, message: string): void {
    row.row.classList.add('is-failed');
    row.bar.hidden = true;
    row.state.textContent = message;
  }

  /**
   * Uploads one file after another and inserts each photo where it was dropped (or at the
   * cursor). A dropped position is carried through every edit made while uploading, so
   * the photo lands where the writer let go even if they kept typing.
   */
  async function uploadFiles(files: File[], dropAt?: number): Promise<void> {
    if (uploadUrl === '') {
      showError('이 화면에서는 사진을 올릴 수 없습니다.');
      return;
    }
    const images = files.filter((file) => file.type.startsWith('image/'));
    if (images.length === 0) {
      showError('사진 파일만 올릴 수 있습니다.');
      return;
    }
    hideError();
    const failures: string[] = [];
    // Files that are not pictures are named, not silently dropped from the batch.
    for (const file of files) {
      if (file.type.startsWith('image/')) continue;
      failRow(uploadRow(file), '사진 파일이 아닙니다.');
      failures.push(`${file.name}: 사진 파일이 아닙니다.`);
    }
    const rows = images.map((file) => uploadRow(file));
    const tracked = { pos: dropAt };
    const track = ({ transaction }: { transaction: { mapping: { map(pos: number): number } } }) => {
      if (tracked.pos !== undefined) tracked.pos = transaction.mapping.map(tracked.pos);
    };
    editor.on('transaction', track);
    pendingUploads += images.length;
    container.setAttribute('aria-busy', 'true');
    try {
      for (const [index, file] of images.entries()) {
        const row = rows[index]!;
        showProgress(file.name, 0, index, images.length);
        row.state.textContent = '올리는 중';
        try {
          const photo = await uploadPhoto({
            url: uploadUrl,
            file,
            csrfToken,
            onProgress: (fraction) => {
              row.bar.value = Math.round(fraction * 100);
              row.state.textContent = fraction < 1 ? `${Math.round(fraction * 100)}%` : '처리 중';
              showProgress(file.name, fraction, index, images.length);
            },
          });
          const after = insertPhoto(photo, tracked.pos);
          // The next dropped photo goes after this one, not before it.
          if (tracked.pos !== undefined) tracked.pos = after;
          row.row.remove();
        } catch (error) {
          const message =
            error instanceof UploadError ? error.message : '사진을 올리지 못했습니다.';
          failRow(row, message);
          failures.push(`${file.name}: ${message}`);
        } finally {
          pendingUploads -= 1;
        }
      }
    } finally {
      editor.off('transaction', track);
      uploadList.hidden = uploadList.childElementCount === 0;
      if (pendingUploads === 0) {
        status.hidden = true;
        container.removeAttribute('aria-busy');
        // The reason a save was refused is gone now.
        if (alertText.textContent === UPLOADING) hideError();
      }
    }
    if (failures.length === 1 && files.length === 1) {
      showError(failures[0]!.slice(failures[0]!.indexOf(': ') + 2));
    } else if (failures.length > 0) {
      showError(
        `사진 ${files.length}장 가운데 ${failures.length}장을 올리지 못했습니다. 아래 목록에서 사유를 확인하세요.`,
      );
    }
  }

  function openPicker(): void {
    if (picker === null) return;
    if (picker.isOpen) {
      picker.close();
      return;
    }
    picker.open((photo) => {
      if (!photo.editable) lockedPhotos.add(Number(photo.id));
      insertPhoto(photo, undefined);
    });
  }

  /**
   * Inserts a photo or video at the end of the selection. Never over it: a selected photo
   * or a selected word must not vanish because a video went in.
   */
  function insertBlock(content: JSONContent): void {
    editor.chain().focus().insertContentAt(editor.state.selection.to, content).run();
  }

  /** Inserts a photo and returns the position just after it. */
  function insertPhoto(photo: UploadedPhoto, at: number | undefined): number {
    const id = Number(photo.id);
    const attrs: PhotoAttrs = {
      photoId: Number.isSafeInteger(id) && id > 0 ? id : null,
      src: photo.src,
      srcset: photo.srcset,
      sizes: photo.sizes,
      width: photo.width,
      height: photo.height,
      alt: photo.alt,
      caption: photo.caption,
      credit: photo.credit,
      wide: false,
    };
    const content: JSONContent = { type: 'photo', attrs: { ...attrs } };
    if (at === undefined) {
      insertBlock(content);
    } else {
      // Where ProseMirror itself would drop a block: the nearest gap between blocks.
      const node = editor.schema.nodeFromJSON(content);
      const pos = dropPoint(editor.state.doc, at, new Slice(Fragment.from(node), 0, 0)) ?? at;
      editor.chain().insertContentAt(pos, content).run();
    }
    // insertContent leaves the selection right after what it inserted.
    return editor.state.selection.from;
  }

  fileInput.addEventListener('change', () => {
    const files = imageFiles(fileInput.files);
    // Reset so choosing the same file again still fires `change`.
    fileInput.value = '';
    if (files !== null) void uploadFiles(files);
  });

  // --- toolbar -----------------------------------------------------------------------

  const groups: ToolButton[][] = [
    [
      {
        label: '본문',
        run: () => editor.chain().focus().setParagraph().run(),
        pressed: () => editor.isActive('paragraph'),
      },
      {
        label: '소제목',
        run: () => editor.chain().focus().toggleHeading({ level: 2 }).run(),
        pressed: () => editor.isActive('heading', { level: 2 }),
      },
      {
        label: '작은 소제목',
        run: () => editor.chain().focus().toggleHeading({ level: 3 }).run(),
        pressed: () => editor.isActive('heading', { level: 3 }),
      },
    ],
    [
      {
        label: '굵게',
        title: '굵게 (Ctrl+B)',
        run: () => editor.chain().focus().toggleBold().run(),
        pressed: () => editor.isActive('bold'),
      },
      {
        label: '기울임',
        title: '기울임 (Ctrl+I)',
        run: () => editor.chain().focus().toggleItalic().run(),
        pressed: () => editor.isActive('italic'),
      },
    ],
    [
      {
        label: '인용',
        run: () => editor.chain().focus().toggleBlockquote().run(),
        pressed: () => editor.isActive('blockquote'),
      },
      {
        label: '글머리 목록',
        run: () => editor.chain().focus().toggleBulletList().run(),
        pressed: () => editor.isActive('bulletList'),
      },
      {
        label: '번호 목록',
        run: () => editor.chain().focus().toggleOrderedList().run(),
        pressed: () => editor.isActive('orderedList'),
      },
    ],
    [
      {
        label: '링크',
        title: '링크 (Ctrl+K)',
        run: openLinkDialog,
        pressed: () => editor.isActive('link'),
      },
      {
        label: '링크 해제',
        run: () => editor.chain().focus().extendMarkRange('link').unsetLink().run(),
        enabled: () => editor.isActive('link'),
      },
    ],
    [
      {
        label: '사진',
        title: '사진 올리기 (끌어다 놓아도 됩니다)',
        run: () => fileInput.click(),
        enabled: () => uploadUrl !== '',
      },
      {
        label: '사진함',
        title: '사진함에서 골라 넣기 (설명·출처·날짜·올린 사람으로 찾기)',
        run: openPicker,
        enabled: () => picker !== null,
      },
      { label: '동영상', title: '유튜브 동영상 넣기', run: openVideoDialog },
    ],
    [
      {
        label: '되돌리기',
        title: '되돌리기 (Ctrl+Z)',
        run: () => editor.chain().focus().undo().run(),
        enabled: () => editor.can().undo(),
      },
      {
        label: '다시하기',
        title: '다시하기 (Ctrl+Shift+Z)',
        run: () => editor.chain().focus().redo().run(),
        enabled: () => editor.can().redo(),
      },
    ],
  ];

  const refreshers: (() => void)[] = [];
  for (const group of groups) {
    const groupEl = el('div', 'editor-toolbar-group');
    groupEl.setAttribute('role', 'group');
    for (const tool of group) {
      const b = button(tool.label, tool.run);
      b.setAttribute('aria-label', tool.label);
      if (tool.title !== undefined) b.title = tool.title;
      // Keep focus (and an IME composition) in the text while clicking a tool.
      b.addEventListener('mousedown', (event) => event.preventDefault());
      groupEl.append(b);
      refreshers.push(() => {
        if (tool.pressed) b.setAttribute('aria-pressed', String(tool.pressed()));
        if (tool.enabled) b.disabled = !tool.enabled();
      });
    }
    toolbar.append(groupEl);
  }
  const refresh = (): void => refreshers.forEach((r) => r());
  editor.on('transaction', refresh);
  refresh();

  container.dataset.editorReady = '';
  return editor;
}

/**
 * A link whose href comes first, as the sanitizer writes it, so an unchanged stored body
 * serializes to the same string (apart from `<img />` slashes) and diffs stay quiet.
 */
const BodyLink = Link.extend({
  renderHTML({ HTMLAttributes }) {
    const { href, ...rest } = HTMLAttributes as Record<string, unknown>;
    const safe = typeof href === 'string' && isStoredLinkAllowed(href) ? href : '';
    return ['a', { href: safe, ...rest }, 0];
  },
});

/**
 * The HTML the form posts. TipTap keeps an empty paragraph after a last heading, list or
 * photo so there is somewhere to type; it is not part of the article.
 */
function bodyHtml(editor: Editor): string {
  return editor.isEmpty ? '' : editor.getHTML().replace(/(?:<p><\/p>)+$/, '');
}

function el(tag: 'div' | 'span', className: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}

function button(label: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  // type=button: the editor sits inside the article form and must never submit it.
  b.type = 'button';
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}
