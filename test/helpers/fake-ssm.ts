import {
  DeleteParametersCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';

/**
 * SSM Parameter Store kept in a Map, behind aws-sdk-client-mock (no SSM emulator exists): the
 * four calls Checkup makes, with SSM's paging (10 per page) and not-found error.
 */
export function fakeSsm() {
  const parameters = new Map<string, { value: string; tier: string }>();
  const mock = mockClient(SSMClient);
  mock.on(PutParameterCommand).callsFake((input) => {
    if (!input.Overwrite && parameters.has(input.Name)) throw new Error('ParameterAlreadyExists');
    parameters.set(input.Name, { value: input.Value, tier: input.Tier ?? 'Standard' });
    return { Version: 1 };
  });
  mock.on(GetParameterCommand).callsFake((input) => {
    const found = parameters.get(input.Name);
    if (!found) throw new ParameterNotFound({ message: 'not found', $metadata: {} });
    return { Parameter: { Name: input.Name, Value: found.value } };
  });
  mock.on(GetParametersByPathCommand).callsFake((input) => {
    const prefix = `${input.Path}/`;
    const all = [...parameters.keys()]
      .filter((name) => name.startsWith(prefix) && !name.slice(prefix.length).includes('/'))
      .sort();
    const start = Number(input.NextToken ?? 0);
    const page = all.slice(start, start + 10);
    return {
      Parameters: page.map((name) => ({ Name: name, Value: parameters.get(name)?.value })),
      ...(start + 10 < all.length ? { NextToken: String(start + 10) } : {}),
    };
  });
  mock.on(DeleteParametersCommand).callsFake((input) => {
    for (const name of input.Names) parameters.delete(name);
    return { DeletedParameters: input.Names };
  });
  return { parameters, mock };
}

/** Parameters as fakeSsm keeps them. */
export type FakeParameters = Map<string, { value: string; tier: string }>;

/**
 * The same Parameter Store over SSM's JSON protocol (`X-Amz-Target: AmazonSSM.<operation>`),
 * for code that reaches SSM through an endpoint (a bundled function, the built CLI): GetParameter
 * and GetParametersByPath, with SSM's ParameterNotFound and paging.
 */
export function ssmJsonAnswer(
  parameters: FakeParameters,
  operation: string,
  body: string,
): { status: number; json: unknown } {
  const input = JSON.parse(body || '{}') as { Name?: string; Path?: string; NextToken?: string };
  if (operation === 'GetParameter') {
    const found = parameters.get(input.Name ?? '');
    if (!found)
      return { status: 400, json: { __type: 'ParameterNotFound', message: `${input.Name} not found` } };
    return {
      status: 200,
      json: { Parameter: { Name: input.Name, Type: 'String', Value: found.value, Version: 1 } },
    };
  }
  if (operation === 'GetParametersByPath') {
    const prefix = `${input.Path}/`;
    const all = [...parameters.keys()]
      .filter((name) => name.startsWith(prefix) && !name.slice(prefix.length).includes('/'))
      .sort();
    const start = Number(input.NextToken ?? 0);
    const page = all.slice(start, start + 10);
    return {
      status: 200,
      json: {
        Parameters: page.map((name) => ({ Name: name, Type: 'String', Value: parameters.get(name)?.value })),
        ...(start + 10 < all.length ? { NextToken: String(start + 10) } : {}),
      },
    };
  }
  return { status: 400, json: { __type: 'InvalidAction', message: `the SSM stand-in has no ${operation}` } };
}
