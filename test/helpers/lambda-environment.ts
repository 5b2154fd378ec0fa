import { DEPLOYED_REGION } from './synthesized-app.js';

/**
 * What Lambda adds to a function's environment: the region, the credentials of its role (here the
 * gateway's access key id for it), and every AWS endpoint pointed at the gateway, so that no call
 * leaves this machine and each is checked against the role's policy.
 */
export function lambdaEnvironment(gatewayEndpoint: string, accessKeyId: string): Record<string, string> {
  return {
    AWS_REGION: DEPLOYED_REGION,
    AWS_DEFAULT_REGION: DEPLOYED_REGION,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: 'not-a-secret',
    AWS_SESSION_TOKEN: 'session',
    AWS_ENDPOINT_URL_S3: gatewayEndpoint,
    AWS_ENDPOINT_URL_DYNAMODB: gatewayEndpoint,
    AWS_ENDPOINT_URL_SSM: gatewayEndpoint,
    AWS_ENDPOINT_URL_SNS: gatewayEndpoint,
    AWS_ENDPOINT_URL_SESV2: gatewayEndpoint,
    AWS_ENDPOINT_URL_SQS: gatewayEndpoint,
  };
}
