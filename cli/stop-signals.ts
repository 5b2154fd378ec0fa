import { temporaryFiles } from '../adapters/storage/temporary-files.js';

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof EXIT_CODES;

/** Exits at once, with the shell's code for the signal, leaving no half-written file behind. */
function exitNow(signal: StopSignal): never {
  temporaryFiles.removeLiveSync();
  process.exit(EXIT_CODES[signal]);
}

/** For a command with nothing worth finishing: SIGINT or SIGTERM exits at once, cleaning up. */
export function exitOnStopSignal(): void {
  for (const signal of Object.keys(EXIT_CODES) as StopSignal[]) process.once(signal, () => exitNow(signal));
}

/**
 * For a command that finishes what is under way before it stops: the first SIGINT or SIGTERM
 * calls `stop`; a second one exits at once (130 or 143), removing temporary files.
 */
export function onStopSignal(stop: (signal: StopSignal) => void): void {
  let stopping = false;
  for (const signal of Object.keys(EXIT_CODES) as StopSignal[])
    process.on(signal, () => {
      if (stopping) exitNow(signal);
      stopping = true;
      stop(signal);
    });
}
