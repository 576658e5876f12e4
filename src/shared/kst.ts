/**
 * Korea Standard Time has been UTC+9 without daylight saving since 1988, so a fixed
 * offset is exact and far cheaper than Intl on the render path.
 */
const KST_OFFSET_MS = 9 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const WEEKDAYS = ['일', '월', '화', '수', '목', '금', '토'] as const;

export interface KstParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  weekday: (typeof WEEKDAYS)[number];
}

export function kstParts(ms: number): KstParts {
  const d = new Date(ms + KST_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    weekday: WEEKDAYS[d.getUTCDay()] ?? '일',
  };
}

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `2025.12.09 (화)` — the masthead date. */
export function formatKstDateWithWeekday(ms: number): string {
  const p = kstParts(ms);
  return `${p.year}.${two(p.month)}.${two(p.day)} (${p.weekday})`;
}

/** `2025.12.09 14:05` — article input/update times. */
export function formatKstDateTime(ms: number): string {
  const p = kstParts(ms);
  return `${p.year}.${two(p.month)}.${two(p.day)} ${two(p.hour)}:${two(p.minute)}`;
}

/** `12월 9일 14시` — when weather was observed or a forecast issued. */
export function formatKstHour(ms: number): string {
  const p = kstParts(ms);
  return `${p.month}월 ${p.day}일 ${p.hour}시`;
}

/** `2025.12.09` — list dates. */
export function formatKstDate(ms: number): string {
  const p = kstParts(ms);
  return `${p.year}.${two(p.month)}.${two(p.day)}`;
}

/** ISO 8601 with the +09:00 offset, for `<time datetime>` and OpenGraph. */
export function toKstIso(ms: number): string {
  const p = kstParts(ms);
  const seconds = two(new Date(ms).getUTCSeconds());
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}:${seconds}+09:00`;
}

/** The instant the next KST calendar day begins. */
export function nextKstMidnight(ms: number): number {
  return Math.floor((ms + KST_OFFSET_MS) / DAY_MS + 1) * DAY_MS - KST_OFFSET_MS;
}

/** `2025-12-09T14:05`, the value of an `<input type="datetime-local">` in KST. */
export function toKstDateTimeLocal(ms: number): string {
  const p = kstParts(ms);
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}`;
}

/**
 * Reads a KST date-time typed by a person (`2025-12-09T14:05`, `2025-12-09 14:05`,
 * `2025.12.09 14:05`); null when it is not a real calendar date and time.
 */
export function parseKstDateTime(text: string): number | null {
  const m = /^\s*(\d{4})[-.](\d{1,2})[-.](\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?\s*$/.exec(
    text,
  );
  if (m === null) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(utc);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return utc - KST_OFFSET_MS;
}
