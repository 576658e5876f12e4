/**
 * A tiny JSX runtime that renders straight to an HTML string. Text and attribute values
 * are escaped by default; only `Html` values (from `raw()`, or from rendering JSX) pass
 * through unescaped. Components are plain functions of plain data.
 */
import { VOID_ELEMENTS } from '../../shared/html.ts';
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Child = Html | string | number | boolean | null | undefined | readonly Child[];
type AttrValue = string | number | boolean | null | undefined;
export type Attributes = { children?: Child } & Record<string, AttrValue | Child>;
type Component<P> = (props: P) => Html;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const NEEDS_ESCAPE = /[&<>"']/;
const ESCAPE_ALL = /[&<>"']/g;

export function escapeHtml(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(ESCAPE_ALL, (c) => ESCAPES[c] ?? c) : text;
}

/** Marks already-safe HTML (cleaned article bodies, inline SVG) for output as is. */
export function raw(html: string): Html {
  return new Html(html);
}

const VALID_NAME = /^[a-zA-Z][a-zA-Z0-9:-]*$/;

function renderChild(child: Child): string {
  if (child === null || child === undefined || child === false || child === true) return '';
  if (typeof child === 'string') return escapeHtml(child);
  if (typeof child === 'number') return String(child);
  if (child instanceof Html) return child.value;
  let out = '';
  for (const c of child) out += renderChild(c);
  return out;
}

function renderAttributes(props: Attributes): string {
  let out = '';
  for (const name in props) {
    if (name === 'children') continue;
    const value = props[name];
    if (value === null || value === undefined || value === false) continue;
    // Names come from source code, but a bad one would break the document: refuse it loudly.
    if (!VALID_NAME.test(name)) throw new Error(`Invalid attribute name: ${name}`);
    if (value === true) out += ` ${name}`;
    else out += ` ${name}="${escapeHtml(String(value))}"`;
  }
  return out;
}

export function jsx<P extends Attributes>(type: string | Component<P>, props: P): Html {
  if (typeof type === 'function') return type(props);
  const attrs = renderAttributes(props);
  if (VOID_ELEMENTS.has(type)) return new Html(`<${type}${attrs}>`);
  return new Html(`<${type}${attrs}>${renderChild(props.children)}</${type}>`);
}

export const jsxs = jsx;
export const jsxDEV = jsx;

export function Fragment(props: { children?: Child }): Html {
  return new Html(renderChild(props.children));
}

/** Renders a complete document. */
export function renderDocument(root: Html): string {
  return `<!doctype html>${root.value}`;
}

export declare namespace JSX {
  type Element = Html;
  interface IntrinsicElements {
    [name: string]: Attributes;
  }
  interface ElementChildrenAttribute {
    children: unknown;
  }
}
