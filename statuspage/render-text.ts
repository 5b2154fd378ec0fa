import { el } from './dom.js';
import { linkify } from './linkify.js';

/** Message text as nodes: plain text, with http(s) URLs as links that open safely. */
export function renderText(text: string): Node[] {
  return linkify(text).map((part) =>
    'href' in part
      ? el('a', { href: part.href, rel: 'noopener noreferrer nofollow ugc' }, part.text)
      : document.createTextNode(part.text),
  );
}
