import { describe, expect, it } from 'vitest';
import { josa, withRo } from './josa.ts';

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

  it('picks 으로 or 로, with 로 after ㄹ', () => {
    expect(withRo('제주시청')).toBe('제주시청으로');
    expect(withRo('서울')).toBe('서울로');
    expect(withRo('바다')).toBe('바다로');
    expect(withRo('064-000-0000')).toBe('064-000-0000으로');
    expect(withRo('02-123-4567')).toBe('02-123-4567로');
    expect(withRo('news@tamnailbo.example')).toBe('news@tamnailbo.example로');
    expect(withRo('desk@halla.com')).toBe('desk@halla.com으로');
    expect(withRo('help@mail.kr')).toBe('help@mail.kr로');
  });
});
