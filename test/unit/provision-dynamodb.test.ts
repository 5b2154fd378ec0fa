import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { provisionDynamodb } from '../../adapters/storage/provision-dynamodb.js';

// DynamoDB's TTL answers, which dynalite (no TTL API) cannot give: a mock of the client.
const dynamodb = mockClient(DynamoDBClient);
beforeEach(() => {
  dynamodb.on(DescribeTableCommand).resolves({
    Table: {
      TableStatus: 'ACTIVE',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    },
  });
});
afterEach(() => dynamodb.reset());

const config = { type: 'dynamodb' as const, table: 'results', region: 'eu-west-1' };

describe('provisionDynamodb against DynamoDB TTL answers', () => {
  it('switches TTL on for expires when it is off', async () => {
    dynamodb
      .on(DescribeTimeToLiveCommand)
      .resolves({ TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } });
    const report = await provisionDynamodb(config);
    expect(dynamodb.commandCalls(UpdateTimeToLiveCommand)[0]?.args[0].input).toEqual({
      TableName: 'results',
      TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true },
    });
    expect(report.done).toEqual([
      'the table results already exists',
      'switched TTL on for expires in results',
    ]);
  });

  it('leaves TTL on expires alone', async () => {
    dynamodb
      .on(DescribeTimeToLiveCommand)
      .resolves({ TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' } });
    const report = await provisionDynamodb(config);
    expect(dynamodb.commandCalls(UpdateTimeToLiveCommand)).toEqual([]);
    expect(report.done).toContain('TTL on expires is already on for results');
  });

  it('reports TTL on another attribute (a table has one) and does not change it', async () => {
    dynamodb
      .on(DescribeTimeToLiveCommand)
      .resolves({ TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'ttl' } });
    const report = await provisionDynamodb(config);
    expect(dynamodb.commandCalls(UpdateTimeToLiveCommand)).toEqual([]);
    expect(report.notices).toEqual([
      'results has TTL on ttl, not expires: left as it is, so check_expiry will not delete items',
    ]);
  });
});
