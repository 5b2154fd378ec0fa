/**
 * The SSM parameter in which the deployed stack records where a config too big for one parameter
 * is kept (`s3://<results bucket>/config/checkup.json`), beside the config parameter `configName`,
 * so `checkup config push` knows where to put it.
 */
export function configObjectParameter(configName: string): string {
  return `${configName}/config-object`;
}
