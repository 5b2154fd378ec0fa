/** C0 and C1 control characters, and the bidirectional overrides that can reorder a line. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from a config or an answering server made safe to print on a terminal: control
 * characters (an escape sequence could recolour, move the cursor or retitle the window)
 * are shown as `\xNN` or `\uNNNN` instead of being sent.
 */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}
