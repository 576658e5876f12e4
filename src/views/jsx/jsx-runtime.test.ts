import { describe, expect, it } from 'vitest';
import { Fragment, escapeHtml, jsx, raw } from './jsx-runtime.ts';

describe('jsx runtime', () => {
  it('escapes text and attribute values', () => {
    const html = jsx('a', { href: '/x?a=1&b="2"', children: '<script>alert(1)</script>' }).value;
    expect(html).toBe(
      '<a href="/x?a=1&amp;b=&quot;2&quot;">&lt;script&gt;alert(1)&lt;/script&gt;</a>',
    );
  });

  it('passes raw HTML through and renders void elements without a closing tag', () => {
    expect(jsx('p', { children: [raw('<b>굵게</b>'), jsx('br', {})] }).value).toBe(
      '<p><b>굵게</b><br></p>',
    );
  });

  it('omits false and nullish attributes and renders true as a bare attribute', () => {
    expect(jsx('input', { hidden: true, disabled: false, value: null }).value).toBe(
      '<input hidden>',
    );
  });

  it('flattens nested children and fragments', () => {
    const html = Fragment({ children: ['가', ['나', 1, null, [false, '다']]] }).value;
    expect(html).toBe('가나1다');
  });

  it('refuses an attribute name that would break the document', () => {
    expect(() => jsx('div', { 'onclick="x"': 'y' })).toThrow(/Invalid attribute name/);
  });

  it('escapes single quotes too', () => {
    expect(escapeHtml(`'`)).toBe('&#39;');
  });
});
