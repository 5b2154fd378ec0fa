/** How deep a checkup.json may nest; real ones use five or six levels. */
export const MAX_JSON_DEPTH = 64;

/**
 * Where JSON text first nests deeper than `limit` (arrays and objects, strings skipped), or
 * undefined. Checked before parsing, so a hostile file gets a message, not a stack overflow.
 */
export function findTooDeep(text: string, limit = MAX_JSON_DEPTH): number | undefined {
  let depth = 0;
  let inString = false;
  for (let at = 0; at < text.length; at++) {
    const char = text.charCodeAt(at);
    if (inString) {
      if (char === 0x5c) at++;
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) {
      depth++;
      if (depth > limit) return at;
    } else if (char === 0x5d || char === 0x7d) depth--;
  }
  return undefined;
}
