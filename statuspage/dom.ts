/// <reference lib="dom" />
/// <reference lib="dom.iterable" />

/** What `el` accepts as children: nodes, or text (always inserted as text, never parsed). */
export type Child = Node | string | null | undefined | false;

/**
 * Creates an element with attributes and children. Text is added as text nodes, so nothing from
 * the data is ever parsed as HTML; event-handler attributes are refused outright.
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | undefined> | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  setAttributes(element, attributes);
  append(element, children);
  return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The SVG counterpart of `el`. */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | undefined> | null = null,
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  setAttributes(element, attributes);
  append(element, children);
  return element;
}

function setAttributes(element: Element, attributes: Record<string, string | undefined> | null): void {
  if (!attributes) return;
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    if (/^on/i.test(name)) throw new Error(`refusing to set event handler attribute ${name}`);
    element.setAttribute(name, value);
  }
}

function append(parent: Element, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}
