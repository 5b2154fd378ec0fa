import type { DynamoDBClient, TableDescription } from '@aws-sdk/client-dynamodb';
import type { DynamodbStorageConfig } from '../../core/config/storage-schemas.js';
import { RESULTS_LAYOUT } from '../../core/results-layout.js';
import { dynamodbSdk } from './dynamodb-sdk.js';
import { resultsTableDefinition } from './dynamodb-storage.js';
import type { ProvisionReport } from './provision-report.js';

/** How long a new table may take to become ACTIVE before provisioning gives up. */
const ACTIVE_WITHIN_MS = 5 * 60_000;

/**
 * The results table: created if missing with checkup's keys (`pk`, `sk`, strings; on-demand
 * billing), TTL switched on for `expires`. A table that exists is checked for those keys and
 * otherwise left as it is. An emulator without the TTL API (dynalite) gets a notice.
 */
export async function provisionDynamodb(config: DynamodbStorageConfig): Promise<ProvisionReport> {
  const sdk = await dynamodbSdk();
  const client = new sdk.DynamoDBClient({
    ...(config.region ? { region: config.region } : {}),
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
  });
  const report: ProvisionReport = { done: [], notices: [], next: [] };
  const TableName = config.table;
  try {
    const existing = await describeTable(client, TableName);
    if (existing) {
      checkKeys(existing, TableName);
      report.done.push(`the table ${TableName} already exists`);
    } else {
      await client.send(new sdk.CreateTableCommand(resultsTableDefinition(TableName)));
      await waitUntilActive(client, TableName);
      report.done.push(`created the table ${TableName} (keys pk and sk, on-demand billing)`);
    }
    await enableTtl(client, TableName, report);
  } finally {
    client.destroy();
  }
  report.next.push(
    `The status page reads ${TableName} through "checkup serve" (run where AWS credentials can read it) or through the CDK deployment (docs/deploy-aws.md).`,
  );
  return report;
}

async function describeTable(
  client: DynamoDBClient,
  TableName: string,
): Promise<TableDescription | undefined> {
  const { DescribeTableCommand } = await dynamodbSdk();
  try {
    return (await client.send(new DescribeTableCommand({ TableName }))).Table;
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/** A table made for something else would fail at the first store: say so now. */
function checkKeys(table: TableDescription, TableName: string): void {
  const type = (name: string) =>
    table.AttributeDefinitions?.find((a) => a.AttributeName === name)?.AttributeType;
  const keys = (table.KeySchema ?? []).map(
    (k) => `${k.AttributeName}:${k.KeyType}:${type(k.AttributeName ?? '')}`,
  );
  const want = [`${RESULTS_LAYOUT.table.partitionKey}:HASH:S`, `${RESULTS_LAYOUT.table.sortKey}:RANGE:S`];
  if (keys.join() !== want.join())
    throw new Error(
      `the table ${TableName} exists with keys ${keys.join(', ') || 'unknown'}; checkup needs ${want.join(', ')} (name:key type:attribute type)`,
    );
}

async function waitUntilActive(client: DynamoDBClient, TableName: string): Promise<void> {
  const deadline = Date.now() + ACTIVE_WITHIN_MS;
  for (;;) {
    const table = await describeTable(client, TableName);
    if (table?.TableStatus === 'ACTIVE') return;
    if (Date.now() > deadline)
      throw new Error(`the table ${TableName} did not become ACTIVE within 5 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** TTL on `expires`, so DynamoDB deletes what check_expiry marks; one TTL attribute per table. */
async function enableTtl(client: DynamoDBClient, TableName: string, report: ProvisionReport): Promise<void> {
  const { DescribeTimeToLiveCommand, UpdateTimeToLiveCommand } = await dynamodbSdk();
  const attribute = RESULTS_LAYOUT.table.ttlAttribute;
  try {
    const ttl = (await client.send(new DescribeTimeToLiveCommand({ TableName }))).TimeToLiveDescription;
    const on = ttl?.TimeToLiveStatus === 'ENABLED' || ttl?.TimeToLiveStatus === 'ENABLING';
    if (on && ttl?.AttributeName === attribute) {
      report.done.push(`TTL on ${attribute} is already on for ${TableName}`);
      return;
    }
    if (on) {
      report.notices.push(
        `${TableName} has TTL on ${ttl?.AttributeName}, not ${attribute}: left as it is, so check_expiry will not delete items`,
      );
      return;
    }
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName,
        TimeToLiveSpecification: { AttributeName: attribute, Enabled: true },
      }),
    );
    report.done.push(`switched TTL on for ${attribute} in ${TableName}`);
  } catch (error) {
    if (!(error instanceof Error && error.name === 'UnknownOperationException')) throw error;
    report.notices.push(
      `this DynamoDB endpoint has no TTL API (an emulator such as dynalite?): items past check_expiry are skipped by reads but not deleted`,
    );
  }
}
