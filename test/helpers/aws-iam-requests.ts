import type { IamRequest } from './iam-policy.js';
import { sendingIdentity } from './ses-server.js';

/** A request as it reached the gateway. */
export interface AwsHttpRequest {
  method: string;
  /** Path and query, as on the request line. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type AwsService = 's3' | 'dynamodb' | 'ssm' | 'sns' | 'ses' | 'sqs';

/** Which AWS service a request is for, and what it asks IAM (one entry per action and resource). */
export interface AwsCall {
  service: AwsService;
  /** The API operation (`GetObject`, `PutItem`), for messages. */
  operation: string;
  requests: IamRequest[];
}

/** The request could not be mapped to an IAM action: the gateway refuses it, naming it. */
export class UnmappedRequestError extends Error {
  override readonly name = 'UnmappedRequestError';
}

/**
 * What IAM would evaluate for a request: JSON protocols by their `X-Amz-Target` header
 * (DynamoDB, SSM), SNS's query protocol by its `Action` parameter, SES v2's SendEmail by its path
 * (on the identity the sender is verified as), and S3 by method and path (path-style:
 * `/<bucket>/<key>`).
 */
export function awsCallOf(
  request: AwsHttpRequest,
  where: { region: string; account: string; sesIdentities?: readonly string[] },
): AwsCall {
  const target = header(request, 'x-amz-target');
  if (request.method === 'POST' && request.url.split('?')[0] === '/v2/email/outbound-emails')
    return sesCall(request, where);
  if (target?.startsWith('DynamoDB_20120810.')) return dynamodbCall(target.slice(18), request, where);
  if (target?.startsWith('AmazonSSM.')) return ssmCall(target.slice(10), request, where);
  if (target?.startsWith('AmazonSQS.')) return sqsCall(target.slice(10), request, where);
  const form = header(request, 'content-type')?.startsWith('application/x-www-form-urlencoded');
  if (request.method === 'POST' && form && new URLSearchParams(request.body.toString()).get('Action'))
    return snsCall(new URLSearchParams(request.body.toString()));
  return s3Call(request);
}

function header(request: AwsHttpRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function dynamodbCall(
  operation: string,
  request: AwsHttpRequest,
  where: { region: string; account: string },
): AwsCall {
  const body = JSON.parse(request.body.toString() || '{}') as {
    TableName?: string;
    IndexName?: string;
    RequestItems?: Record<string, BatchItem>;
    Key?: Record<string, { S?: string }>;
    Item?: Record<string, { S?: string }>;
    KeyConditionExpression?: string;
    ExpressionAttributeValues?: Record<string, { S?: string }>;
  };
  const tables = body.RequestItems ? Object.keys(body.RequestItems) : [body.TableName ?? ''];
  const arn = (table: string) =>
    `arn:aws:dynamodb:${where.region}:${where.account}:table/${table}${body.IndexName ? `/index/${body.IndexName}` : ''}`;
  const leadingKey = leadingKeyOf(body);
  return {
    service: 'dynamodb',
    operation,
    requests: tables.map((table) => {
      // A batch: each item's partition key, as IAM gives a multivalued `dynamodb:LeadingKeys`.
      const keys = body.RequestItems ? batchLeadingKeys(body.RequestItems[table]) : leadingKey;
      return {
        action: `dynamodb:${operation}`,
        resource: arn(table),
        ...(keys !== undefined ? { context: { 'dynamodb:LeadingKeys': keys } } : {}),
      };
    }),
  };
}

type ItemKey = Record<string, { S?: string }>;

/** A table's part of a BatchWriteItem (its requests) or BatchGetItem (its `Keys`). */
type BatchItem =
  | Array<{ PutRequest?: { Item?: ItemKey }; DeleteRequest?: { Key?: ItemKey } }>
  | { Keys?: ItemKey[] };

/** The distinct partition keys a batch touches on one table; none known: undefined. */
function batchLeadingKeys(entry: BatchItem | undefined): string[] | undefined {
  const items: Array<ItemKey | undefined> = Array.isArray(entry)
    ? entry.map((request) => request.PutRequest?.Item ?? request.DeleteRequest?.Key)
    : (entry?.Keys ?? []);
  const keys = items.map((item) => item?.pk?.S);
  if (keys.length === 0 || keys.some((key) => key === undefined)) return undefined;
  return [...new Set(keys as string[])];
}

/**
 * `dynamodb:LeadingKeys` of a single-item request or a Query on a checkup table (partition key
 * `pk`): the partition key value it touches.
 */
function leadingKeyOf(body: {
  Key?: Record<string, { S?: string }>;
  Item?: Record<string, { S?: string }>;
  KeyConditionExpression?: string;
  ExpressionAttributeValues?: Record<string, { S?: string }>;
}): string | undefined {
  const item = body.Key ?? body.Item;
  if (item) return item.pk?.S;
  const placeholder = /(?:^|\s|\()pk\s*=\s*(:\w+)/.exec(body.KeyConditionExpression ?? '')?.[1];
  return placeholder ? body.ExpressionAttributeValues?.[placeholder]?.S : undefined;
}

function ssmCall(
  operation: string,
  request: AwsHttpRequest,
  where: { region: string; account: string },
): AwsCall {
  const body = JSON.parse(request.body.toString() || '{}') as {
    Name?: string;
    Path?: string;
    Names?: string[];
  };
  const names = body.Names ?? [body.Name ?? body.Path ?? ''];
  const arn = (name: string) =>
    `arn:aws:ssm:${where.region}:${where.account}:parameter/${name.replace(/^\//, '')}`;
  return {
    service: 'ssm',
    operation,
    requests: names.map((name) => ({ action: `ssm:${operation}`, resource: arn(name) })),
  };
}

/**
 * SQS's JSON protocol: the queue ARN from the QueueUrl (`<host>/<account>/<name>`, the region from
 * an AWS host, else the gateway's); a batch send needs sqs:SendMessage.
 */
function sqsCall(operation: string, request: AwsHttpRequest, where: { region: string }): AwsCall {
  const body = JSON.parse(request.body.toString() || '{}') as { QueueUrl?: string };
  const url = new URL(body.QueueUrl ?? 'https://sqs.invalid/');
  const [account = '', name = ''] = url.pathname.slice(1).split('/');
  const region = /^sqs\.([^.]+)\./.exec(url.hostname)?.[1] ?? where.region;
  const action = operation.replace(/Batch$/, '');
  return {
    service: 'sqs',
    operation,
    requests: [{ action: `sqs:${action}`, resource: `arn:aws:sqs:${region}:${account}:${name}` }],
  };
}

function snsCall(params: URLSearchParams): AwsCall {
  const operation = params.get('Action') ?? '';
  const resource = params.get('TopicArn') ?? params.get('TargetArn') ?? '';
  // Subscribe carries the protocol and endpoint as condition keys (sns:Protocol, sns:Endpoint).
  const context =
    operation === 'Subscribe'
      ? { 'sns:Protocol': params.get('Protocol') ?? '', 'sns:Endpoint': params.get('Endpoint') ?? '' }
      : undefined;
  return {
    service: 'sns',
    operation,
    requests: [{ action: `sns:${operation}`, resource, ...(context ? { context } : {}) }],
  };
}

/** SendEmail is authorized on the identity the mail is sent as (the address, or its domain). */
function sesCall(
  request: AwsHttpRequest,
  where: { region: string; account: string; sesIdentities?: readonly string[] },
): AwsCall {
  const from =
    (JSON.parse(request.body.toString() || '{}') as { FromEmailAddress?: string }).FromEmailAddress ?? '';
  const identity = sendingIdentity(from, new Set(where.sesIdentities ?? [])) ?? from;
  return {
    service: 'ses',
    operation: 'SendEmail',
    requests: [
      {
        action: 'ses:SendEmail',
        resource: `arn:aws:ses:${where.region}:${where.account}:identity/${identity}`,
      },
    ],
  };
}

function s3Call(request: AwsHttpRequest): AwsCall {
  const url = new URL(request.url, 'http://gateway');
  const [bucket = '', ...rest] = url.pathname.slice(1).split('/');
  const key = decodeURIComponent(rest.join('/'));
  const objectArn = `arn:aws:s3:::${bucket}/${key}`;
  const bucketArn = `arn:aws:s3:::${bucket}`;
  const query = url.searchParams;
  const s3 = (operation: string, requests: IamRequest[]): AwsCall => ({ service: 's3', operation, requests });
  if (!bucket) throw new UnmappedRequestError(`S3 ${request.method} ${request.url}: no bucket in the path`);
  if (key) {
    const plain = [...query.keys()].every((name) => name.startsWith('x-id') || name.startsWith('x-amz-'));
    if (!plain) throw new UnmappedRequestError(`S3 ${request.method} ${request.url}: an object subresource`);
    if (request.method === 'GET') return s3('GetObject', [{ action: 's3:GetObject', resource: objectArn }]);
    if (request.method === 'HEAD') return s3('HeadObject', [{ action: 's3:GetObject', resource: objectArn }]);
    if (request.method === 'DELETE')
      return s3('DeleteObject', [{ action: 's3:DeleteObject', resource: objectArn }]);
    if (request.method === 'PUT' && header(request, 'x-amz-copy-source') === undefined)
      return s3('PutObject', [{ action: 's3:PutObject', resource: objectArn }]);
  } else {
    if ((request.method === 'GET' && !query.has('location')) || request.method === 'HEAD') {
      const prefix = query.get('prefix');
      return s3(request.method === 'HEAD' ? 'HeadBucket' : 'ListObjects', [
        {
          action: 's3:ListBucket',
          resource: bucketArn,
          ...(prefix !== null ? { context: { 's3:prefix': prefix } } : {}),
        },
      ]);
    }
    if (request.method === 'POST' && query.has('delete')) {
      const keys = [...request.body.toString().matchAll(/<Key>([^<]*)<\/Key>/g)].map((match) =>
        xmlText(match[1] ?? ''),
      );
      return s3(
        'DeleteObjects',
        keys.map((name) => ({ action: 's3:DeleteObject', resource: `${bucketArn}/${name}` })),
      );
    }
  }
  throw new UnmappedRequestError(`S3 ${request.method} ${request.url}: not an operation the gateway knows`);
}

function xmlText(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
