/** One problem in a config, at a path such as `checkers[2].endpoint_url`. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/** A config that cannot be used. Its message lists every problem, one per line, with its place. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], options?: { cause?: unknown }) {
    super(
      issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('\n'),
      options,
    );
    this.issues = issues;
  }
}
