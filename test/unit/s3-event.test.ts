import type { S3Event } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { objectsOf } from '../../functions/s3-event.js';

function eventFor(...keys: string[]): S3Event {
  return {
    Records: keys.map((key) => ({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'eu-west-1',
      eventTime: '2026-11-24T22:00:00.000Z',
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: 'AWS:AIDAEXAMPLE' },
      requestParameters: { sourceIPAddress: '10.0.0.1' },
      responseElements: { 'x-amz-request-id': 'R', 'x-amz-id-2': 'I' },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'notify',
        bucket: { name: 'results', ownerIdentity: { principalId: 'O' }, arn: 'arn:aws:s3:::results' },
        object: { key, size: 10, eTag: 'e', sequencer: '0A' },
      },
    })),
  };
}

describe('objectsOf', () => {
  it('returns every record of the event, in order', () => {
    expect(objectsOf(eventFor('checks/1-check.json', 'checks/2-check.json'))).toEqual([
      { bucket: 'results', key: 'checks/1-check.json' },
      { bucket: 'results', key: 'checks/2-check.json' },
    ]);
  });

  it('decodes keys as S3 encodes them in events (+ for space, %XX escapes)', () => {
    expect(objectsOf(eventFor('my+runs/a%2Bb%C3%A9.json'))).toEqual([
      { bucket: 'results', key: 'my runs/a+bé.json' },
    ]);
  });

  it('returns nothing for an event with no records', () => {
    expect(objectsOf({ Records: [] })).toEqual([]);
  });
});
