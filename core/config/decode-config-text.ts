import { ConfigError } from './config-error.js';

/**
 * The text of a config file's bytes: UTF-8, with or without the byte order mark some Windows
 * editors write. UTF-16 (what PowerShell's `>` writes) is named as such, rather than failing
 * later as broken JSON.
 */
export function decodeConfigText(bytes: Uint8Array): string {
  const [first, second] = bytes;
  const utf16 =
    (first === 0xff && second === 0xfe) ||
    (first === 0xfe && second === 0xff) ||
    // No byte order mark: ASCII text in UTF-16 has a NUL beside each character.
    (bytes.length >= 2 && (first === 0 || second === 0));
  if (utf16)
    throw new ConfigError([
      { path: '', message: 'the file is UTF-16 text; save it as UTF-8 (JSON is UTF-8)' },
    ]);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch (error) {
    throw new ConfigError([{ path: '', message: 'the file is not UTF-8 text; save it as UTF-8' }], {
      cause: error,
    });
  }
}
