import { describe, expect, it } from 'vitest';
import { MAX_ROW_ID, parsePositiveInt, parseRowId, slugify } from './ids.ts';

describe('parsePositiveInt', () => {
  it.each([
    ['1', 1],
    ['12345', 12345],
    ['0', null],
    ['-1', null],
    ['01', null],
    ['1e3', null],
    ['1.5', null],
    [' 1', null],
    ['99999999999999999999', null],
    ['', null],
    [undefined, null],
  ])('%s -> %s', (input, expected) => {
    expect(parsePositiveInt(input)).toBe(expected);
  });

  it('honours a maximum', () => {
    expect(parsePositiveInt('101', 100)).toBeNull();
  });
});

describe('slugify', () => {
  it('keeps Hangul and joins words with hyphens', () => {
    expect(slugify('제주 "감귤" 축제, 개막!')).toBe('제주-감귤-축제-개막');
    expect(slugify('KTX 개통 2025')).toBe('ktx-개통-2025');
  });
});

describe('parseRowId', () => {
  it('takes the ids a row can have and nothing else', () => {
    expect(parseRowId('1')).toBe(1);
    expect(parseRowId(String(MAX_ROW_ID))).toBe(MAX_ROW_ID);
    for (const bad of [
      String(MAX_ROW_ID + 1),
      '0',
      '01',
      '-1',
      '1.5',
      '1e3',
      ' 1',
      '',
      undefined,
      7,
      ['1'],
    ])
      expect(parseRowId(bad), String(bad)).toBeNull();
  });
});
