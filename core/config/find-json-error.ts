/**
 * Finds where JSON text first goes wrong, for an error message with a line and column
 * (V8's own messages do not always give a position). Only called after JSON.parse failed.
 */
export function findJsonError(text: string): { offset: number; reason: string } {
  let at = 0;
  const fail = (reason: string): never => {
    throw { offset: at, reason };
  };
  const space = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at] as string)) at++;
  };
  const expect = (char: string, what: string) => {
    space();
    if (text[at] !== char) fail(at >= text.length ? `unexpected end, expected ${what}` : `expected ${what}`);
    at++;
  };
  const string = () => {
    expect('"', 'a double-quoted string');
    while (at < text.length && text[at] !== '"') {
      if (text[at] === '\\') at++;
      else if ((text.charCodeAt(at) as number) < 0x20) fail('control character in a string');
      at++;
    }
    if (at >= text.length) fail('unterminated string');
    at++;
  };
  const value = (): void => {
    space();
    const char = text[at];
    if (char === '{') {
      at++;
      space();
      if (text[at] === '}') {
        at++;
        return;
      }
      for (;;) {
        string();
        expect(':', '":" after a key');
        value();
        space();
        if (text[at] !== ',') break;
        at++;
      }
      expect('}', '"," or "}"');
      return;
    }
    if (char === '[') {
      at++;
      space();
      if (text[at] === ']') {
        at++;
        return;
      }
      for (;;) {
        value();
        space();
        if (text[at] !== ',') break;
        at++;
      }
      expect(']', '"," or "]"');
      return;
    }
    if (char === '"') {
      string();
      return;
    }
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
      text.slice(at, at + 400),
    );
    if (!literal) fail(at >= text.length ? 'unexpected end, expected a value' : 'expected a value');
    at += (literal as RegExpExecArray)[0].length;
  };
  try {
    value();
    space();
    if (at < text.length) fail('unexpected text after the end');
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'offset' in error)
      return error as { offset: number; reason: string };
    throw error;
  }
  return { offset: at, reason: 'not valid JSON' };
}
