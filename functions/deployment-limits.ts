import type { DeploymentLimits } from '../core/config/parse-config.js';

/**
 * What the stack granted the functions, from `CHECKUP_ALERT_TOPIC_ARNS` (a JSON list of the SNS
 * topics its `alertTopicArns` names; `[]` for none). Unset, nothing is checked (a function run
 * outside the stack). Read at cold start: a bad value fails it, naming the variable.
 */
export function deploymentLimits(alertTopicArns: string | undefined): DeploymentLimits {
  if (alertTopicArns === undefined) return {};
  let topics: unknown;
  try {
    topics = JSON.parse(alertTopicArns);
  } catch {
    topics = undefined;
  }
  if (!Array.isArray(topics) || !topics.every((topic) => typeof topic === 'string')) {
    throw new Error(`CHECKUP_ALERT_TOPIC_ARNS: not a JSON list of topic ARNs: ${alertTopicArns}`);
  }
  return { grantedTopics: topics };
}
