/**
 * Control characters a terminal would act on: C0 (but tab), DEL, C1 (U+0080-U+009F: U+009B is a
 * CSI on its own) and the bidirectional overrides that reorder what is shown.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL_BUT_NEWLINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text made safe to print: every control character is shown escaped (`\x1b`, `\u202e`) instead
 * of being sent to the terminal, where an HTTP reason phrase or a DNS answer carrying
 * `ESC]0;...BEL` or `ESC[2J` would retitle the window or clear the screen. Newlines are escaped
 * too unless `multiline`. Every line the command prints from data passes through here.
 */
export function terminalText(text: string, multiline = false): string {
  return text.replace(multiline ? CONTROL_BUT_NEWLINE : CONTROL, visible);
}

function visible(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
}
