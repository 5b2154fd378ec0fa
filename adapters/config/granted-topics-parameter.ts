/**
 * The SSM parameter in which the deployed stack records the SNS topics its notify function may
 * publish to (its `alertTopicArns`, as a JSON list), beside the config parameter `configName`,
 * so `checkup config push` can refuse an `sns` notifier whose every publish would be denied.
 */
export function grantedTopicsParameter(configName: string): string {
  return `${configName}/granted-topics`;
}
