import type { AlertStateStore } from '../alerts/alert-state-store.js';
import { updateAlertState } from '../alerts/process-run.js';
import type { MaintenanceWindow } from '../maintenance/maintenance-window.js';
import { type SubscriberAnnouncement, subscriberAnnouncements } from './subscriber-announcements.js';

/** Where announcements go (an SNS topic the subscribers confirmed). */
export interface AnnouncementChannel {
  publish(announcement: SubscriberAnnouncement): Promise<void>;
}

export interface AnnounceOptions {
  store: AlertStateStore;
  channel: AnnouncementChannel;
  /** The config's windows (the stored ones are read from the state). */
  windows: readonly MaintenanceWindow[];
  title: string;
  pageUrl?: string;
  nowMs: number;
  horizonMs?: number;
}

/** What was told, and what could not be (released, so the next run tries it again). */
export interface AnnounceOutcome {
  sent: SubscriberAnnouncement[];
  failed: Array<{ announcement: SubscriberAnnouncement; error: unknown }>;
}

/**
 * Tells the subscribers each incident update and maintenance start or end once: the events due
 * are first claimed in the alert state (a conditional save, so of two notify invocations racing
 * only one claims an event), then published in order. An event whose publish fails is released
 * with those after it, and the next run's notify sends them, while they are within the horizon.
 */
export async function announceToSubscribers(options: AnnounceOptions): Promise<AnnounceOutcome> {
  const { value: due } = await updateAlertState(options.store, (state) => {
    const { due, announced } = subscriberAnnouncements({
      incidents: state.incidents ?? [],
      windows: [...options.windows, ...(state.maintenance ?? [])],
      announced: state.subscribers?.announced ?? {},
      nowMs: options.nowMs,
      title: options.title,
      ...(options.pageUrl ? { pageUrl: options.pageUrl } : {}),
      ...(options.horizonMs ? { horizonMs: options.horizonMs } : {}),
    });
    return { state: due.length > 0 ? { ...state, subscribers: { announced } } : state, value: due };
  });
  const outcome: AnnounceOutcome = { sent: [], failed: [] };
  for (const [index, announcement] of due.entries()) {
    try {
      await options.channel.publish(announcement);
      outcome.sent.push(announcement);
    } catch (error) {
      const unsent = due.slice(index);
      outcome.failed.push({ announcement, error });
      await updateAlertState(options.store, (state) => {
        const announced = { ...state.subscribers?.announced };
        for (const event of unsent) delete announced[event.key];
        return { state: { ...state, subscribers: { announced } }, value: undefined };
      });
      break;
    }
  }
  return outcome;
}
