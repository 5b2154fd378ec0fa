import type { Status } from '../result.js';

const COLORS: Record<Status | 'unknown', string> = {
  healthy: '#1a7f37',
  degraded: '#9a6700',
  down: '#cf222e',
  unknown: '#57606a',
};

const WORDS: Record<Status | 'unknown', string> = {
  healthy: 'up',
  degraded: 'degraded',
  down: 'down',
  unknown: 'unknown',
};

/**
 * A flat two-part SVG badge, "<label> | up", for READMEs. Every piece of text is XML-escaped;
 * widths are estimated from the character count, which is close enough for a badge.
 */
export function renderBadge(label: string, status: Status | 'unknown'): string {
  const shown = label.length > 60 ? `${label.slice(0, 59)}…` : label;
  const word = WORDS[status];
  const left = textWidth(shown) + 12;
  const right = textWidth(word) + 12;
  const width = left + right;
  const title = escapeXml(`${shown}: ${word}`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${title}">`,
    `<title>${title}</title>`,
    `<rect width="${left}" height="20" fill="#555"/>`,
    `<rect x="${left}" width="${right}" height="20" fill="${COLORS[status]}"/>`,
    `<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">`,
    `<text x="${left / 2}" y="14">${escapeXml(shown)}</text>`,
    `<text x="${left + right / 2}" y="14">${word}</text>`,
    '</g></svg>',
  ].join('');
}

function textWidth(text: string): number {
  return Math.round([...text].length * 6.8);
}

/** Escapes the five XML special characters. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
