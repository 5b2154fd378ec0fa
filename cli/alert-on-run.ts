import { createAlertStateStore } from '../adapters/alerts/create-alert-state-store.js';
import { awsSdk } from '../adapters/aws/aws-sdk.js';
import { createNotifiers } from '../adapters/notifiers/create-notifiers.js';
import { type SecretReader, usesSsm } from '../adapters/notifiers/resolve-secrets.js';
import type { Notifier } from '../core/alerts/notifier.js';
import { AlertDeliveryError, processRun } from '../core/alerts/process-run.js';
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
 * credentials of the environment) and the alert state beside the stored runs. Undefined when the
 * config has no notifiers. A regional run (`--region`) alerts on the vote of the regions' runs in
 * `storage` (see voteStoredRun), with `intervalMs` the interval they run at.
 */
export async function createRunAlerter(
  config: Config,
  storage: Pick<Storage, 'list' | 'read'>,
  intervalMs?: number,
): Promise<RunAlerter | undefined> {
  if (config.notifiers.length === 0) return undefined;
  const notifiers = await buildNotifiers(config);
  const stateStore = createAlertStateStore(config.storage);
  return {
    async alert(results) {
      try {
        const voted = await voteStoredRun(storage, results, { quorumFor: quorumsOf(config), intervalMs });
        const outcome = await processRun(voted, { stateStore, notifiers });
        // Every alert sent gets a line, so the screen tells the same story as the notifiers.
        for (const delivery of outcome.deliveries)
          process.stderr.write(
            `${new Date().toISOString()} ${terminalText(`alerted ${delivery.alert.notifierId}: ${delivery.alert.kind} ${delivery.alert.title}`)}\n`,
          );
        return true;
      } catch (error) {
        if (!(error instanceof AlertDeliveryError)) throw error;
        process.stderr.write(`checkup: ${error.message} (kept; retried after the next run)\n`);
        return false;
      }
    },
  };
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
