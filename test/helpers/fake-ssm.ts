import {
  DeleteParametersCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { type RunningServer, startHttpServer } from './servers.js';

/** A parameter as kept by the stand-ins. */
export interface StoredParameter {
  value: string;
  tier: string;
}

/** An SSM error: its name is SSM's error code (`ParameterNotFound`, ...). */
class SsmFault extends Error {}

/**
 * SSM Parameter Store kept in a Map (no SSM emulator exists): the four calls Checkup makes, with
 * SSM's paging (10 per page) and errors. Shared by the in-process mock and the loopback server.
 */
function parameterStore(parameters: Map<string, StoredParameter>) {
  const fault = (name: string, message: string) => Object.assign(new SsmFault(message), { name });
  return {
    PutParameter(input: { Name: string; Value: string; Overwrite?: boolean; Tier?: string }) {
      if (!input.Overwrite && parameters.has(input.Name))
        throw fault('ParameterAlreadyExists', 'The parameter already exists.');
      parameters.set(input.Name, { value: input.Value, tier: input.Tier ?? 'Standard' });
      return { Version: 1, Tier: input.Tier ?? 'Standard' };
    },
    GetParameter(input: { Name: string }) {
      const found = parameters.get(input.Name);
      if (!found) throw fault('ParameterNotFound', `Parameter ${input.Name} not found.`);
      return { Parameter: { Name: input.Name, Value: found.value, Version: 1 } };
    },
    GetParametersByPath(input: { Path: string; NextToken?: string }) {
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
    },
    DeleteParameters(input: { Names: string[] }) {
      for (const name of input.Names) parameters.delete(name);
      return { DeletedParameters: input.Names, InvalidParameters: [] };
    },
  };
}

/** SSM behind aws-sdk-client-mock, for unit tests that run the code in process. */
export function fakeSsm() {
  const parameters = new Map<string, StoredParameter>();
  const store = parameterStore(parameters);
  const mock = mockClient(SSMClient);
  // The SDK's own error class for not-found, as a real answer would be parsed into.
  const asSdkError = (call: () => unknown) => {
    try {
      return call();
    } catch (error) {
      if ((error as Error).name === 'ParameterNotFound')
        throw new ParameterNotFound({ message: (error as Error).message, $metadata: {} });
      throw error;
    }
  };
  mock.on(PutParameterCommand).callsFake((input) => asSdkError(() => store.PutParameter(input)));
  mock.on(GetParameterCommand).callsFake((input) => asSdkError(() => store.GetParameter(input)));
  mock
    .on(GetParametersByPathCommand)
    .callsFake((input) => asSdkError(() => store.GetParametersByPath(input)));
  mock.on(DeleteParametersCommand).callsFake((input) => asSdkError(() => store.DeleteParameters(input)));
  return { parameters, mock };
}

/** Parameters as the stand-ins keep them. */
export type FakeParameters = Map<string, StoredParameter>;

/**
 * One SSM JSON-protocol call (`X-Amz-Target: AmazonSSM.<operation>`) answered from `parameters`,
 * for code that reaches SSM through an endpoint (a bundled function behind the gateway, the
 * built CLI): the four calls Checkup makes, with SSM's errors (`__type`) and paging.
 */
export function ssmJsonAnswer(
  parameters: FakeParameters,
  operation: string,
  body: string,
): { status: number; json: unknown } {
  const handle = (parameterStore(parameters) as Record<string, (input: never) => unknown>)[operation];
  if (!handle)
    return {
      status: 400,
      json: { __type: 'InvalidAction', message: `the SSM stand-in has no ${operation}` },
    };
  try {
    return { status: 200, json: handle(JSON.parse(body || '{}') as never) };
  } catch (error) {
    return { status: 400, json: { __type: (error as Error).name, message: (error as Error).message } };
  }
}

export interface RunningSsmServer extends RunningServer {
  readonly parameters: Map<string, StoredParameter>;
  /** The operations called, in order (`GetParameter`, ...). */
  readonly calls: string[];
}

/**
 * A loopback stand-in for SSM speaking its JSON protocol over real HTTP (POST /, `X-Amz-Target:
 * AmazonSSM.<Operation>`, `application/x-amz-json-1.1`; errors as 400 with `__type`), for a
 * process such as the built `checkup`, reached through the SDK's standard AWS_ENDPOINT_URL_SSM.
 * An unsigned request is refused, as SSM refuses it.
 */
export async function startSsmServer(): Promise<RunningSsmServer> {
  const parameters: FakeParameters = new Map();
  const calls: string[] = [];
  const server = await startHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(body));
      };
      const target = String(request.headers['x-amz-target'] ?? '');
      const operation = target.startsWith('AmazonSSM.') ? target.slice('AmazonSSM.'.length) : '';
      if (!String(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) {
        answer(400, {
          __type: 'MissingAuthenticationTokenException',
          message: 'Missing Authentication Token',
        });
        return;
      }
      if (request.method !== 'POST' || !operation) {
        answer(400, { __type: 'UnknownOperationException', message: `unknown operation ${target}` });
        return;
      }
      calls.push(operation);
      const { status, json } = ssmJsonAnswer(parameters, operation, Buffer.concat(chunks).toString('utf8'));
      answer(status, json);
    });
  });
  return { ...server, parameters, calls };
}
