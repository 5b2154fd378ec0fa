/// <reference lib="dom" />

/** The two ways the page lists endpoints: one row each, or a card each. */
export type View = 'compact' | 'cards';

const STORAGE_KEY = 'checkup.view';
const HASH = /^#view=(compact|cards)$/;

/**
 * The view the reader chose, if any: a `#view=compact` or `#view=cards` link first (so a chosen
 * view can be shared), then the choice remembered in this browser.
 */
export function readViewChoice(): View | undefined {
  const linked = HASH.exec(location.hash)?.[1];
  if (linked) return linked as View;
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return stored === 'compact' || stored === 'cards' ? stored : undefined;
  } catch {
    // Storage can be refused (privacy settings, sandboxed frames): then nothing is remembered.
    return undefined;
  }
}

/** Remembers the reader's choice in this browser and in the address, without a new history entry. */
export function saveViewChoice(view: View): void {
  try {
    localStorage.setItem(STORAGE_KEY, view);
  } catch {
    // Not remembered across visits, but the address below still carries it.
  }
  // Only replace a hash that is empty or a view: an anchor (#past-incidents) stays where it is.
  if (location.hash === '' || HASH.test(location.hash)) history.replaceState(null, '', `#view=${view}`);
}
