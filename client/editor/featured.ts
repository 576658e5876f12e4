import { CHANGE_EVENT, type EditorChangeDetail } from './mount.ts';
import { PhotoPicker, type PickedPhoto } from './picker.ts';

interface ChoicePhoto {
  id: string;
  src: string;
  caption: string;
}

/** The library photos in the body HTML the editor is about to post, in reading order. */
function bodyPhotos(html: string): ChoicePhoto[] {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const seen = new Set<string>();
  const photos: ChoicePhoto[] = [];
  for (const figure of doc.querySelectorAll<HTMLElement>('figure[data-photo-id]')) {
    const id = figure.dataset.photoId ?? '';
    if (!/^[1-9][0-9]*$/.test(id) || seen.has(id)) continue;
    seen.add(id);
    const credit = figure.querySelector('figcaption .credit');
    const caption = figure.querySelector('figcaption')?.cloneNode(true) as HTMLElement | undefined;
    if (caption !== undefined && credit !== null) caption.querySelector('.credit')?.remove();
    photos.push({
      id,
      src: figure.querySelector('img')?.getAttribute('src') ?? '',
      caption: (caption?.textContent ?? '').trim(),
    });
  }
  return photos;
}

/**
 * 대표 사진: the server renders the article's photos as radio buttons (which work without
 * JavaScript); this keeps them in step with the body while the writer adds, removes or
 * re-captions photos, and adds "사진함에서 고르기" for a featured photo that is not in the
 * body. A photo picked that way, or the one checked, stays offered when the body drops it.
 */
export function startFeaturedChoices(root: ParentNode = document): void {
  const fieldset = root.querySelector<HTMLFieldSetElement>('[data-featured-choices]');
  const grid = fieldset?.querySelector<HTMLElement>('[data-featured-grid]');
  if (!fieldset || !grid) return;
  const form = fieldset.closest('form');
  const disabled = fieldset.querySelector('input')?.disabled === true;
  const empty = fieldset.querySelector<HTMLElement>('[data-featured-empty]');

  function choice(photo: ChoicePhoto): HTMLLabelElement {
    const label = document.createElement('label');
    label.className = 'featured-choice';
    label.dataset.photoId = photo.id;
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = 'featuredPhotoId';
    input.value = photo.id;
    input.disabled = disabled;
    const img = document.createElement('img');
    img.alt = '';
    img.width = 120;
    img.height = 80;
    const text = document.createElement('span');
    label.append(input, img, text);
    return label;
  }

  function describe(label: HTMLElement, photo: ChoicePhoto): void {
    const img = label.querySelector('img');
    if (img !== null && photo.src !== '' && img.getAttribute('src') !== photo.src)
      img.src = photo.src;
    const text = label.querySelector('span');
    if (text !== null) text.textContent = photo.caption || '설명 없음';
  }

  function sync(photos: ChoicePhoto[]): void {
    const existing = new Map(
      [...grid!.querySelectorAll<HTMLElement>('.featured-choice[data-photo-id]')].map((l) => [
        l.dataset.photoId ?? '',
        l,
      ]),
    );
    const auto = grid!.querySelector('.featured-auto');
    let after: Element | null = auto;
    const inBody = new Set(photos.map((p) => p.id));
    for (const photo of photos) {
      const label = existing.get(photo.id) ?? choice(photo);
      describe(label, photo);
      if (after === null) grid!.prepend(label);
      else after.after(label);
      after = label;
    }
    for (const [id, label] of existing) {
      if (inBody.has(id)) continue;
      const checked = label.querySelector('input')?.checked === true;
      if (!checked && label.dataset.fromLibrary === undefined) label.remove();
    }
    if (empty) empty.hidden = grid!.querySelector('[data-photo-id]') !== null;
  }

  form?.addEventListener(CHANGE_EVENT, (event) => {
    const detail = (event as CustomEvent<EditorChangeDetail>).detail;
    sync(bodyPhotos(detail.html));
  });

  const pick = fieldset.querySelector<HTMLButtonElement>('[data-featured-pick]');
  const searchUrl =
    document.querySelector<HTMLElement>('[data-editor]')?.dataset.mediaSearchUrl ?? '';
  if (pick && searchUrl !== '' && !disabled) {
    const picker = new PhotoPicker(searchUrl);
    pick.after(picker.element);
    pick.hidden = false;
    pick.addEventListener('click', () => {
      if (picker.isOpen) picker.close();
      else
        picker.open((photo: PickedPhoto) => {
          const id = String(photo.id);
          let label = grid.querySelector<HTMLElement>(`.featured-choice[data-photo-id="${id}"]`);
          if (label === null) {
            label = choice({ id, src: photo.src, caption: photo.caption });
            label.dataset.fromLibrary = '';
            grid.append(label);
          }
          describe(label, { id, src: photo.src, caption: photo.caption });
          const input = label.querySelector('input');
          if (input !== null) {
            input.checked = true;
            input.focus();
          }
          if (empty) empty.hidden = true;
        });
    });
  }
}

const CARD_SHAPES: { label: string; ratio: string }[] = [
  { label: '16:9', ratio: '16 / 9' },
  { label: '4:3', ratio: '4 / 3' },
  { label: '1:1', ratio: '1 / 1' },
];

/**
 * 초점: the featured photo (the checked one, or the body's first while "automatic") shown
 * with a marker; a click puts the focal point there, and the three card shapes show at
 * once what each crop keeps. The point is posted with the article (hidden fields) and
 * stored on the photo. Positions are set through the CSSOM, which the admin's CSP allows.
 */
export function startFeaturedFocus(root: ParentNode = document): void {
  const panel = root.querySelector<HTMLElement>('[data-featured-focus]');
  const fieldset = panel?.closest<HTMLElement>('[data-featured-choices]');
  if (!panel || !fieldset) return;
  const idInput = panel.querySelector<HTMLInputElement>('input[name="featuredFocusPhotoId"]');
  const xInput = panel.querySelector<HTMLInputElement>('input[name="featuredFocusX"]');
  const yInput = panel.querySelector<HTMLInputElement>('input[name="featuredFocusY"]');
  if (!idInput || !xInput || !yInput) return;

  const stage = document.createElement('div');
  stage.className = 'featured-focus-stage';
  const image = document.createElement('img');
  image.alt = '대표 사진 초점 정하기';
  const marker = document.createElement('span');
  marker.className = 'featured-focus-marker';
  marker.setAttribute('aria-hidden', 'true');
  stage.append(image, marker);
  const cards = document.createElement('div');
  cards.className = 'featured-focus-cards';
  const previews = CARD_SHAPES.map(({ label, ratio }) => {
    const figure = document.createElement('figure');
    const img = document.createElement('img');
    img.alt = '';
    img.style.aspectRatio = ratio;
    const caption = document.createElement('figcaption');
    caption.textContent = label;
    figure.append(img, caption);
    cards.append(figure);
    return img;
  });
  panel.append(stage, cards);

  /** The label of the photo the focus applies to: the checked one, else the first. */
  function current(): HTMLElement | null {
    const checked = fieldset!.querySelector<HTMLInputElement>(
      'input[name="featuredPhotoId"]:checked',
    );
    if (checked !== null && checked.value !== '')
      return checked.closest<HTMLElement>('.featured-choice');
    return fieldset!.querySelector<HTMLElement>('.featured-choice[data-photo-id]');
  }

  function show(x: number, y: number): void {
    marker.style.left = `${x}%`;
    marker.style.top = `${y}%`;
    for (const img of previews) img.style.objectPosition = `${x}% ${y}%`;
  }

  function refresh(): void {
    const label = current();
    const src = label?.querySelector('img')?.getAttribute('src') ?? '';
    const id = label?.dataset.photoId ?? '';
    panel!.hidden = id === '' || src === '';
    if (panel!.hidden) return;
    for (const img of [image, ...previews]) if (img.getAttribute('src') !== src) img.src = src;
    if (idInput!.value !== id) {
      // Another photo: start from its stored point.
      const [x = 50, y = 50] = (label?.dataset.focus ?? '50,50').split(',').map(Number);
      idInput!.value = id;
      xInput!.value = '';
      yInput!.value = '';
      show(x, y);
    }
  }

  stage.addEventListener('click', (event) => {
    const box = image.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return;
    const x = Math.round(Math.min(1, Math.max(0, (event.clientX - box.left) / box.width)) * 100);
    const y = Math.round(Math.min(1, Math.max(0, (event.clientY - box.top) / box.height)) * 100);
    xInput.value = String(x);
    yInput.value = String(y);
    const label = current();
    if (label !== null) label.dataset.focus = `${x},${y}`;
    show(x, y);
  });
  fieldset.addEventListener('change', refresh);
  // The choices change with the body; check after each change of the grid.
  new MutationObserver(refresh).observe(fieldset, { childList: true, subtree: true });
  refresh();
}
