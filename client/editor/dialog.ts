export interface DialogRequest {
  label: string;
  value: string;
  placeholder: string;
  applyLabel: string;
  inputMode: 'url' | 'text';
  /** Returns a message to show (and keeps the dialog open), or null when done. */
  apply: (value: string) => string | null;
  cancel: () => void;
}

/**
 * A small inline panel under the toolbar asking for one address (link or video). Not a
 * window.prompt: that cannot show why an address was refused, and cannot be styled or
 * read well by screen readers. It lives inside the article form, so Enter is handled here
 * and never submits the form.
 */
export class InlineDialog {
  readonly element: HTMLElement;
  private readonly labelEl: HTMLLabelElement;
  private readonly input: HTMLInputElement;
  private readonly applyButton: HTMLButtonElement;
  private readonly error: HTMLElement;
  private request: DialogRequest | null = null;

  constructor(prefix: string) {
    this.element = document.createElement('div');
    this.element.className = 'editor-dialog';
    this.element.setAttribute('role', 'dialog');
    this.element.setAttribute('aria-labelledby', `${prefix}-dialog-label`);
    this.element.hidden = true;
    this.labelEl = document.createElement('label');
    this.labelEl.id = `${prefix}-dialog-label`;
    this.labelEl.htmlFor = `${prefix}-dialog-input`;
    this.input = document.createElement('input');
    this.input.id = `${prefix}-dialog-input`;
    // type=text, not url: a hidden invalid type=url field would block the form's submit.
    this.input.type = 'text';
    this.input.autocomplete = 'off';
    this.input.spellcheck = false;
    this.error = document.createElement('p');
    this.error.className = 'editor-dialog-error';
    this.error.id = `${prefix}-dialog-error`;
    this.error.setAttribute('role', 'alert');
    this.input.setAttribute('aria-describedby', this.error.id);
    this.applyButton = document.createElement('button');
    this.applyButton.type = 'button';
    this.applyButton.className = 'editor-dialog-apply';
    const cancelButton = document.createElement('button');
    cancelButton.type = 'button';
    cancelButton.className = 'editor-dialog-cancel';
    cancelButton.textContent = '취소';
    const row = document.createElement('div');
    row.className = 'editor-dialog-row';
    row.append(this.input, this.applyButton, cancelButton);
    this.element.append(this.labelEl, row, this.error);

    this.applyButton.addEventListener('click', () => this.apply());
    cancelButton.addEventListener('click', () => this.cancel());
    this.input.addEventListener('keydown', (event) => {
      if (event.isComposing) return;
      if (event.key === 'Enter') {
        event.preventDefault();
        this.apply();
      } else if (event.key === 'Escape') {
        event.preventDefault();
        this.cancel();
      }
    });
    this.input.addEventListener('input', () => this.setError(''));
  }

  get isOpen(): boolean {
    return this.request !== null;
  }

  open(request: DialogRequest): void {
    this.request = request;
    this.labelEl.textContent = request.label;
    this.input.value = request.value;
    this.input.placeholder = request.placeholder;
    this.input.inputMode = request.inputMode;
    this.applyButton.textContent = request.applyLabel;
    this.setError('');
    this.element.hidden = false;
    this.input.focus();
    this.input.select();
  }

  close(): void {
    this.request = null;
    this.element.hidden = true;
    this.setError('');
  }

  private apply(): void {
    const request = this.request;
    if (request === null) return;
    const message = request.apply(this.input.value);
    if (message === null) this.close();
    else {
      this.setError(message);
      this.input.focus();
    }
  }

  private cancel(): void {
    const request = this.request;
    this.close();
    request?.cancel();
  }

  private setError(message: string): void {
    this.error.textContent = message;
    this.input.setAttribute('aria-invalid', String(message !== ''));
  }
}
