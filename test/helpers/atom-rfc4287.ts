import { XMLParser, XMLValidator } from 'fast-xml-parser';

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
const IRI = /^[a-z][a-z0-9+.-]*:\S+$/i;

type Node = Record<string, unknown>;

/**
 * The problems of an Atom feed document against RFC 4287's rules for feeds and entries (well
 * formed XML, checked by fast-xml-parser's validator; the Atom namespace; exactly one id, title
 * and updated on the feed and on each entry; ids IRIs, unique; dates RFC 3339; an author for the
 * feed or every entry; content or an alternate link on every entry; text constructs of type
 * text, html or xhtml). Empty when it is valid.
 */
export function atomProblems(xml: string): string[] {
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true)
    return [`not well-formed XML: ${wellFormed.err.msg} (line ${wellFormed.err.line})`];
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    textNodeName: '#text',
    isArray: (_name: string, _path: unknown, _leaf: boolean, attribute: boolean) => !attribute,
    parseTagValue: false,
    processEntities: true,
  });
  const document = parser.parse(xml) as Record<string, Node[]>;
  const feeds = document.feed ?? [];
  if (feeds.length !== 1) return ['the root is not one atom:feed'];
  const feed = feeds[0] as Node;
  const problems: string[] = [];
  if (feed['@xmlns'] !== 'http://www.w3.org/2005/Atom')
    problems.push('atom:feed is not in the Atom namespace');
  checkCommon(feed, 'atom:feed', problems);
  const entries = (feed.entry as Node[] | undefined) ?? [];
  const ids = new Set<string>();
  entries.forEach((entry, index) => {
    const where = `atom:entry[${index}]`;
    checkCommon(entry, where, problems);
    const id = textOf((entry.id as Node[] | undefined)?.[0]);
    if (ids.has(id)) problems.push(`${where}: id ${id} is not unique`);
    ids.add(id);
    const alternate = ((entry.link as Node[] | undefined) ?? []).some(
      (link) => (link['@rel'] ?? 'alternate') === 'alternate',
    );
    if (!entry.content && !alternate)
      problems.push(`${where}: neither atom:content nor an alternate atom:link`);
    if (!feed.author && !entry.author) problems.push(`${where}: no atom:author, and the feed has none`);
  });
  return problems;
}

function checkCommon(node: Node, where: string, problems: string[]): void {
  for (const name of ['id', 'title', 'updated']) {
    const count = ((node[name] as unknown[] | undefined) ?? []).length;
    if (count !== 1) problems.push(`${where}: ${count} atom:${name} elements (exactly one is required)`);
  }
  const id = textOf((node.id as Node[] | undefined)?.[0]);
  if (!IRI.test(id)) problems.push(`${where}: atom:id ${JSON.stringify(id)} is not an IRI`);
  const updated = textOf((node.updated as Node[] | undefined)?.[0]);
  if (!RFC3339.test(updated))
    problems.push(`${where}: atom:updated ${JSON.stringify(updated)} is not an RFC 3339 date`);
  for (const name of ['title', 'content', 'summary', 'rights', 'subtitle']) {
    for (const construct of (node[name] as Node[] | undefined) ?? []) {
      const type = construct['@type'] ?? 'text';
      if (name !== 'content' && !['text', 'html', 'xhtml'].includes(type as string))
        problems.push(`${where}: atom:${name} has type ${String(type)}`);
    }
  }
  for (const author of (node.author as Node[] | undefined) ?? [])
    if (((author.name as unknown[] | undefined) ?? []).length !== 1)
      problems.push(`${where}: an atom:author without one atom:name`);
}

/** The text of a parsed element (`<x>text</x>` or `<x a="b">text</x>`). */
export function textOf(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node;
  const text = (node as Node)['#text'];
  return Array.isArray(text) ? String(text[0] ?? '') : String(text ?? '');
}

/** The feed's entries, parsed: id, title and content as text. */
export function atomEntries(
  xml: string,
): Array<{ id: string; title: string; updated: string; content: string }> {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    textNodeName: '#text',
    isArray: (_name: string, _path: unknown, _leaf: boolean, attribute: boolean) => !attribute,
    parseTagValue: false,
    trimValues: false,
  });
  const feed = (parser.parse(xml) as Record<string, Node[]>).feed?.[0] as Node;
  return ((feed.entry as Node[] | undefined) ?? []).map((entry) => ({
    id: textOf((entry.id as Node[])[0]),
    title: textOf((entry.title as Node[])[0]),
    updated: textOf((entry.updated as Node[])[0]),
    content: textOf((entry.content as Node[])[0]),
  }));
}
