import { describe, expect, it } from 'vitest';
import {
  formatKstHour,
  formatKstDate,
  formatKstDateTime,
  formatKstDateWithWeekday,
  parseKstDateTime,
  toKstDateTimeLocal,
  nextKstMidnight,
  toKstIso,
} from './kst.ts';

describe('KST dates', () => {
  it('formats the masthead date with the Korean weekday', () => {
    expect(formatKstDateWithWeekday(Date.UTC(2025, 11, 9, 5, 0))).toBe('2025.12.09 (화)');
  });

  it('moves to the next day at 15:00 UTC, which is midnight in Korea', () => {
    expect(formatKstDateWithWeekday(Date.UTC(2025, 11, 9, 14, 59, 59))).toBe('2025.12.09 (화)');
    expect(formatKstDateWithWeekday(Date.UTC(2025, 11, 9, 15, 0, 0))).toBe('2025.12.10 (수)');
    expect(formatKstDateWithWeekday(Date.UTC(2025, 11, 31, 15, 0, 0))).toBe('2026.01.01 (목)');
  });

  it('formats input and update times', () => {
    expect(formatKstDateTime(Date.UTC(2025, 11, 9, 0, 5))).toBe('2025.12.09 09:05');
    expect(formatKstDate(Date.UTC(2025, 0, 1, 16, 0))).toBe('2025.01.02');
    expect(toKstIso(Date.UTC(2025, 11, 9, 15, 30, 7))).toBe('2025-12-10T00:30:07+09:00');
  });

  it('finds the next KST midnight', () => {
    expect(nextKstMidnight(Date.UTC(2025, 11, 9, 5, 0))).toBe(Date.UTC(2025, 11, 9, 15, 0));
    expect(nextKstMidnight(Date.UTC(2025, 11, 9, 15, 0))).toBe(Date.UTC(2025, 11, 10, 15, 0));
  });
});

describe('parseKstDateTime', () => {
  it('reads KST wall-clock times in the forms people type', () => {
    const expected = Date.UTC(2025, 11, 9, 5, 5); // 14:05 KST
    for (const text of [
      '2025-12-09T14:05',
      '2025-12-09 14:05',
      '2025.12.09 14:05',
      '2025-12-9 14:05:00',
    ])
      expect(parseKstDateTime(text)).toBe(expected);
    expect(toKstDateTimeLocal(expected)).toBe('2025-12-09T14:05');
  });

  it('refuses dates that do not exist and other text', () => {
    for (const text of [
      '2025-02-30T10:00',
      '2025-13-01T10:00',
      '2025-12-09T24:00',
      '내일 아침',
      '',
    ])
      expect(parseKstDateTime(text)).toBeNull();
  });
});

describe('formatKstHour', () => {
  it('gives the KST month, day and hour, as the ticker and weather pages print them', () => {
    expect(formatKstHour(Date.UTC(2025, 11, 9, 5, 0))).toBe('12월 9일 14시');
    // 23:30 UTC is 08:30 the next day in KST.
    expect(formatKstHour(Date.UTC(2025, 11, 31, 23, 30))).toBe('1월 1일 8시');
  });
});
