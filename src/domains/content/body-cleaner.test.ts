import { afterEach, describe, expect, it } from 'vitest';
import { createBodyCleaner, type BodyCleaner } from './body-cleaner.ts';
import { cleanBodyHtml } from './body-html.ts';
import { checkBodyStructure, MAX_BODY_DEPTH, MAX_BODY_ELEMENTS } from './body-structure.ts';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as { code: string; message: string; details: unknown };
  }
  throw new Error('not refused');
};

describe('body structure check', () => {
  it('refuses the nested tags that froze the sanitizer, with a message for the writer', () => {
    // 300 KB of <b> took the sanitizer 4.1 s and held up public pages meanwhile.
    const error = refusal(() => checkBodyStructure('<b>'.repeat(100_000)));
    expect(error).toMatchObject({ code: 'INVALID_INPUT' });
    expect(error.message).toBe(
      `본문의 서식이 너무 깊게 겹쳐 있습니다 (${MAX_BODY_DEPTH}단계 초과). 서식을 지우고 다시 저장하세요.`,
    );
    expect(error.details).toEqual({ fields: { bodyHtml: error.message } });
  });

  it('allows nesting up to the limit and counts closed tags as closed', () => {
    const nested = (depth: number) => '<b>'.repeat(depth) + '글' + '</b>'.repeat(depth);
    expect(() => checkBodyStructure(nested(MAX_BODY_DEPTH).repeat(100))).not.toThrow();
    expect(() => checkBodyStructure(nested(MAX_BODY_DEPTH + 1))).toThrow(/너무 깊게/);
  });

  it('accepts old archives that never close <p> or <li>, and void elements', () => {
    expect(() => checkBodyStructure('<p>단락<br><img src="a.jpg">'.repeat(20_000))).not.toThrow();
    expect(() => checkBodyStructure('<ul>' + '<li>항목'.repeat(5_000) + '</ul>')).not.toThrow();
  });

  it('refuses more elements than the limit', () => {
    expect(() => checkBodyStructure('<br>'.repeat(MAX_BODY_ELEMENTS + 1))).toThrow(
      /본문의 요소가 너무 많습니다/,
    );
  });
});

describe('body cleaner', () => {
  let cleaner: BodyCleaner;
  afterEach(async () => {
    await cleaner.close();
  });

  const long =
    '<p>제주 감귤 <script>alert(1)</script>첫 출하 <strong>소식</strong>입니다.</p>'.repeat(3000);

  it('cleans a long body in its worker exactly as the sanitizer does inline', async () => {
    cleaner = createBodyCleaner({ inlineMaxChars: 1000 });
    const [a, b] = await Promise.all([cleaner.clean(long), cleaner.clean(`${long}<p>끝</p>`)]);
    expect(a).toBe(cleanBodyHtml(long));
    expect(a).not.toContain('script');
    expect(b.endsWith('<p>끝</p>')).toBe(true);
    expect(await cleaner.clean('<p onclick="x">짧은 글</p>')).toBe('<p>짧은 글</p>');
  });

  it('refuses a body the worker cannot clean in time, and works again afterwards', async () => {
    cleaner = createBodyCleaner({ inlineMaxChars: 1000, timeoutMs: 1 });
    await expect(cleaner.clean(long.repeat(10))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: '본문을 정리하는 데 너무 오래 걸립니다. 기사를 나누어 저장하세요.',
    });
    await cleaner.close();
    cleaner = createBodyCleaner({ inlineMaxChars: 1000, timeoutMs: 10_000 });
    expect(await cleaner.clean(long)).toBe(cleanBodyHtml(long));
  });

  it('answers a save still in the worker when it closes', async () => {
    cleaner = createBodyCleaner({ inlineMaxChars: 1000 });
    const answered = expect(cleaner.clean(long.repeat(20))).rejects.toThrow('body cleaner closed');
    await cleaner.close();
    await answered;
  });

  it('checks the structure before anything else', async () => {
    cleaner = createBodyCleaner();
    await expect(cleaner.clean('<i>'.repeat(50_000))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});
