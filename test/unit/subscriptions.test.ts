import { describe, expect, it } from 'vitest';
import { type AlertState, emptyAlertState } from '../../core/alerts/alert-state.js';
import { AlertStateConflictError, type AlertStateStore } from '../../core/alerts/alert-state-store.js';
import { PingRateLimiter } from '../../core/heartbeat/ping-rate-limiter.js';
import type { Incident } from '../../core/incidents/incident.js';
import { announceToSubscribers } from '../../core/subscriptions/announce-to-subscribers.js';
import { parseSubscribeRequest } from '../../core/subscriptions/parse-subscribe-request.js';
import {
  type SubscriberAnnouncement,
  subscriberAnnouncements,
} from '../../core/subscriptions/subscriber-announcements.js';

const form = (email: string) => ({
  method: 'POST',
  contentType: 'application/x-www-form-urlencoded; charset=UTF-8',
  body: new URLSearchParams({ email }).toString(),
});

describe('parseSubscribeRequest', () => {
  it.each([
    'reader@example.com',
    'first.last+status@mail.example.co.uk',
    "o'brien@example.ie",
    'x@xn--bcher-kva.example',
    '  padded@example.com  ',
  ])('takes %j', (email) => {
    expect(parseSubscribeRequest(form(email))).toEqual({ ok: true, address: email.trim() });
  });

  it.each([
    ['no domain', 'reader@'],
    ['no dot in the domain', 'reader@localhost'],
    ['two @', 'a@b@example.com'],
    ['a space', 'read er@example.com'],
    ['CRLF', 'reader@example.com\r\nBcc: x@example.net'],
    ['a NUL', 'reader@example.com\u0000'],
    ['a display name', 'Reader <reader@example.com>'],
    ['a quoted local part', '"a b"@example.com'],
    ['an IP literal', 'reader@[127.0.0.1]'],
    ['a leading dot', '.reader@example.com'],
    ['two dots', 'read..er@example.com'],
    ['a hyphen ending a label', 'reader@example-.com'],
    ['a numeric TLD', 'reader@example.123'],
    ['non-ASCII', 'lése@example.com'],
    ['a local part over 64', `${'a'.repeat(65)}@example.com`],
  ])('refuses %s with a 400 that does not repeat it', (_name, email) => {
    const parsed = parseSubscribeRequest(form(email));
    expect(parsed).toMatchObject({ ok: false, status: 400 });
    if (!parsed.ok) expect(parsed.reason).not.toContain('example');
  });

  it('refuses a body over 1 KB before reading it, other types, and other methods', () => {
    expect(parseSubscribeRequest({ ...form('a@example.com'), body: 'x'.repeat(1025) })).toMatchObject({
      status: 413,
    });
    expect(
      parseSubscribeRequest({ ...form('a@example.com'), contentType: 'multipart/form-data' }),
    ).toMatchObject({
      status: 415,
    });
    expect(parseSubscribeRequest({ ...form('a@example.com'), method: 'PUT' })).toMatchObject({ status: 405 });
    expect(
      parseSubscribeRequest({
        method: 'POST',
        contentType: 'application/json',
        body: '{"email":"a@example.com"}',
      }),
    ).toEqual({ ok: true, address: 'a@example.com' });
  });
});

describe('PingRateLimiter.retryAfterMs', () => {
  it('says how long until the window that refused a key ends', () => {
    const limiter = new PingRateLimiter({ pings: 2, windowMs: 60_000 });
    expect(limiter.admit('k', 1000)).toBe(true);
    expect(limiter.retryAfterMs('k', 1000)).toBe(0);
    expect(limiter.admit('k', 2000)).toBe(true);
    expect(limiter.retryAfterMs('k', 11_000)).toBe(50_000);
    expect(limiter.admit('k', 61_000)).toBe(true);
  });
});

describe('subscriberAnnouncements', () => {
  const now = Date.UTC(2026, 10, 30, 10, 0);
  const incident: Incident = {
    id: 'i1',
    title: 'API is down',
    endpoints: ['API'],
    status: 'resolved',
    source: 'auto',
    opened: now - 600_000,
    resolved: now - 60_000,
    updates: [
      { at: now - 600_000, status: 'investigating', message: 'API answers 503.' },
      { at: now - 60_000, status: 'resolved', message: 'API is back.' },
    ],
  };
  const base = {
    incidents: [incident],
    windows: [],
    nowMs: now,
    title: 'Ünï Status',
    pageUrl: 'https://s.example/',
  };

  it('announces each update once, oldest first, with an ASCII subject and a link to the page', () => {
    const first = subscriberAnnouncements({ ...base, announced: {} });
    expect(first.due.map((event) => event.subject)).toEqual([
      'Uni Status: New incident: API is down',
      'Uni Status: Resolved: API is down',
    ]);
    expect(first.due[0]?.text).toBe(
      'New incident: API is down\nStatus: investigating\nAffects: API\nAt: 2026-11-30 09:50 UTC\n\nAPI answers 503.\n\nStatus page: https://s.example/',
    );
    expect(subscriberAnnouncements({ ...base, announced: first.announced }).due).toEqual([]);
  });

  it('tells nothing older than the horizon, and forgets what fell out of it', () => {
    const late = subscriberAnnouncements({
      ...base,
      nowMs: now + 3_600_000 - 300_000,
      announced: { old: now - 7_200_000 },
    });
    expect(late.due.map((event) => event.key)).toEqual(['incident:i1:1']);
    expect(Object.keys(late.announced)).toEqual(['incident:i1:1']);
  });

  it('announces a maintenance start and end once each, and neither before it happens', () => {
    const window = { name: 'Upgrade', start: now + 60_000, durationMs: 600_000, timezone: 'UTC' };
    const input = { ...base, incidents: [], windows: [window] };
    expect(subscriberAnnouncements({ ...input, announced: {} }).due).toEqual([]);
    const started = subscriberAnnouncements({ ...input, nowMs: now + 120_000, announced: {} });
    expect(started.due.map((event) => event.subject)).toEqual(['Uni Status: Maintenance started: Upgrade']);
    const ended = subscriberAnnouncements({ ...input, nowMs: now + 700_000, announced: started.announced });
    expect(ended.due.map((event) => event.subject)).toEqual(['Uni Status: Maintenance ended: Upgrade']);
  });
});

/** An alert state store in memory, with the conditional save every store has. */
function memoryStore(initial: AlertState): AlertStateStore & { state: () => AlertState } {
  let stored = initial;
  let version = 1;
  return {
    state: () => stored,
    async load() {
      return { state: structuredClone(stored), version: String(version) };
    },
    async save(state, expected) {
      if (expected !== String(version)) throw new AlertStateConflictError('moved on');
      stored = structuredClone(state);
      version += 1;
      return String(version);
    },
  };
}

describe('announceToSubscribers', () => {
  const now = Date.UTC(2026, 10, 30, 10, 0);
  const incident: Incident = {
    id: 'i1',
    title: 'API is down',
    endpoints: ['API'],
    status: 'investigating',
    source: 'auto',
    opened: now - 60_000,
    updates: [{ at: now - 60_000, status: 'investigating', message: 'API answers 503.' }],
  };
  const window = { name: 'Upgrade', start: now - 30_000, durationMs: 600_000, timezone: 'UTC' };

  it('sends each event once across two invocations racing on the same state', async () => {
    const store = memoryStore({ ...emptyAlertState(), incidents: [incident] });
    const sent: string[] = [];
    const channel = { publish: async (event: SubscriberAnnouncement) => void sent.push(event.key) };
    const options = { store, channel, windows: [window], title: 'S', nowMs: now };
    await Promise.all([announceToSubscribers(options), announceToSubscribers(options)]);
    expect(sent).toEqual(['incident:i1:0', `maintenance:Upgrade:${window.start}:start`]);
    await announceToSubscribers(options);
    expect(sent).toHaveLength(2);
  });

  it('releases what it could not send, and sends it at the next run', async () => {
    const store = memoryStore({ ...emptyAlertState(), incidents: [incident] });
    const sent: string[] = [];
    let fail = true;
    const channel = {
      publish: async (event: SubscriberAnnouncement) => {
        if (fail) throw new Error('SNS down');
        sent.push(event.key);
      },
    };
    const options = { store, channel, windows: [window], title: 'S', nowMs: now };
    const first = await announceToSubscribers(options);
    expect(first.failed.map((failure) => failure.announcement.key)).toEqual(['incident:i1:0']);
    expect(store.state().subscribers?.announced).toEqual({});
    fail = false;
    await announceToSubscribers(options);
    expect(sent).toEqual(['incident:i1:0', `maintenance:Upgrade:${window.start}:start`]);
  });
});
