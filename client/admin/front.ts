/**
 * The front desk's arranging: drag and drop of articles among the front page's places,
 * the same moves by keyboard (Space picks up, arrows move, Space drops, Esc cancels) with
 * announcements for screen readers, a search to find articles, and a live preview of the
 * unsaved arrangement in two frames. Everything works on the server-rendered form: each
 * place is a field holding an article number, and this script only fills those fields;
 * without it the desk types the numbers and saves.
 */

const PREVIEW_DELAY_MS = 500;
const SEARCH_DELAY_MS = 250;

interface Picked {
  id: number;
  title: string;
}

export function startFrontDesk(root: Document = document): void {
  const desk = root.querySelector<HTMLElement>('[data-front-desk]');
  const form = root.querySelector<HTMLFormElement>('form.front-arrangement');
  if (desk === null || form === null) return;
  root.body.classList.add('front-js');
  const status = form.querySelector<HTMLElement>('[data-front-status]');
  const places = [...form.querySelectorAll<HTMLElement>('.front-place')];
  const input = (place: HTMLElement) =>
    place.querySelector<HTMLInputElement>('.front-place-input') as HTMLInputElement;
  const titles = new Map<number, string>();
  for (const el of root.querySelectorAll<HTMLElement>('[data-id][data-title]'))
    titles.set(Number(el.dataset.id), el.dataset.title ?? '');

  const announce = (text: string) => {
    if (status) status.textContent = text;
  };
  const placeName = (place: HTMLElement) =>
    `${place.dataset.areaLabel ?? ''} ${Number(place.dataset.place) + 1}번째 자리`;
  const idAt = (place: HTMLElement): number | null => {
    const text = input(place).value.trim().replace(/번$/, '');
    return /^\d{1,12}$/.test(text) ? Number(text) : null;
  };

  let selected: HTMLElement | null = null;
  /** Changed since the page came: the auto places' titles are the preview's to tell now. */
  let dirty = false;
  let grabbed: { from: HTMLElement; at: HTMLElement; id: number } | null = null;

  /** Draws a place from its field: a card for a pinned article, "자동" otherwise. */
  function draw(place: HTMLElement): void {
    const body = place.querySelector<HTMLElement>('.front-place-body');
    if (body === null) return;
    const id = idAt(place);
    place.classList.toggle('is-selected', place === selected);
    place.classList.toggle('is-grabbed', grabbed?.at === place);
    // Until the first change, an empty place keeps what the server said fills it.
    if (id === null && !dirty && body.querySelector('[data-auto]') !== null) {
      place.setAttribute('aria-label', `${placeName(place)}: 자동`);
      return;
    }
    body.replaceChildren();
    if (id === null) {
      const auto = root.createElement('div');
      auto.className = 'front-auto';
      auto.textContent = '자동 (미리보기에서 확인)';
      body.append(auto);
      place.setAttribute('aria-label', `${placeName(place)}: 자동`);
    } else {
      const card = root.createElement('div');
      card.className = 'front-card';
      card.draggable = true;
      card.dataset.id = String(id);
      const badge = root.createElement('span');
      badge.className = 'front-badge pinned';
      badge.textContent = '고정';
      const number = root.createElement('strong');
      number.textContent = `${id}번`;
      card.append(badge, ' ', number, ' ', titles.get(id) ?? '');
      const remove = root.createElement('button');
      remove.type = 'button';
      remove.className = 'link-button front-unpin';
      remove.textContent = '빼기';
      remove.setAttribute('aria-label', `${id}번 기사를 이 자리에서 빼기`);
      remove.addEventListener('click', (event) => {
        event.stopPropagation();
        input(place).value = '';
        changed(`${id}번 기사를 뺐습니다. ${placeName(place)}는 자동으로 채워집니다.`);
      });
      body.append(card, remove);
      place.setAttribute('aria-label', `${placeName(place)}: ${id}번 ${titles.get(id) ?? ''}`);
    }
  }

  const drawAll = () => places.forEach(draw);

  /** Puts an article in a place; one already there trades places with it (or leaves). */
  function put(id: number, target: HTMLElement, from: HTMLElement | null): void {
    const previous = idAt(target);
    const elsewhere = places.find((p) => p !== target && idAt(p) === id);
    const origin = from ?? elsewhere ?? null;
    input(target).value = String(id);
    if (origin !== null && origin !== target)
      input(origin).value = previous === null ? '' : String(previous);
    else if (elsewhere !== undefined) input(elsewhere).value = '';
  }

  let previewTimer: number | undefined;
  let saving = false;
  window.addEventListener('beforeunload', (event) => {
    if (dirty && !saving) event.preventDefault();
  });
  function changed(message: string): void {
    dirty = true;
    drawAll();
    announce(`${message} 저장하지 않았습니다.`);
    window.clearTimeout(previewTimer);
    previewTimer = window.setTimeout(refreshPreview, PREVIEW_DELAY_MS);
  }

  /**
   * Sends the unsaved arrangement to both preview frames: the form posts into one, then,
   * once it has loaded, into the other (a second submit before the first navigation
   * starts would cancel the first).
   */
  function refreshPreview(): void {
    const button = form?.querySelector<HTMLButtonElement>('[data-preview-button]');
    if (!form || !button) return;
    const frames = ['front-preview-phone', 'front-preview-desktop']
      .map((name) => root.querySelector<HTMLIFrameElement>(`iframe[name="${name}"]`))
      .filter((f): f is HTMLIFrameElement => f !== null);
    const post = (index: number) => {
      const frame = frames[index];
      if (frame === undefined) {
        button.formTarget = '_blank';
        return;
      }
      let done = false;
      const next = () => {
        if (done) return;
        done = true;
        post(index + 1);
      };
      frame.addEventListener('load', next, { once: true });
      // A frame that never reports (a failed load) must not hold up the other.
      window.setTimeout(next, 5_000);
      button.formTarget = frame.name;
      form.requestSubmit(button);
      button.formTarget = '_blank';
    };
    post(0);
  }
  form.addEventListener('submit', (event) => {
    // The preview posts are the form's own submits; only a save leaves the page.
    const submitter = (event as SubmitEvent).submitter;
    if (submitter instanceof HTMLButtonElement && submitter.formTarget.startsWith('front-preview'))
      return;
    window.clearTimeout(previewTimer);
    saving = true;
  });

  // Typing a number by hand is still a change.
  for (const place of places) {
    input(place).addEventListener('change', () => changed(`${placeName(place)}를 고쳤습니다.`));
  }

  // Mouse: drag cards between places, or results from the search onto a place.
  let dragged: { id: number; from: HTMLElement | null } | null = null;
  desk.addEventListener('dragstart', (event) => {
    const card = (event.target as HTMLElement).closest<HTMLElement>('.front-card, .front-result');
    if (card === null) return;
    const id = Number(card.dataset.id);
    dragged = { id, from: card.closest<HTMLElement>('.front-place') };
    event.dataTransfer?.setData('text/plain', String(id));
    if (event.dataTransfer) event.dataTransfer.effectAllowed = 'move';
  });
  for (const place of places) {
    place.addEventListener('dragover', (event) => {
      if (dragged === null) return;
      event.preventDefault();
      place.classList.add('is-over');
    });
    place.addEventListener('dragleave', () => place.classList.remove('is-over'));
    place.addEventListener('drop', (event) => {
      place.classList.remove('is-over');
      if (dragged === null) return;
      event.preventDefault();
      const { id, from } = dragged;
      dragged = null;
      put(id, place, from);
      changed(`${id}번 기사를 ${placeName(place)}에 놓았습니다.`);
    });
  }
  desk.addEventListener('dragend', () => {
    dragged = null;
  });

  // Keyboard: a place is one stop in the tab order; Space or Enter picks up its article,
  // the arrows carry it through the places (across areas), Space or Enter drops it there.
  places.forEach((place, index) => {
    place.tabIndex = index === 0 ? 0 : -1;
    place.setAttribute('role', 'option');
    place.addEventListener('click', (event) => {
      if ((event.target as HTMLElement).closest('input, button') !== null) return;
      selected = place;
      focusPlace(place);
      drawAll();
      announce(`${placeName(place)}를 골랐습니다. 찾은 기사의 ‘선택한 자리에 놓기’로 넣습니다.`);
    });
    place.addEventListener('keydown', (event) => {
      if (event.target !== place) return;
      const key = event.key;
      if (key === 'ArrowDown' || key === 'ArrowUp') {
        event.preventDefault();
        const next = places[index + (key === 'ArrowDown' ? 1 : -1)];
        if (next === undefined) return;
        if (grabbed !== null) {
          const { id } = grabbed;
          const from = grabbed.at;
          // Carrying: the article moves one place at a time, trading with what was there.
          put(id, next, from);
          grabbed = { ...grabbed, at: next };
          drawAll();
          announce(`${id}번 기사를 들고 ${placeName(next)}로 옮겼습니다.`);
        }
        focusPlace(next);
      } else if (key === ' ' || key === 'Enter') {
        event.preventDefault();
        if (grabbed === null) {
          const id = idAt(place);
          selected = place;
          if (id === null) {
            drawAll();
            announce(`${placeName(place)}를 골랐습니다. 비어 있어 들 기사가 없습니다.`);
            return;
          }
          grabbed = { from: place, at: place, id };
          drawAll();
          announce(
            `${id}번 기사를 들었습니다. 위아래 화살표로 옮기고 스페이스로 내려놓습니다. Esc는 취소입니다.`,
          );
        } else {
          const { id } = grabbed;
          grabbed = null;
          changed(`${id}번 기사를 ${placeName(place)}에 내려놓았습니다.`);
        }
      } else if (key === 'Escape' && grabbed !== null) {
        event.preventDefault();
        // Carry it back step by step: the trades made on the way undo in reverse.
        const { id, from } = grabbed;
        let at = grabbed.at;
        while (at !== from) {
          const step =
            places[places.indexOf(at) + (places.indexOf(at) > places.indexOf(from) ? -1 : 1)];
          if (step === undefined) break;
          put(id, step, at);
          at = step;
        }
        grabbed = null;
        drawAll();
        focusPlace(from);
        announce(`옮기기를 취소했습니다. ${id}번 기사는 ${placeName(from)}에 그대로 있습니다.`);
      } else if (key === 'Delete' || key === 'Backspace') {
        const id = idAt(place);
        if (id === null || grabbed !== null) return;
        event.preventDefault();
        input(place).value = '';
        changed(`${id}번 기사를 뺐습니다. ${placeName(place)}는 자동으로 채워집니다.`);
      }
    });
  });
  const list = form.querySelectorAll<HTMLElement>('.front-places');
  for (const ol of list) ol.setAttribute('role', 'listbox');

  function focusPlace(place: HTMLElement): void {
    for (const p of places) p.tabIndex = p === place ? 0 : -1;
    place.focus();
  }

  // Search: results come as JSON from the screen; each can be dragged or put in the
  // selected place with a button.
  const searchForm = root.querySelector<HTMLFormElement>('[data-front-search]');
  const results = root.querySelector<HTMLElement>('[data-front-results]');
  function showResults(
    found: (Picked & { sectionName: string; hasPhoto: boolean; isBreaking: boolean })[],
  ) {
    if (results === null) return;
    results.replaceChildren();
    if (found.length === 0) {
      const empty = root.createElement('li');
      empty.className = 'empty';
      empty.textContent = '찾은 기사가 없습니다.';
      results.append(empty);
    }
    for (const a of found) {
      titles.set(a.id, a.title);
      const item = root.createElement('li');
      item.className = 'front-result';
      item.draggable = true;
      item.dataset.id = String(a.id);
      item.dataset.title = a.title;
      const number = root.createElement('strong');
      number.textContent = `${a.id}번`;
      const meta = root.createElement('small');
      meta.textContent = [a.sectionName, a.hasPhoto ? '사진' : '', a.isBreaking ? '속보' : '']
        .filter((t) => t !== '')
        .join(' · ');
      item.append(number, ' ', a.title, ' ', meta, ' ', placeButton(a.id));
      results.append(item);
    }
    announce(`기사 ${found.length}건을 찾았습니다.`);
  }
  function placeButton(id: number): HTMLButtonElement {
    const button = root.createElement('button');
    button.type = 'button';
    button.className = 'button small';
    button.textContent = '선택한 자리에 놓기';
    button.addEventListener('click', () => {
      const target = selected ?? places.find((p) => idAt(p) === null) ?? null;
      if (target === null) {
        announce('먼저 놓을 자리를 고르세요.');
        return;
      }
      put(id, target, null);
      selected = target;
      changed(`${id}번 기사를 ${placeName(target)}에 놓았습니다.`);
    });
    return button;
  }
  if (results !== null) {
    for (const item of results.querySelectorAll<HTMLElement>('.front-result')) {
      item.draggable = true;
      item.append(' ', placeButton(Number(item.dataset.id)));
    }
  }
  if (searchForm !== null) {
    const box = searchForm.querySelector<HTMLInputElement>('input[name="q"]');
    let searchTimer: number | undefined;
    let asked = 0;
    const search = async () => {
      const mine = ++asked;
      const url = `${searchForm.action}?q=${encodeURIComponent(box?.value ?? '')}`;
      try {
        const response = await fetch(url, {
          headers: { accept: 'application/json' },
          credentials: 'same-origin',
        });
        const answer = (await response.json()) as {
          articles?: (Picked & { sectionName: string; hasPhoto: boolean; isBreaking: boolean })[];
          error?: string;
        };
        if (mine !== asked) return;
        if (answer.articles) showResults(answer.articles);
        else announce(answer.error ?? '기사를 찾지 못했습니다.');
      } catch {
        announce('기사를 찾지 못했습니다. 연결을 확인하세요.');
      }
    };
    searchForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void search();
    });
    box?.addEventListener('input', () => {
      window.clearTimeout(searchTimer);
      searchTimer = window.setTimeout(() => void search(), SEARCH_DELAY_MS);
    });
  }

  drawAll();
}
