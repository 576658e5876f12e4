import { parseRowId } from '../../shared/ids.ts';
import { parseKstDateTime } from '../../shared/kst.ts';
import { invalidInput } from '../../shared/errors.ts';

/** A urlencoded or multipart form body as @fastify/formbody hands it over. */
export type FormBody = Record<string, string | string[] | undefined>;

export function asForm(body: unknown): FormBody {
  return typeof body === 'object' && body !== null ? (body as FormBody) : {};
}

/** The field's single value (the first, if it was sent several times), trimmed of CRs. */
export function field(form: FormBody, name: string): string {
  const v = form[name];
  const s = Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
  return s.replace(/\r\n?/g, '\n');
}

export function fields(form: FormBody, name: string): string[] {
  const v = form[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((s) => s !== '');
}

export const checked = (form: FormBody, name: string): boolean =>
  field(form, name) === '1' || field(form, name) === 'on';

/** An optional positive id typed into a form: '' is null, anything else must be a number. */
export function optionalId(form: FormBody, name: string, label: string): number | null {
  const text = field(form, name).trim();
  if (text === '') return null;
  const id = parseRowId(text);
  if (id === null)
    throw invalidInput(`${label}는 숫자로 입력하세요.`, {
      fields: { [name]: '숫자로 입력하세요.' },
    });
  return id;
}

export function requiredId(form: FormBody, name: string, message: string): number {
  const id = parseRowId(field(form, name).trim());
  if (id === null) throw invalidInput(message, { fields: { [name]: message } });
  return id;
}

/** A multi-valued id field (checkboxes, multi-selects): every value must be an id. */
export function requiredIds(form: FormBody, name: string, message: string): number[] {
  return fields(form, name).map((text) => {
    const id = parseRowId(text.trim());
    if (id === null) throw invalidInput(message, { fields: { [name]: message } });
    return id;
  });
}

/** An optional KST date-time field (`<input type="datetime-local">`). */
export function optionalKstTime(form: FormBody, name: string): number | null {
  const text = field(form, name).trim();
  if (text === '') return null;
  const at = parseKstDateTime(text);
  if (at === null)
    throw invalidInput('날짜와 시각을 2025-12-09 14:00 형식으로 입력하세요.', {
      fields: { [name]: '날짜와 시각을 2025-12-09 14:00 형식으로 입력하세요.' },
    });
  return at;
}

/** Comma- or newline-separated tags, without empties and duplicates. */
export function tagList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,\n，]/)
        .map((t) => t.trim().replace(/^#/, ''))
        .filter((t) => t !== ''),
    ),
  ];
}

/** Comma-separated article numbers (front-page arrangement). */
export function idList(text: string): number[] {
  const parts = text
    .split(/[,\s]+/)
    .map((t) => t.trim().replace(/번$/, ''))
    .filter((t) => t !== '');
  const ids: number[] = [];
  for (const p of parts) {
    const id = parseRowId(p);
    if (id === null) throw invalidInput(`기사 번호가 아닙니다: ${p}`);
    ids.push(id);
  }
  return ids;
}
