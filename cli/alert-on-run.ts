import { createAlertStateStore } from '../adapters/alerts/create-alert-state-store.js';
import { awsSdk } from '../adapters/aws/aws-sdk.js';
import { createNotifiers } from '../adapters/notifiers/create-notifiers.js';
import { type SecretReader, usesSsm } from '../adapters/notifiers/resolve-secrets.js';
import type { Notifier } from '../core/alerts/notifier.js';
import { AlertDeliveryError, type ProcessRunOutcome, processRun } from '../core/alerts/process-run.js';
import { dependencyMap } from '../core/config/checker-dependencies.js';
import type { Config } from '../core/config/parse-config.js';
import { quorumsOf, voteStoredRun } from '../core/regions/vote-stored-run.js';
import type { Result } from '../core/result.js';
import type { Storage } from '../core/storage.js';
import { terminalText } from './terminal-text.js';

/** What the CLI needs to alert on each stored run. */
export interface RunAlerter {
  /** Applies a stored run; resolves false when an alert could not be delivered (it stays queued). */
  alert(results: readonly Result[]): Promise<boolean>;
}

/**
 * Builds the notifiers the config lists (reading `ssm:` secrets through SSM, with the AWS
 * credentials of the environment) and the alert state beside the stored runs, which is kept
 * with no notifier too: automatic incidents follow it. A regional run (`--region`) alerts on the
 * vote of the regions' runs in `storage` (see voteStoredRun), with `intervalMs` the interval they
 * run at.
 */
export async function createRunAlerter(
  config: Config,
  storage: Pick<Storage, 'list' | 'read'>,
  intervalMs?: number,
): Promise<RunAlerter> {
  const notifiers = await buildNotifiers(config);
  const stateStore = createAlertStateStore(config.storage);
  const dependsOn = dependencyMap(config.checkers);
  const checked = config.checkers.map((checker) => checker.endpoint_name);
  return {
    async alert(results) {
      try {
        const voted = await voteStoredRun(storage, results, { quorumFor: quorumsOf(config), intervalMs });
        reportDeliveries(await processRun(voted, { stateStore, notifiers, dependsOn, checked }));
        return true;
      } catch (error) {
        if (!(error instanceof AlertDeliveryError)) throw error;
        reportDeliveries(error.outcome);
        process.stderr.write(`checkup: ${terminalText(error.message)} (kept; retried after the next run)\n`);
        return false;
      }
    },
  };
}

/**
 * Every alert sent or failed gets a line, so the screen tells the same story as the notifiers
 * and the alert state; a notifier that keeps failing gets an alarm line of its own.
 */
function reportDeliveries(outcome: ProcessRunOutcome): void {
  const at = new Date().toISOString();
  for (const delivery of outcome.deliveries) {
    const { notifierId, kind, title } = delivery.alert;
    const line = delivery.ok
      ? `alerted ${notifierId}: ${kind} ${title}`
      : `not alerted ${notifierId}: ${kind} ${title}: ${delivery.error}`;
    process.stderr.write(`${at} ${terminalText(line)}\n`);
  }
  for (const failing of outcome.failingNotifiers)
    process.stderr.write(
      `checkup: ALARM: notifier ${terminalText(`"${failing.notifierId}" keeps failing: ${failing.failures} deliveries in a row since ${new Date(failing.failingSince).toISOString()}; last error: ${failing.lastError}`)}\n`,
    );
}

/** The config's notifiers, secrets read. */
export async function buildNotifiers(config: Config): Promise<Notifier[]> {
  return createNotifiers(config.notifiers, { readSecret: await secretReader(config) });
}

async function secretReader(config: Config): Promise<SecretReader | undefined> {
  if (!config.notifiers.some(usesSsm)) return undefined;
  // Loaded only when a secret lives in SSM: the AWS SDK takes a while to load.
  const [{ SSMClient }, { ssmSecretReader }] = await Promise.all([
    awsSdk.ssm(),
    import('../adapters/notifiers/ssm-secret-reader.js'),
  ]);
  return ssmSecretReader({ client: new SSMClient({}) });
}
