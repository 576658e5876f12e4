import { Node } from '@tiptap/core';
import type { DOMOutputSpec, Node as ProseMirrorNode } from '@tiptap/pm/model';
import { Selection } from '@tiptap/pm/state';
import type { EditorView, NodeView } from '@tiptap/pm/view';

/** What a photo in an article body carries; mirrors the upload endpoint's answer. */
export interface PhotoAttrs {
  /** The photo library's id (`data-photo-id`): links the photo to the article on save. */
  photoId: number | null;
  src: string;
  srcset: string | null;
  sizes: string | null;
  width: number | null;
  height: number | null;
  alt: string;
  caption: string;
  credit: string;
  /** `figure.photo.wide` from the site's layout; kept so editing never drops it. */
  wide: boolean;
}

type TextField = 'caption' | 'credit' | 'alt';

const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The <img> of a matched element: the element itself (bare imports) or the one inside. */
function imageOf(element: HTMLElement): HTMLElement | null {
  return element.nodeName === 'IMG' ? element : element.querySelector('img[src]');
}

function imageAttr(element: HTMLElement, name: string): string | null {
  const value = imageOf(element)?.getAttribute(name);
  return value === undefined || value === null || value.trim() === '' ? null : value;
}

function imageSize(element: HTMLElement, name: 'width' | 'height'): number | null {
  const value = Number.parseInt(imageAttr(element, name) ?? '', 10);
  return Number.isFinite(value) && value > 0 ? value : null;
}

/** Splits `<figcaption>CAPTION <span class="credit">CREDIT</span></figcaption>`. */
function captionParts(element: HTMLElement): { caption: string; credit: string } {
  const figcaption = element.nodeName === 'FIGURE' ? element.querySelector('figcaption') : null;
  if (figcaption === null) return { caption: '', credit: '' };
  const copy = figcaption.cloneNode(true) as HTMLElement;
  const credit = copy.querySelector('span.credit');
  const creditText = collapse(credit?.textContent ?? '');
  credit?.remove();
  return { caption: collapse(copy.textContent ?? ''), credit: creditText };
}

const stringAttr = (parse: (element: HTMLElement) => string | null, fallback: string | null) => ({
  default: fallback,
  rendered: false,
  parseHTML: parse,
});

/**
 * A photo with its caption and credit, stored as
 * `<figure class="photo"><img …><figcaption>CAPTION <span class="credit">CREDIT</span></figcaption></figure>`.
 * It is an atom: caption, credit and alt text are plain text edited in the node view's
 * own inputs, which keeps the stored markup exactly in the shape the site renders.
 */
export interface PhotoOptions {
  /**
   * Whether the library's caption and credit of this photo are not this writer's to change
   * (someone else's photo, or one already out in a published article): its fields are
   * shown but not edited, since the library's text is what every article shows.
   */
  isLocked: (photoId: number | null) => boolean;
}

export const Photo = Node.create<PhotoOptions>({
  name: 'photo',

  addOptions() {
    return { isLocked: () => false };
  },
  group: 'block',
  atom: true,
  draggable: true,
  selectable: true,

  addAttributes() {
    return {
      photoId: {
        default: null,
        rendered: false,
        parseHTML: (el: HTMLElement) => {
          const figure = el.nodeName === 'FIGURE' ? el : el.closest('figure');
          const id = Number(figure?.dataset.photoId ?? '');
          return Number.isSafeInteger(id) && id > 0 ? id : null;
        },
      },
      src: stringAttr((el) => imageAttr(el, 'src'), ''),
      srcset: stringAttr((el) => imageAttr(el, 'srcset'), null),
      sizes: stringAttr((el) => imageAttr(el, 'sizes'), null),
      width: { default: null, rendered: false, parseHTML: (el) => imageSize(el, 'width') },
      height: { default: null, rendered: false, parseHTML: (el) => imageSize(el, 'height') },
      alt: stringAttr((el) => imageOf(el)?.getAttribute('alt') ?? '', ''),
      caption: stringAttr((el) => captionParts(el).caption, ''),
      credit: stringAttr((el) => captionParts(el).credit, ''),
      wide: {
        default: false,
        rendered: false,
        parseHTML: (el) => el.nodeName === 'FIGURE' && el.classList.contains('wide'),
      },
    };
  },

  parseHTML() {
    return [
      // Our own shape, and any other figure with a picture in it (imported articles).
      {
        tag: 'figure',
        getAttrs: (el) => (el.classList.contains('video') || !imageOf(el) ? false : null),
      },
      // A bare <img> from an import becomes a photo rather than being dropped on save.
      { tag: 'img[src]' },
    ];
  },

  renderHTML({ node }) {
    const a = node.attrs as PhotoAttrs;
    const img: Record<string, string> = { src: a.src };
    if (a.srcset) img.srcset = a.srcset;
    if (a.sizes) img.sizes = a.sizes;
    if (a.width) img.width = String(a.width);
    if (a.height) img.height = String(a.height);
    img.alt = a.alt;
    // Strings in a DOM spec array are text nodes (prosemirror-model renderSpec).
    const caption: (DOMOutputSpec | string)[] = [];
    if (a.caption) caption.push(a.caption);
    if (a.credit) {
      if (a.caption) caption.push(' ');
      caption.push(['span', { class: 'credit' }, a.credit]);
    }
    const figure: DOMOutputSpec[] = [['img', img]];
    if (caption.length > 0) figure.push(['figcaption', ...caption]);
    const attrs: Record<string, string> = { class: a.wide ? 'photo wide' : 'photo' };
    if (a.photoId !== null) attrs['data-photo-id'] = String(a.photoId);
    return ['figure', attrs, ...figure];
  },

  addNodeView() {
    // options.editable, not view.editable: TipTap builds the view (and these node views)
    // before it applies its editable prop.
    const { isLocked } = this.options;
    return ({ node, view, getPos, editor }) =>
      new PhotoView(node, view, getPos, editor.options.editable, isLocked);
  },
});

const FIELDS: { name: TextField; label: string; placeholder: string }[] = [
  { name: 'caption', label: '사진 설명', placeholder: '사진 설명을 입력하세요' },
  { name: 'credit', label: '출처', placeholder: '예: 탐나일보 홍길동 기자' },
  { name: 'alt', label: '대체 텍스트', placeholder: '화면 낭독기가 읽을 사진 내용' },
];

/**
 * The editing face of a photo: the picture plus three inputs. The inputs live inside the
 * ProseMirror DOM, so events from them are kept away from ProseMirror (stopEvent), and
 * their values are written into the node attributes on every input so the form's
 * textarea is always current.
 */
class PhotoView implements NodeView {
  readonly dom: HTMLElement;
  private readonly img: HTMLImageElement;
  private readonly controls: HTMLElement;
  private readonly inputs = new Map<TextField, HTMLInputElement>();

  constructor(
    private node: ProseMirrorNode,
    private readonly view: EditorView,
    private readonly getPos: () => number | undefined,
    editable: boolean,
    isLocked: (photoId: number | null) => boolean = () => false,
  ) {
    const locked = isLocked((node.attrs as PhotoAttrs).photoId);
    this.dom = document.createElement('figure');
    this.dom.className = 'photo editor-photo';
    this.img = document.createElement('img');
    this.controls = document.createElement('div');
    this.controls.className = 'editor-photo-fields';
    for (const field of FIELDS) {
      const label = document.createElement('label');
      const span = document.createElement('span');
      span.textContent = field.label;
      const input = document.createElement('input');
      input.type = 'text';
      input.placeholder = field.placeholder;
      input.dataset.field = field.name;
      input.disabled = !editable || (locked && field.name !== 'alt');
      input.addEventListener('input', () => this.setAttr(field.name, input.value));
      input.addEventListener('keydown', (event) => this.onFieldKey(event));
      label.append(span, input);
      this.controls.append(label);
      this.inputs.set(field.name, input);
    }
    if (locked && editable) {
      const note = document.createElement('p');
      note.className = 'editor-photo-note';
      note.textContent = '이 사진의 설명·출처는 데스크가 사진함에서 고칩니다.';
      this.controls.append(note);
    }
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'editor-photo-remove';
    remove.textContent = '사진 빼기';
    remove.setAttribute('aria-label', '본문에서 사진 빼기');
    remove.addEventListener('click', () => this.remove());
    remove.hidden = !editable;
    this.controls.append(remove);
    this.dom.append(this.img, this.controls);
    this.render();
  }

  update(node: ProseMirrorNode): boolean {
    if (node.type !== this.node.type) return false;
    this.node = node;
    this.render();
    return true;
  }

  stopEvent(event: Event): boolean {
    return event.target instanceof globalThis.Node && this.controls.contains(event.target);
  }

  // The view owns its DOM (inputs change under the writer's fingers); nothing here is
  // document content for ProseMirror to re-read.
  ignoreMutation(): boolean {
    return true;
  }

  selectNode(): void {
    this.dom.classList.add('is-selected');
  }

  deselectNode(): void {
    this.dom.classList.remove('is-selected');
  }

  private render(): void {
    const a = this.node.attrs as PhotoAttrs;
    if (this.img.getAttribute('src') !== a.src) this.img.src = a.src;
    if (a.srcset) this.img.srcset = a.srcset;
    else this.img.removeAttribute('srcset');
    this.img.alt = a.alt;
    if (a.width) this.img.width = a.width;
    if (a.height) this.img.height = a.height;
    this.dom.classList.toggle('wide', a.wide);
    for (const [name, input] of this.inputs) {
      // Never rewrite the focused input: that would break a Hangul syllable mid-composition.
      if (input.value !== a[name] && document.activeElement !== input) input.value = a[name];
    }
  }

  private setAttr(name: TextField, value: string): void {
    const pos = this.getPos();
    if (pos === undefined || this.node.attrs[name] === value) return;
    this.view.dispatch(this.view.state.tr.setNodeAttribute(pos, name, value));
  }

  private onFieldKey(event: KeyboardEvent): void {
    // Enter would submit the surrounding article form; treat it as "done with the caption".
    if (event.key !== 'Enter' || event.isComposing) return;
    event.preventDefault();
    const pos = this.getPos();
    if (pos === undefined) return;
    const { state } = this.view;
    const after = Selection.near(state.doc.resolve(pos + this.node.nodeSize));
    this.view.dispatch(state.tr.setSelection(after).scrollIntoView());
    this.view.focus();
  }

  private remove(): void {
    const pos = this.getPos();
    if (pos === undefined) return;
    this.view.dispatch(this.view.state.tr.delete(pos, pos + this.node.nodeSize));
    this.view.focus();
  }
}
