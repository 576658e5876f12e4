import { toUploadedPhoto, type UploadedPhoto } from './upload.ts';

/** A library photo as the picker lists it (`/admin/photos.json`). */
export interface PickedPhoto extends UploadedPhoto {
  /** Whether this writer may change its library caption and credit. */
  editable: boolean;
  uploaderName: string | null;
  uploadedAt: string;
}

interface PickerPage {
  items: PickedPhoto[];
  next: string | null;
  uploaders: { id: number; name: string }[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toPage(body: unknown): PickerPage | null {
  if (!isRecord(body) || !Array.isArray(body.items)) return null;
  const items = body.items.flatMap((item: unknown): PickedPhoto[] => {
    const photo = toUploadedPhoto(item);
    if (photo === null || !isRecord(item)) return [];
    return [
      {
        ...photo,
        editable: item.editable !== false,
        uploaderName: typeof item.uploaderName === 'string' ? item.uploaderName : null,
        uploadedAt: typeof item.uploadedAt === 'string' ? item.uploadedAt : '',
      },
    ];
  });
  const uploaders = Array.isArray(body.uploaders)
    ? body.uploaders.flatMap((u: unknown) =>
        isRecord(u) && typeof u.id === 'number' && typeof u.name === 'string'
          ? [{ id: u.id, name: u.name }]
          : [],
      )
    : [];
  // Only our own endpoint's next page: the URL is fetched with the staff member's cookies.
  const next =
    typeof body.next === 'string' && body.next.startsWith('/admin/photos.json?') ? body.next : null;
  return { items, next, uploaders };
}

let pickers = 0;

/**
 * 사진함에서 고르기: a panel that searches the photo library by words (caption, credit),
 * upload days and uploader, shows thumbnails a page at a time (keyset pages from the
 * server) and hands the clicked photo to `onPick`. It lives inside the article form, so
 * Enter searches here and never submits the form.
 */
export class PhotoPicker {
  readonly element: HTMLElement;
  private readonly query: HTMLInputElement;
  private readonly from: HTMLInputElement;
  private readonly to: HTMLInputElement;
  private readonly uploader: HTMLSelectElement;
  private readonly uploaderLabel: HTMLLabelElement;
  private readonly grid: HTMLElement;
  private readonly message: HTMLElement;
  private readonly more: HTMLButtonElement;
  private next: string | null = null;
  private onPick: ((photo: PickedPhoto) => void) | null = null;
  private uploadersLoaded = false;
  private generation = 0;

  constructor(private readonly searchUrl: string) {
    const prefix = `tamna-picker-${++pickers}`;
    this.element = document.createElement('div');
    this.element.className = 'photo-picker';
    this.element.setAttribute('role', 'dialog');
    this.element.setAttribute('aria-labelledby', `${prefix}-title`);
    this.element.hidden = true;
    const head = document.createElement('div');
    head.className = 'photo-picker-head';
    const title = document.createElement('strong');
    title.id = `${prefix}-title`;
    title.textContent = '사진함에서 고르기';
    const close = this.button('닫기', () => this.close());
    close.setAttribute('aria-label', '사진함 닫기');
    head.append(title, close);

    const filters = document.createElement('div');
    filters.className = 'photo-picker-filters';
    filters.setAttribute('role', 'search');
    this.query = this.input('search', '검색어', '사진 설명·출처', filters);
    this.from = this.input('date', '올린 날 (부터)', '', filters);
    this.to = this.input('date', '올린 날 (까지)', '', filters);
    this.uploaderLabel = document.createElement('label');
    const uploaderText = document.createElement('span');
    uploaderText.textContent = '올린 사람';
    this.uploader = document.createElement('select');
    this.uploader.append(new Option('모두', ''));
    this.uploaderLabel.append(uploaderText, this.uploader);
    this.uploaderLabel.hidden = true;
    filters.append(
      this.uploaderLabel,
      this.button('찾기', () => void this.search()),
    );
    this.uploader.addEventListener('change', () => void this.search());

    this.message = document.createElement('p');
    this.message.className = 'photo-picker-message';
    this.message.setAttribute('role', 'status');
    this.grid = document.createElement('ul');
    this.grid.className = 'photo-picker-grid';
    this.more = this.button('더 보기', () => void this.load(this.next, false));
    this.more.hidden = true;
    this.element.append(head, filters, this.message, this.grid, this.more);
    this.element.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        this.close();
      }
    });
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  open(onPick: (photo: PickedPhoto) => void): void {
    this.onPick = onPick;
    this.element.hidden = false;
    this.query.focus();
    void this.search();
  }

  close(): void {
    this.element.hidden = true;
    this.onPick = null;
  }

  private input(type: string, label: string, placeholder: string, parent: HTMLElement) {
    const wrap = document.createElement('label');
    const text = document.createElement('span');
    text.textContent = label;
    const input = document.createElement('input');
    input.type = type;
    input.placeholder = placeholder;
    if (type === 'search') input.maxLength = 100;
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.isComposing) {
        event.preventDefault();
        void this.search();
      }
    });
    if (type === 'date') input.addEventListener('change', () => void this.search());
    wrap.append(text, input);
    parent.append(wrap);
    return input;
  }

  private button(label: string, onClick: () => void): HTMLButtonElement {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.addEventListener('click', onClick);
    return b;
  }

  private search(): Promise<void> {
    const params = new URLSearchParams();
    const q = this.query.value.trim();
    if (q !== '') params.set('q', q);
    if (this.from.value !== '') params.set('from', this.from.value);
    if (this.to.value !== '') params.set('to', this.to.value);
    if (this.uploader.value !== '') params.set('uploader', this.uploader.value);
    const query = params.toString();
    return this.load(query === '' ? this.searchUrl : `${this.searchUrl}?${query}`, true);
  }

  private async load(url: string | null, fresh: boolean): Promise<void> {
    if (url === null) return;
    const generation = ++this.generation;
    if (fresh) this.grid.replaceChildren();
    this.message.textContent = '사진함을 찾는 중…';
    this.more.hidden = true;
    let page: PickerPage | null;
    try {
      const response = await fetch(url, {
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
      });
      page = response.ok ? toPage(await response.json()) : null;
      if (!response.ok && generation === this.generation) {
        this.message.textContent =
          response.status === 401 || response.status === 403
            ? '로그인이 끝났거나 사진함을 볼 권한이 없습니다.'
            : `사진함을 불러오지 못했습니다 (HTTP ${response.status}).`;
        return;
      }
    } catch {
      page = null;
    }
    // A later search started meanwhile: its answer wins.
    if (generation !== this.generation) return;
    if (page === null) {
      this.message.textContent = '사진함을 불러오지 못했습니다. 연결을 확인하세요.';
      return;
    }
    if (!this.uploadersLoaded && page.uploaders.length > 0) {
      for (const u of page.uploaders) this.uploader.append(new Option(u.name, String(u.id)));
      this.uploaderLabel.hidden = false;
      this.uploadersLoaded = true;
    }
    for (const photo of page.items) this.grid.append(this.tile(photo));
    this.next = page.next;
    this.more.hidden = page.next === null;
    this.message.textContent = this.grid.childElementCount === 0 ? '찾는 사진이 없습니다.' : '';
  }

  private tile(photo: PickedPhoto): HTMLElement {
    const item = document.createElement('li');
    const choose = document.createElement('button');
    choose.type = 'button';
    choose.className = 'photo-picker-tile';
    choose.dataset.photoId = String(photo.id);
    const img = document.createElement('img');
    img.src = photo.src;
    if (photo.srcset) {
      img.srcset = photo.srcset;
      img.sizes = '160px';
    }
    img.alt = '';
    img.loading = 'lazy';
    const caption = document.createElement('span');
    caption.className = 'photo-picker-caption';
    caption.textContent = photo.caption || '설명 없음';
    const meta = document.createElement('span');
    meta.className = 'photo-picker-meta';
    meta.textContent = [photo.credit, photo.uploaderName, photo.uploadedAt.slice(0, 10)]
      .filter((part) => part !== null && part !== '')
      .join(' · ');
    choose.setAttribute('aria-label', `고르기: ${photo.caption || `사진 ${photo.id}`}`);
    choose.append(img, caption, meta);
    choose.addEventListener('click', () => {
      const onPick = this.onPick;
      this.close();
      onPick?.(photo);
    });
    item.append(choose);
    return item;
  }
}
