import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { readCheckupContext } from '../../infra/checkup-app.js';

const read = (context: Record<string, unknown>) => readCheckupContext(new App({ context }));

describe('the CDK app context', () => {
  it('defaults to one region, S3, a check a minute and 90 days of runs', () => {
    const options = read({});
    expect(options).toMatchObject({
      stackName: 'Checkup',
      storage: 's3',
      regions: [],
      configParameterName: '/checkup/config',
    });
    expect(options.schedule.toMinutes()).toBe(1);
    expect(options.checkExpiry.toDays()).toBe(90);
  });

  it('reads every option, regions as a comma list or an array', () => {
    const options = read({
      schedule: '5m',
      storage: 'dynamodb',
      checkExpiry: '14d',
      regions: 'eu-west-1, us-east-1',
      domainName: 'status.example.com',
      alarmEmail: 'ops@example.com',
    });
    expect(options.schedule.toMinutes()).toBe(5);
    expect(options.checkExpiry.toDays()).toBe(14);
    expect(options.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(read({ regions: ['ap-southeast-2'] }).regions).toEqual(['ap-southeast-2']);
    expect(read({}).endpointMetrics).toBe(true);
    expect(read({ endpointMetrics: 'false' }).endpointMetrics).toBe(false);
    expect(read({}).secretsKeyArn).toBeUndefined();
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(read({ secretsKeyArn: key }).secretsKeyArn).toBe(key);
    expect(read({ shardSize: '100', shardConcurrency: 20 })).toMatchObject({
      shardSize: 100,
      shardConcurrency: 20,
    });
    expect(read({}).shardSize).toBeUndefined();
    expect(read({}).pingConcurrency).toBeUndefined();
    expect(read({ pingConcurrency: '5' }).pingConcurrency).toBe(5);
    expect(read({ sesIdentities: 'example.com, alerts@example.org' }).sesIdentities).toEqual([
      'example.com',
      'alerts@example.org',
    ]);
  });

  it.each([
    [{ schedule: 'often' }, /context schedule: "often" is not a duration/],
    [{ schedule: '90s' }, /context schedule: "90s" must be whole minutes/],
    [{ storage: 'redis' }, /context storage: "redis" is not s3 or dynamodb/],
    [{ regions: 'eu-west-1,mars' }, /context regions: "mars" is not a region name/],
    [{ checkExpiry: '0' }, /context checkExpiry/],
    [{ stackName: 'my stack' }, /context stackName/],
    [{ endpointMetrics: 'no' }, /context endpointMetrics: must be true or false/],
    [
      { alertTopicArns: 'arn:aws:sns:eu-west-1:123:x' },
      /context alertTopicArns: "arn:aws:sns:eu-west-1:123:x" is not an SNS topic ARN/,
    ],
    [{ secretsKeyArn: 'alias/checkup' }, /context secretsKeyArn: "alias\/checkup" is not a KMS key ARN/],
    [{ shardSize: '0' }, /context shardSize: "0" is not a whole number from 1 to 10000/],
    [
      { storage: 'dynamodb', shardSize: '1500' },
      /context shardSize: 1500 is over 1000, the most one run item holds with storage=dynamodb/,
    ],
    [{ shardConcurrency: '1' }, /context shardConcurrency: "1" is not a whole number from 2 to 1000/],
    [{ pingConcurrency: '0' }, /context pingConcurrency: "0" must be a whole number from 1 to 1000/],
    [{ sesIdentities: 'example.com,*' }, /context sesIdentities: "\*" is not an SES identity/],
  ])('rejects %j naming the key', (context, message) => {
    expect(() => read(context)).toThrow(message);
  });
});
