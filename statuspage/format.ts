const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "5 min ago", "3 h ago", "12 days ago"; "in 3 days" for the future. */
export function formatRelative(t: number, now: number): string {
  const delta = now - t;
  const future = delta < 0;
  const abs = Math.abs(delta);
  let text: string;
  if (abs < MINUTE) return future ? 'in under a minute' : 'just now';
  if (abs < HOUR) text = `${Math.round(abs / MINUTE)} min`;
  else if (abs < 2 * DAY) text = `${Math.round(abs / HOUR)} h`;
  else text = `${Math.round(abs / DAY)} days`;
  return future ? `in ${text}` : `${text} ago`;
}

/** A UTC date and time, `2026-11-24 12:03 UTC`: the same for every reader of the page. */
export function formatTime(t: number): string {
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Milliseconds for people: `87 ms`, `1.24 s`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** An uptime share (0..1) as a percentage with enough digits to tell 99.9 from 100. */
export function formatPercent(share: number | undefined): string {
  if (share === undefined) return '–';
  if (share >= 1) return '100%';
  const percent = Math.floor(share * 10_000) / 100;
  return `${percent.toFixed(2)}%`;
}
