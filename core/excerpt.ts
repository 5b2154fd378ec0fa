/** How many characters of a quoted text an error message shows. */
export const EXCERPT_CHARS = 100;

/**
 * Text quoted in a message (a `must_contain`, a pattern, an answer), as JSON, cut to its first
 * EXCERPT_CHARS characters plus its size when longer: a 50 MB `must_contain` must not be copied
 * into every result of every stored run.
 */
export function excerpt(text: string): string {
  if (text.length <= EXCERPT_CHARS) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, EXCERPT_CHARS))}… (${Buffer.byteLength(text)} bytes)`;
}

/** A regular expression's source as an error message shows it: `/source/`, cut short like excerpt. */
export function patternExcerpt(source: string): string {
  if (source.length <= EXCERPT_CHARS) return `/${source}/`;
  return `/${source.slice(0, EXCERPT_CHARS)}…/ (${Buffer.byteLength(source)} bytes)`;
}

/** Unquoted text (a list of answers) cut short like excerpt. */
export function clip(text: string): string {
  if (text.length <= EXCERPT_CHARS) return text;
  return `${text.slice(0, EXCERPT_CHARS)}… (${Buffer.byteLength(text)} bytes)`;
}
