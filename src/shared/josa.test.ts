import { describe, expect, it } from 'vitest';
import { josa } from './josa.ts';

describe('josa', () => {
  it('picks the particle by the final consonant', () => {
    expect(josa('이름', '이', '가')).toBe('이름이');
    expect(josa('주소', '이', '가')).toBe('주소가');
    expect(josa('섹션', '은', '는')).toBe('섹션은');
    expect(josa('externalId', '이', '가')).toBe('externalId가');
    expect(josa('URL', '을', '를')).toBe('URL을');
    expect(josa('3', '은', '는')).toBe('3은');
    expect(josa('제목(title)', '이', '가')).toBe('제목(title)이');
    expect(josa('목록([...])', '은', '는')).toBe('목록([...])은');
  });
});
