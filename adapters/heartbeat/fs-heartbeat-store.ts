import { mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import {
  type HeartbeatPing,
  type HeartbeatStore,
  parseHeartbeatPing,
} from '../../core/heartbeat/heartbeat-store.js';
import { RESULTS_LAYOUT } from '../../core/results-layout.js';
import { temporaryFiles } from '../storage/temporary-files.js';

/**
 * Pings as files beside fs runs: `<dir>/heartbeats/<key>.json`, each the newest ping of one
 * heartbeat, replaced whole (a temporary file renamed into place), so a run never reads half a ping.
 */
export class FsHeartbeatStore implements HeartbeatStore {
  readonly #dir: string;

  constructor(options: { dir: string }) {
    this.#dir = path.join(options.dir, RESULTS_LAYOUT.heartbeatPrefix);
  }

  async record(key: string, ping: HeartbeatPing): Promise<void> {
    await mkdir(this.#dir, { recursive: true });
    const name = `${key}.json`;
    const temporary = await temporaryFiles.write(this.#dir, name, JSON.stringify(ping));
    try {
      await rename(temporary, path.join(this.#dir, name));
      temporaryFiles.settled(temporary);
    } catch (error) {
      await temporaryFiles.remove(temporary);
      throw error;
    }
  }

  async latest(key: string): Promise<HeartbeatPing | undefined> {
    try {
      return parseHeartbeatPing(await readFile(path.join(this.#dir, `${key}.json`), 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
}
