/**
 * The byline picker's enhancement: a name picked in the search box becomes a chip at once
 * (the form still sends the box's text when this script is missing, and the server adds
 * the person then), × removes a chip, and Enter in the box picks the only match instead
 * of submitting the article.
 */

interface Choice {
  id: string;
  label: string;
  name: string;
  detail: string;
}

function choices(root: HTMLElement): Choice[] {
  const list = root.querySelector('datalist#byline-options');
  if (list === null) return [];
  return [...list.querySelectorAll('option')].map((o) => ({
    id: o.dataset.id ?? '',
    label: o.value,
    name: o.dataset.name ?? '',
    detail: o.dataset.detail ?? '',
  }));
}

/** The one choice `text` names: its full label, its exact name, or the only label holding it. */
function match(all: Choice[], text: string): Choice | null {
  const t = text.trim();
  if (t === '') return null;
  const exact = all.find((c) => c.label === t) ?? null;
  if (exact !== null) return exact;
  const named = all.filter((c) => c.name === t);
  if (named.length === 1) return named[0] ?? null;
  const lower = t.toLowerCase();
  const partial = all.filter((c) => c.label.toLowerCase().includes(lower));
  return partial.length === 1 ? (partial[0] ?? null) : null;
}

function enhanceChip(chip: HTMLElement, search: HTMLInputElement): void {
  const box = chip.querySelector<HTMLInputElement>('input[data-byline-keep]');
  const remove = chip.querySelector<HTMLButtonElement>('[data-byline-remove]');
  if (box === null || remove === null) return;
  // Still sent with the form (hidden inputs are), but × is the control now.
  box.hidden = true;
  remove.hidden = false;
  remove.addEventListener('click', () => {
    const next =
      chip.nextElementSibling?.querySelector<HTMLButtonElement>('[data-byline-remove]') ??
      chip.previousElementSibling?.querySelector<HTMLButtonElement>('[data-byline-remove]') ??
      search;
    chip.remove();
    next.focus();
  });
}

function addChip(root: HTMLElement, list: HTMLElement, search: HTMLInputElement, c: Choice) {
  const already = [...list.querySelectorAll<HTMLInputElement>('input[data-byline-keep]')].some(
    (i) => i.value === c.id,
  );
  if (!already) {
    const chip = document.createElement('li');
    chip.className = 'byline-chip';
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.name = 'authorIds';
    box.value = c.id;
    box.checked = true;
    box.dataset.bylineKeep = '';
    const name = document.createElement('span');
    name.className = 'byline-name';
    name.textContent = c.name;
    const detail = document.createElement('small');
    detail.textContent = c.detail;
    label.append(box, name, ' ', detail);
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'chip-remove';
    remove.dataset.bylineRemove = '';
    remove.setAttribute('aria-label', `${c.name} 빼기`);
    remove.textContent = '×';
    chip.append(label, remove);
    list.append(chip);
    enhanceChip(chip, search);
  }
  search.value = '';
  root
    .querySelector('[data-byline-status]')
    ?.replaceChildren(
      already ? `${c.name}: 이미 바이라인에 있습니다.` : `${c.name}: 바이라인에 넣었습니다.`,
    );
}

export function startBylinePicker(doc: Document = document): void {
  for (const root of doc.querySelectorAll<HTMLElement>('[data-byline-picker]')) {
    const list = root.querySelector<HTMLElement>('[data-byline-chips]');
    const search = root.querySelector<HTMLInputElement>('[data-byline-search]');
    if (list === null || search === null || search.disabled) continue;
    const all = choices(root);
    const status = doc.createElement('p');
    status.className = 'visually-hidden';
    status.setAttribute('role', 'status');
    status.dataset.bylineStatus = '';
    root.append(status);
    const hint = root.querySelector('#byline-hint');
    if (hint !== null) hint.textContent = '이름 순서대로 실립니다. ×를 누르면 빠집니다.';
    for (const chip of list.querySelectorAll<HTMLElement>('.byline-chip'))
      enhanceChip(chip, search);
    // A datalist pick arrives as an input event whose value is a whole label.
    search.addEventListener('input', () => {
      const picked = all.find((c) => c.label === search.value);
      if (picked !== undefined) addChip(root, list, search, picked);
    });
    search.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' || event.isComposing) return;
      event.preventDefault();
      const c = match(all, search.value);
      if (c !== null) addChip(root, list, search, c);
      else if (search.value.trim() !== '')
        status.textContent = '한 사람으로 좁혀지지 않습니다. 목록에서 고르세요.';
    });
  }
}
