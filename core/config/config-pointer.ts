import { createHash } from 'node:crypto';
import { ConfigError } from './config-error.js';

/**
 * Where a config too large for one SSM parameter is kept: an object (`s3://bucket/key`) and the
 * sha-256 of its bytes. The parameter holds only this, so a run reads the parameter (one call) and
 * the object (one more), whatever the number of checkers.
 */
export interface ConfigPointer {
  url: string;
  sha256: string;
  bytes: number;
}

/** The key under which the parameter holds the pointer: `{"checkup_config_object": {...}}`. */
const POINTER_KEY = 'checkup_config_object';

/** The sha-256 of `text`'s UTF-8 bytes, in hex. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The parameter's value for a config kept at `url`. */
export function configPointerText(url: string, text: string): string {
  const pointer: ConfigPointer = { url, sha256: sha256Hex(text), bytes: Buffer.byteLength(text, 'utf8') };
  return `${JSON.stringify({ [POINTER_KEY]: pointer }, null, 2)}\n`;
}

/**
 * The pointer a parameter's parsed value holds, or undefined when it holds a config itself.
 * Throws ConfigError naming `place` when it holds a pointer that is cut or mixed with config keys.
 */
export function parseConfigPointer(value: unknown, place: string): ConfigPointer | undefined {
  if (typeof value !== 'object' || value === null || !(POINTER_KEY in value)) return undefined;
  const { [POINTER_KEY]: pointer, ...rest } = value as Record<string, unknown>;
  const others = Object.keys(rest);
  if (others.length > 0)
    throw new ConfigError([
      {
        path: `${place}: ${others[0]}`,
        message: `this parameter only points to the config in S3; edit that config and run checkup config push`,
      },
    ]);
  const { url, sha256, bytes } = (pointer ?? {}) as Partial<ConfigPointer>;
  if (
    typeof url !== 'string' ||
    !/^s3:\/\/[^/]+\/.+/.test(url) ||
    typeof sha256 !== 'string' ||
    !/^[0-9a-f]{64}$/.test(sha256)
  )
    throw new ConfigError([
      { path: `${place}: ${POINTER_KEY}`, message: 'needs url (s3://bucket/key) and sha256 (64 hex digits)' },
    ]);
  return { url, sha256, bytes: typeof bytes === 'number' ? bytes : -1 };
}

/** The bucket and key of an `s3://bucket/key` URL. */
export function s3Location(url: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  if (!match) throw new ConfigError([{ path: url, message: 'not an s3://bucket/key URL' }]);
  return { bucket: match[1] as string, key: match[2] as string };
}

/**
 * Checks the config read from the pointer's object is the one the parameter names: a copy whose
 * digest differs (a push half done, an object changed by hand) is a ConfigError, so the run goes
 * on with the last valid config.
 */
export function verifyConfigObject(text: string, pointer: ConfigPointer): void {
  const digest = sha256Hex(text);
  if (digest !== pointer.sha256)
    throw new ConfigError([
      {
        path: pointer.url,
        message: `sha-256 ${digest} is not the ${pointer.sha256} the config parameter names (a push in progress, or the object was changed by hand); run checkup config push again`,
      },
    ]);
}
