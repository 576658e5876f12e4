import { Node } from '@tiptap/core';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import type { EditorView, NodeView } from '@tiptap/pm/view';
import { videoIdFromEmbedSrc, youTubeEmbedUrl } from './urls.ts';

/**
 * A YouTube video, stored as
 * `<figure class="video"><iframe src="https://www.youtube-nocookie.com/embed/ID" …></iframe></figure>`.
 * Only the 11-character id is kept in the document, so the stored iframe is always one
 * this code built, whatever was pasted.
 */
export const Video = Node.create({
  name: 'video',
  group: 'block',
  atom: true,
  draggable: true,
  selectable: true,

  addAttributes() {
    return {
      videoId: {
        default: null,
        rendered: false,
        parseHTML: (el) =>
          videoIdFromEmbedSrc(el.querySelector('iframe')?.getAttribute('src') ?? ''),
      },
    };
  },

  parseHTML() {
    return [
      {
        tag: 'figure.video',
        // Above the photo rule, which also looks at figures.
        priority: 60,
        getAttrs: (el) =>
          videoIdFromEmbedSrc(el.querySelector('iframe')?.getAttribute('src') ?? '') === null
            ? false
            : null,
      },
    ];
  },

  renderHTML({ node }) {
    const videoId = String(node.attrs.videoId);
    return [
      'figure',
      { class: 'video' },
      [
        'iframe',
        {
          src: youTubeEmbedUrl(videoId),
          title: 'YouTube 동영상',
          allowfullscreen: '',
          loading: 'lazy',
        },
      ],
    ];
  },

  addNodeView() {
    // options.editable, not view.editable: TipTap builds the view (and these node views)
    // before it applies its editable prop.
    return ({ node, view, getPos, editor }) =>
      new VideoView(node, view, getPos, editor.options.editable);
  },
});

/**
 * In the editor a video is a labelled box, not a live iframe: an iframe inside
 * contenteditable steals clicks and focus, and the admin page then needs no frame-src.
 */
class VideoView implements NodeView {
  readonly dom: HTMLElement;
  private readonly label: HTMLElement;
  private readonly controls: HTMLElement;

  constructor(
    private node: ProseMirrorNode,
    private readonly view: EditorView,
    private readonly getPos: () => number | undefined,
    editable: boolean,
  ) {
    this.dom = document.createElement('figure');
    this.dom.className = 'video editor-video';
    this.label = document.createElement('div');
    this.label.className = 'editor-video-frame';
    this.controls = document.createElement('div');
    this.controls.className = 'editor-video-fields';
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = '동영상 빼기';
    remove.setAttribute('aria-label', '본문에서 동영상 빼기');
    remove.addEventListener('click', () => {
      const pos = this.getPos();
      if (pos === undefined) return;
      this.view.dispatch(this.view.state.tr.delete(pos, pos + this.node.nodeSize));
      this.view.focus();
    });
    remove.hidden = !editable;
    this.controls.append(remove);
    this.dom.append(this.label, this.controls);
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
    this.label.textContent = `▶ YouTube 동영상 (${String(this.node.attrs.videoId)})`;
  }
}
