// The functions' logs and metrics as Lambda and CloudWatch take them: JSON lines with a level and
// an RFC 3339 timestamp, filtered by the level Lambda's advanced logging controls set; EMF lines
// only with timestamps CloudWatch accepts; ColdStart once per execution environment.
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alerts/alert.js';
import type { Notifier } from '../../core/alerts/notifier.js';
import { AlertDeliveryError } from '../../core/alerts/process-run.js';
import { withAlertMetrics } from '../../functions/alert-metrics.js';
import { Logger, logLevelFrom } from '../../functions/log.js';
import { METRIC_NAMES, METRICS_NAMESPACE } from '../../functions/metric-names.js';
import { Metrics, startInvocation } from '../../functions/metrics.js';
import { lambdaContext } from './lambda-context.js';

function recorder() {
  const lines: string[] = [];
  return {
    write: (line: string) => void lines.push(line),
    parsed: () => lines.map((line) => JSON.parse(line)),
  };
}

const saved = process.env.AWS_LAMBDA_LOG_LEVEL;
afterEach(() => {
  if (saved === undefined) delete process.env.AWS_LAMBDA_LOG_LEVEL;
  else process.env.AWS_LAMBDA_LOG_LEVEL = saved;
});

describe('the functions logger', () => {
  it.each([
    ['TRACE', ['debug', 'info', 'warn', 'error']],
    ['DEBUG', ['debug', 'info', 'warn', 'error']],
    ['INFO', ['info', 'warn', 'error']],
    ['WARN', ['warn', 'error']],
    ['ERROR', ['error']],
    ['FATAL', []],
    [undefined, ['info', 'warn', 'error']],
  ])('with AWS_LAMBDA_LOG_LEVEL=%s writes %j', (level, written) => {
    if (level === undefined) delete process.env.AWS_LAMBDA_LOG_LEVEL;
    else process.env.AWS_LAMBDA_LOG_LEVEL = level;
    const out = recorder();
    const log = new Logger({ service: 'test' }, { write: out.write }).with({ requestId: 'r1' });
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(out.parsed().map((line) => line.level)).toEqual(written);
  });

  it('writes level, message and an RFC 3339 timestamp, which Lambda needs to keep the level', () => {
    const out = recorder();
    new Logger({ service: 'test' }, { write: out.write, level: 'info' }).warn('careful', { n: 1 });
    const [line] = out.parsed();
    expect(line).toMatchObject({ level: 'warn', message: 'careful', service: 'test', n: 1 });
    expect(line.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('reads unknown levels as info, as Lambda does', () => {
    expect(logLevelFrom('verbose')).toBe('info');
    expect(logLevelFrom(' warn ')).toBe('warn');
  });
});

describe('the functions metrics', () => {
  const NOW = Date.UTC(2026, 10, 30, 12);

  it.each([
    ['now', NOW, true],
    ['13 days ago', NOW - 13 * 24 * 3600_000, true],
    ['15 days ago', NOW - 15 * 24 * 3600_000, false],
    ['1 hour ahead', NOW + 3600_000, true],
    ['3 hours ahead', NOW + 3 * 3600_000, false],
    ['not a number', Number.NaN, false],
  ])('at %s: written %s (CloudWatch drops EMF older than 14 days or over 2 hours ahead)', (_, at, kept) => {
    const metricsOut = recorder();
    const logOut = recorder();
    const log = new Logger({}, { write: logOut.write, level: 'info' });
    const metrics = new Metrics({ write: metricsOut.write, log, now: () => NOW });
    metrics.put([{ name: METRIC_NAMES.up, value: 1, unit: 'None' }], { Endpoint: 'API' }, at);
    expect(metricsOut.parsed()).toHaveLength(kept ? 1 : 0);
    if (kept) expect(metricsOut.parsed()[0]._aws.Timestamp).toBe(at);
    else expect(logOut.parsed()).toEqual([expect.objectContaining({ level: 'warn', metrics: ['Up'] })]);
  });

  it('marks only the first invocation of an environment as a cold start, with the ColdStart metric', () => {
    const out = recorder();
    const log = new Logger({ service: 'checkup-check' }, { write: out.write, level: 'info' });
    const metrics = new Metrics({ service: 'checkup-check', write: out.write });
    const context = lambdaContext('Checkup-Check');
    startInvocation(context, { log, metrics }).info('first');
    startInvocation(lambdaContext('Checkup-Check'), { log, metrics }).info('second');
    const lines = out.parsed();
    expect(lines.filter((line) => line._aws)).toEqual([
      {
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [
            {
              Namespace: METRICS_NAMESPACE,
              Dimensions: [['service', 'function_name']],
              Metrics: [{ Name: 'ColdStart', Unit: 'Count' }],
            },
          ],
        },
        service: 'checkup-check',
        function_name: 'Checkup-Check',
        ColdStart: 1,
      },
    ]);
    expect(lines.filter((line) => line.message).map((line) => [line.message, line.cold_start])).toEqual([
      ['first', true],
      ['second', false],
    ]);
    expect(lines.find((line) => line.message === 'first')).toMatchObject({
      function_name: 'Checkup-Check',
      requestId: context.awsRequestId,
    });
  });

  it('counts alerts sent and failed per notifier type when delivery fails', async () => {
    const out = recorder();
    const metrics = new Metrics({ write: out.write });
    const notifier = (id: string, type: string) => ({ id, type }) as unknown as Notifier;
    const alert = (notifierId: string) => ({ id: `${notifierId}-a`, notifierId }) as Alert;
    const outcome = {
      deliveries: [
        { alert: alert('slack-1'), ok: true as const, tries: 1 },
        { alert: alert('hook-1'), ok: false as const, tries: 3, error: 'hook-1: answered 500' },
        { alert: alert('hook-2'), ok: true as const, tries: 1 },
      ],
      dropped: [],
      failingNotifiers: [],
    };
    const failure = new AlertDeliveryError([outcome.deliveries[1] as never], outcome);
    await expect(
      withAlertMetrics(
        metrics,
        [notifier('slack-1', 'slack'), notifier('hook-1', 'webhook'), notifier('hook-2', 'webhook')],
        Promise.reject(failure),
      ),
    ).rejects.toBe(failure);
    expect(
      out
        .parsed()
        .filter((line) => 'NotifierType' in line)
        .map((line) => [line.NotifierType, line.AlertsSent, line.AlertsFailed]),
    ).toEqual([
      ['slack', 1, 0],
      ['webhook', 1, 1],
    ]);
  });
});
