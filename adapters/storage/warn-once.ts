/** Says a warning on stderr, as the command line and the Lambda logs both show it. */
function warnOnStderr(message: string): void {
  process.stderr.write(`checkup: warning: ${message}\n`);
}

/**
 * A warning function that says each distinct message once: a loop that meets the same unreadable
 * run on every store names it once, not every minute.
 */
export function warnOnce(warn: (message: string) => void = warnOnStderr): (message: string) => void {
  const said = new Set<string>();
  return (message) => {
    if (said.has(message)) return;
    said.add(message);
    warn(message);
  };
}
