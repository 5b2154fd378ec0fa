import { el } from './dom.js';

/** What the reader is told after a submit; the address itself is never shown back. */
export function subscribeOutcome(status: number, retryAfterSeconds: number | undefined): string {
  if (status === 202 || status === 200)
    return 'Check your inbox: follow the link in the confirmation message to subscribe.';
  if (status === 429) {
    const minutes = retryAfterSeconds ? Math.max(1, Math.ceil(retryAfterSeconds / 60)) : undefined;
    return `Too many requests. Try again${minutes ? ` in ${minutes} minute${minutes === 1 ? '' : 's'}` : ' later'}.`;
  }
  if (status === 400 || status === 413) return 'That does not look like an e-mail address.';
  return 'Subscribing failed. Try again later.';
}

/**
 * The subscribe form: a labelled e-mail field, a button and a status line read out by screen
 * readers. It posts the address form-encoded to `url` (no cookies, no referrer) and, whatever
 * the answer, empties the field and shows only the outcome.
 */
export function renderSubscribeForm(url: string): HTMLElement {
  const input = el('input', {
    id: 'subscribe-email',
    name: 'email',
    type: 'email',
    autocomplete: 'email',
    required: '',
    maxlength: '254',
  });
  const button = el('button', { type: 'submit' }, 'Subscribe');
  const status = el('p', { id: 'subscribe-status', class: 'subscribe-status', role: 'status' });
  const form = el(
    'form',
    { class: 'subscribe-form', 'aria-describedby': 'subscribe-status' },
    el('label', { for: 'subscribe-email' }, 'E-mail address'),
    input,
    button,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    status.textContent = 'Sending…';
    let message: string;
    try {
      const answer = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: input.value.trim() }),
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
      });
      message = subscribeOutcome(answer.status, Number(answer.headers.get('retry-after')) || undefined);
      if (answer.ok) input.value = '';
    } catch {
      message = subscribeOutcome(0, undefined);
    }
    status.textContent = message;
    button.disabled = false;
  });
  return el(
    'section',
    { class: 'subscribe', 'aria-labelledby': 'subscribe-heading' },
    el('h2', { id: 'subscribe-heading' }, 'Get updates by e-mail'),
    el('p', null, 'Incidents and maintenance, as they start and end. Every message has an unsubscribe link.'),
    form,
    status,
  );
}
