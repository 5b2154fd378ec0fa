import { describe, expect, it } from 'vitest';
import { deploymentLimits } from '../../functions/deployment-limits.js';
import { MissingEnvironmentError, readEnv } from '../../functions/env.js';
import { readShardEnv } from '../../functions/shard-env.js';

describe('readEnv', () => {
  it('returns the required and the optional variables that are set', () => {
    expect(readEnv(['A'], ['B', 'C'], { A: 'a', B: 'b' })).toEqual({ A: 'a', B: 'b' });
  });

  it('fails at once naming every missing or empty required variable', () => {
    expect(() =>
      readEnv(['CHECKUP_BUCKET', 'CHECKUP_TABLE', 'SET'], [], { CHECKUP_TABLE: '', SET: 'x' }),
    ).toThrow(new MissingEnvironmentError('missing environment variables: CHECKUP_BUCKET, CHECKUP_TABLE'));
  });
});

describe('readShardEnv', () => {
  const bucket = { CHECKUP_BUCKET: 'b', CHECKUP_BUCKET_REGION: 'eu-west-1', CHECKUP_RUN_PREFIX: 'checks/' };

  it('reads the table a shard stores in, and fails the cold start naming it when dynamodb has none', () => {
    expect(readShardEnv({ ...bucket, CHECKUP_STORAGE: 'dynamodb', CHECKUP_TABLE: 't' })).toMatchObject({
      CHECKUP_STORAGE: 'dynamodb',
      CHECKUP_TABLE: 't',
    });
    expect(() => readShardEnv({ ...bucket, CHECKUP_STORAGE: 'dynamodb' })).toThrow(
      new MissingEnvironmentError(
        'missing environment variable: CHECKUP_TABLE (CHECKUP_STORAGE is dynamodb)',
      ),
    );
    expect(readShardEnv(bucket).CHECKUP_TABLE).toBeUndefined();
  });
});

describe('deploymentLimits', () => {
  it('reads the granted topics the stack gives the functions, and checks nothing when unset', () => {
    const topic = 'arn:aws:sns:eu-west-1:123456789012:oncall';
    expect(deploymentLimits(JSON.stringify([topic]))).toEqual({ grantedTopics: [topic] });
    expect(deploymentLimits('[]')).toEqual({ grantedTopics: [] });
    expect(deploymentLimits(undefined)).toEqual({});
  });

  it('fails the cold start naming the variable when the value is not a list of ARNs', () => {
    expect(() => deploymentLimits('arn:aws:sns:eu-west-1:123456789012:oncall')).toThrow(
      'CHECKUP_ALERT_TOPIC_ARNS: not a JSON list of topic ARNs',
    );
    expect(() => deploymentLimits('[1]')).toThrow('CHECKUP_ALERT_TOPIC_ARNS');
  });
});
