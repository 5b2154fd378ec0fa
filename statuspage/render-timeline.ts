import type { TimelineEvent } from '../core/summary/summary-types.js';
import { el } from './dom.js';
import { formatTime } from './format.js';
import { STATUS_LABELS } from './render-endpoint.js';
import { renderText } from './render-text.js';

/** Status changes and messages, newest first, as a list. */
export function renderTimeline(events: readonly TimelineEvent[]): HTMLElement {
  if (events.length === 0) return el('p', null, 'Nothing has happened yet.');
  return el(
    'ol',
    { class: 'timeline' },
    ...events.map((event) =>
      el(
        'li',
        { class: `event event--${event.kind === 'status' ? (event.status ?? 'healthy') : 'message'}` },
        el('time', { datetime: new Date(event.t).toISOString() }, formatTime(event.t)),
        ' ',
        el('strong', null, event.title),
        ' ',
        ...(event.kind === 'status' && event.status
          ? [
              `is ${STATUS_LABELS[event.status].toLowerCase()}`,
              event.previous ? ` (was ${STATUS_LABELS[event.previous].toLowerCase()})` : '',
            ]
          : ['says: ', ...renderText(event.text ?? '')]),
      ),
    ),
  );
}
