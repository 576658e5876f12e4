/**
 * The article form's background work: autosave of drafts and the "someone else is
 * editing" heartbeat. Works with the server-rendered form; without JavaScript the form
 * still saves with its button.
 */

const AUTOSAVE_EVERY_MS = 8_000;
const HEARTBEAT_EVERY_MS = 30_000;

function csrfToken(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';
}

async function post(url: string, body?: URLSearchParams): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'x-csrf-token': csrfToken(),
      'x-requested-with': 'fetch',
      accept: 'application/json',
      ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: body ?? null,
    credentials: 'same-origin',
  });
}

function formBody(form: HTMLFormElement): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(form)) {
    if (typeof value === 'string') params.append(key, value);
  }
  return params;
}

export function startDesk(root: Document = document): void {
  const found = root.querySelector<HTMLFormElement>('form.editor-form');
  if (found === null) return;
  const form: HTMLFormElement = found;
  const status = form.querySelector<HTMLElement>('[data-autosave-status]');
  const warning = root.querySelector<HTMLElement>('[data-lock-warning]');
  const autosaveUrl = form.dataset.autosaveUrl;
  const heartbeatUrl = form.dataset.heartbeatUrl;
  let dirty = false;
  let saving = false;
  // Set the moment a form really leaves the page: the browser asks "leave page?" only
  // about changes that would be lost, never on the way out of a save or a desk action.
  let leaving = false;

  const markDirty = () => {
    dirty = true;
    if (status) status.textContent = '저장하지 않은 변경이 있습니다.';
  };
  form.addEventListener('input', markDirty);
  form.addEventListener('change', markDirty);
  form.addEventListener('tamna:editor-change', markDirty);

  /** Saves the form in the background; true when the server has everything typed so far. */
  async function saveNow(): Promise<boolean> {
    if (!autosaveUrl) return false;
    saving = true;
    dirty = false;
    try {
      const response = await post(autosaveUrl, formBody(form));
      const answer = (await response.json()) as { ok?: boolean; savedAt?: string; error?: string };
      if (status) {
        status.textContent = answer.ok
          ? `자동 저장됨 ${answer.savedAt ?? ''}`
          : `자동 저장 안 됨: ${answer.error ?? '잠시 후 다시 시도합니다.'}`;
      }
      if (!answer.ok) dirty = true;
      return answer.ok === true;
    } catch {
      dirty = true;
      if (status) status.textContent = '자동 저장 안 됨: 연결을 확인하세요.';
      return false;
    } finally {
      saving = false;
    }
  }

  // Bubbling to the document, after the forms' own listeners (the editor cancels a submit
  // while a photo is still uploading): decided synchronously, before the browser can ask.
  root.addEventListener('submit', (event) => {
    const target = event.target;
    if (event.defaultPrevented || !(target instanceof HTMLFormElement)) return;
    if (target === form || !dirty || !autosaveUrl) {
      leaving = true;
      return;
    }
    // A desk action (송고, 출고, …) with unsaved typing: save first, then act, so the
    // action applies to what is on screen and nothing asks to leave.
    event.preventDefault();
    void (async () => {
      while (saving) await new Promise((resolve) => setTimeout(resolve, 100));
      if (await saveNow()) {
        leaving = true;
        target.submit();
      }
    })();
  });
  window.addEventListener('pageshow', () => {
    // Back from the next page (bfcache): the editor is live again.
    leaving = false;
  });
  window.addEventListener('beforeunload', (event) => {
    if (dirty && !leaving) event.preventDefault();
  });

  if (autosaveUrl) {
    window.setInterval(() => {
      if (!dirty || saving || leaving) return;
      void saveNow();
    }, AUTOSAVE_EVERY_MS);
  }

  if (heartbeatUrl && warning) {
    const beat = async () => {
      try {
        const response = await post(heartbeatUrl);
        if (!response.ok) return;
        const answer = (await response.json()) as { editingBy: string | null };
        if (answer.editingBy) {
          warning.textContent = `${answer.editingBy} 님이 지금 이 기사를 고치고 있습니다. 동시에 고치면 한쪽의 수정이 사라질 수 있습니다.`;
          warning.hidden = false;
        } else {
          warning.hidden = true;
        }
      } catch {
        // The next beat tries again; a missed beat only delays the warning.
      }
    };
    void beat();
    window.setInterval(() => void beat(), HEARTBEAT_EVERY_MS);
  }
}
