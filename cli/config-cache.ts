import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Config, ConfigUse } from '../core/config/parse-config.js';
import { readCacheFile, writeCacheFile } from './cache-file.js';
import { checksum } from './checksum.js';

/** What one cache file holds: the configs validated from one file's text by one build. */
interface Entry {
  build: string;
  text: string;
  /** By use (useKey): what validating the text for it gave, as JSON. */
  configs: Record<string, string>;
}

/**
 * The validated configs of config files, kept in the cache dir between runs of one build:
 * validating 1,000 checkers takes ~40 ms of a run's start, reading them back ~2. Validation is
 * a pure function of the file's text, the use and the code (parseConfig), so an entry is used
 * only when all three are the same: its text equal to the file's, character for character, and
 * its build the identity of the bundle running (cli/cached-script.ts). Only a config that
 * validated is kept, and only when it survives JSON as it is; a problem is found anew on every
 * run. One cache file per config file, so an edit replaces what the old text held (a secret
 * taken out of the config does not stay in the cache); it is its owner's alone to read.
 */
export class ConfigCache {
  readonly #dir: string;
  readonly #build: string;
  readonly #entries = new Map<string, Entry>();

  constructor(dir: string, build: string) {
    this.#dir = dir;
    this.#build = build;
  }

  /** The config validated before from `text` for `use`, if kept. */
  find(file: string, text: string, use: ConfigUse): Config | undefined {
    const json = this.#entry(file, text).configs[useKey(use)];
    return json === undefined ? undefined : (JSON.parse(json) as Config);
  }

  /** Keeps `config`, validated from `text` for `use`, written as the process exits. */
  keep(file: string, text: string, use: ConfigUse, config: Config): void {
    const entry = this.#entry(file, text);
    const key = useKey(use);
    if (entry.configs[key] !== undefined) return;
    // Taken now: the command may change its config as it runs.
    const json = JSON.stringify(config);
    entry.configs[key] = json;
    process.once('exit', () => {
      // A value JSON would not bring back as it was (undefined, a Date) is not kept; nor is a
      // config changed since it was taken (compared as it is now).
      if (!isDeepStrictEqual(JSON.parse(json), config)) return;
      writeCacheFile(this.#dir, this.#fileOf(file), Buffer.from(JSON.stringify(entry)));
    });
  }

  /** The entry for `file` holding `text` (an empty one when the file holds another, or none). */
  #entry(file: string, text: string): Entry {
    const cacheFile = this.#fileOf(file);
    let entry = this.#entries.get(cacheFile);
    if (entry?.text === text) return entry;
    entry = readEntry(cacheFile);
    if (entry?.build !== this.#build || entry.text !== text)
      entry = { build: this.#build, text, configs: {} };
    this.#entries.set(cacheFile, entry);
    return entry;
  }

  #fileOf(file: string): string {
    return path.join(this.#dir, `${checksum(Buffer.from(path.resolve(file))).toString('hex')}.config`);
  }
}

function readEntry(cacheFile: string): Entry | undefined {
  const data = readCacheFile(cacheFile);
  if (!data) return undefined;
  try {
    const entry = JSON.parse(data.toString('utf8')) as Entry;
    const valid =
      typeof entry?.text === 'string' &&
      typeof entry.configs === 'object' &&
      entry.configs !== null &&
      Object.values(entry.configs).every((json) => typeof json === 'string');
    return valid ? entry : undefined;
  } catch {
    return undefined;
  }
}

/** Each use as its own key: what counts as an error differs between them. */
function useKey(use: ConfigUse): string {
  return [use.checks, use.stores, use.alerts, use.reads].map((value) => String(value)).join(',');
}
