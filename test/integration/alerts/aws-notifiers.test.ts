import { PublishCommand, SNSClient, ThrottledException } from '@aws-sdk/client-sns';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNotifiers } from '../../../adapters/notifiers/create-notifiers.js';
import { ssmSecretReader } from '../../../adapters/notifiers/ssm-secret-reader.js';
import { deliverAlerts } from '../../../core/alerts/deliver-alerts.js';
import { DEFAULT_RETRY_POLICY } from '../../../core/alerts/retry-delay.js';
import { testAlert } from '../../../core/alerts/test-alert.js';
import type { NotifierConfig } from '../../../core/config/notifier-schemas.js';
import { validateConfig } from '../../../core/config/parse-config.js';
import { type RecordingServer, startRecordingServer } from '../../helpers/recording-server.js';
import { minute } from '../../helpers/results.js';

// No SSM or SNS emulator exists: these two clients are mocked (aws-sdk-client-mock), the
// webhook they lead to is a real loopback server.
const ssm = mockClient(SSMClient);
const sns = mockClient(SNSClient);
const retry = { ...DEFAULT_RETRY_POLICY, attempts: 3, baseDelayMs: 5, maxDelayMs: 20 };
let server: RecordingServer;

beforeEach(async () => {
  ssm.reset();
  sns.reset();
  server = await startRecordingServer();
});
afterEach(() => server.close());

function notifierConfigs(...items: unknown[]): NotifierConfig[] {
  return validateConfig({ checkers: [], notifiers: items }).notifiers;
}

describe('ssm: secrets', () => {
  it('reads ssm:/path values decrypted at run time and posts to the URL they hold', async () => {
    ssm.on(GetParameterCommand, { Name: '/checkup/slack-webhook', WithDecryption: true }).resolves({
      Parameter: { Value: `${server.url}/hooks/secret` },
    });
    const readSecret = ssmSecretReader({ client: new SSMClient({ region: 'eu-west-1' }) });
    const notifiers = await createNotifiers(
      notifierConfigs({ type: 'slack', webhook: 'ssm:/checkup/slack-webhook' }),
      {
        readSecret,
      },
    );
    const [outcome] = await deliverAlerts([testAlert('slack', minute(0))], notifiers, { retry });
    expect(outcome?.ok).toBe(true);
    expect(server.requests.map((request) => request.path)).toEqual(['/hooks/secret']);
  });

  it('reads ssm:/path values in webhook headers, and sends them only as headers', async () => {
    ssm
      .on(GetParameterCommand, { Name: '/checkup/hook-token' })
      .resolves({ Parameter: { Value: 'Bearer t0k3n' } });
    const readSecret = ssmSecretReader({ client: new SSMClient({ region: 'eu-west-1' }) });
    const notifiers = await createNotifiers(
      notifierConfigs({
        type: 'webhook',
        url: server.url,
        headers: { authorization: 'ssm:/checkup/hook-token' },
      }),
      { readSecret },
    );
    await deliverAlerts([testAlert('webhook', minute(0))], notifiers, { retry });
    expect(server.requests[0]?.headers.authorization).toBe('Bearer t0k3n');
    expect(server.requests[0]?.body).not.toContain('t0k3n');
  });

  it('reads each parameter once while its cache is fresh, and again after', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'value' } });
    let now = 0;
    const read = ssmSecretReader({
      client: new SSMClient({ region: 'eu-west-1' }),
      cacheMs: 1000,
      now: () => now,
    });
    await read('/a');
    await read('/a');
    now = 1500;
    await read('/a');
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });

  it('names the parameter and the place, never a value, when a parameter is missing, and still alerts through the others', async () => {
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
    const readSecret = ssmSecretReader({ client: new SSMClient({ region: 'eu-west-1' }) });
    const notifiers = await createNotifiers(
      notifierConfigs({ type: 'webhook', url: server.url }, { type: 'webhook', url: 'ssm:/checkup/missing' }),
      { readSecret },
    );
    const outcomes = await deliverAlerts(
      [testAlert('webhook#1', minute(0)), testAlert('webhook#2', minute(0))],
      notifiers,
      { retry },
    );
    expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, false]);
    expect(outcomes[1]).toMatchObject({
      tries: 1,
      error:
        'webhook#2: notifiers[1].url: cannot read SSM parameter /checkup/missing (ParameterNotFound: not found)',
    });
    expect(server.requests).toHaveLength(1);
  });

  it('refuses an ssm: value where no SSM reader is available', async () => {
    const [notifier] = await createNotifiers(notifierConfigs({ type: 'discord', webhook: 'ssm:/x' }));
    const [outcome] = await deliverAlerts([testAlert('discord', minute(0))], notifier ? [notifier] : [], {
      retry,
    });
    expect(outcome).toMatchObject({
      ok: false,
      error: 'discord: notifiers[0].webhook: ssm:/x needs SSM, which is not available here',
    });
  });
});

describe('sns notifier', () => {
  const topic = 'arn:aws:sns:eu-west-1:123456789012:checkup-alerts';

  it('publishes the alert to the topic with a subject and the facts', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const notifiers = await createNotifiers(notifierConfigs({ type: 'sns', topic_arn: topic }));
    const outcomes = await deliverAlerts([testAlert('sns', minute(0))], notifiers, { retry });
    expect(outcomes).toMatchObject([{ ok: true, tries: 1 }]);
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      TopicArn: topic,
      Subject: 'Test alert from checkup: notifier "sns" works',
    });
    expect(input?.Message).toContain('Status: healthy');
  });

  it('retries when SNS throttles, then delivers', async () => {
    sns
      .on(PublishCommand)
      .rejectsOnce(new ThrottledException({ message: 'slow down', $metadata: { httpStatusCode: 400 } }))
      .resolves({ MessageId: 'm-2' });
    const notifiers = await createNotifiers(notifierConfigs({ type: 'sns', topic_arn: topic }));
    const outcomes = await deliverAlerts([testAlert('sns', minute(0))], notifiers, { retry });
    expect(outcomes).toMatchObject([{ ok: true, tries: 2 }]);
  });

  it('does not retry an error that will not pass, and says what it was', async () => {
    sns.on(PublishCommand).rejects(
      Object.assign(new Error('Topic does not exist'), {
        name: 'NotFoundException',
        $metadata: { httpStatusCode: 404 },
      }),
    );
    const notifiers = await createNotifiers(notifierConfigs({ type: 'sns', topic_arn: topic }));
    const outcomes = await deliverAlerts([testAlert('sns', minute(0))], notifiers, { retry });
    expect(outcomes).toMatchObject([
      { ok: false, tries: 1, error: 'sns: SNS NotFoundException (HTTP 404): Topic does not exist' },
    ]);
  });
});
