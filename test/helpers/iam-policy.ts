import { createRequire } from 'node:module';

// pbac (MIT) evaluates IAM policy documents: explicit Deny wins, then any matching Allow, with
// wildcards in actions and resources and the String*/Arn*/Bool condition operators.
const PBAC = createRequire(import.meta.url)('pbac') as new (
  policies: unknown[],
) => { evaluate(request: { action: string; resource: string; context: unknown }): boolean };

/** One statement of an identity policy, with every intrinsic function already resolved. */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** What a request asks IAM: an action on a resource, with the condition keys it carries (`s3:prefix`). */
export interface IamRequest {
  action: string;
  resource: string;
  /** A multivalued key (`dynamodb:LeadingKeys` of a batch) as an array. */
  context?: Record<string, string | string[]>;
}

/**
 * An identity policy that answers whether it allows a request, as IAM does for a role with no
 * resource policy in the way: default deny, explicit deny wins. A condition on a key the request
 * does not carry does not match (a GetObject has no `s3:prefix`, so a ListBucket grant conditioned
 * on one does not apply to it).
 */
export class IamPolicy {
  readonly statements: readonly PolicyStatement[];
  readonly #engine: InstanceType<typeof PBAC>;

  constructor(statements: readonly PolicyStatement[]) {
    this.statements = statements;
    // pbac reads only the first key of each condition operator: refuse what it would misjudge.
    for (const statement of statements)
      for (const [operator, test] of Object.entries(statement.Condition ?? {}))
        if (Object.keys(test).length !== 1)
          throw new Error(
            `${statement.Sid ?? 'a statement'}: ${operator} with several keys is not evaluated here`,
          );
    const list = (value: string | string[] | undefined) =>
      value === undefined ? undefined : Array.isArray(value) ? value : [value];
    this.#engine = new PBAC([
      {
        Version: '2012-10-17',
        Statement: statements.map((statement) =>
          Object.fromEntries(
            Object.entries({
              ...statement,
              Action: list(statement.Action),
              NotAction: list(statement.NotAction),
              Resource: list(statement.Resource),
              NotResource: list(statement.NotResource),
            }).filter(([, value]) => value !== undefined),
          ),
        ),
      },
    ]);
  }

  allows(request: IamRequest): boolean {
    const context: Record<string, Record<string, string | string[]>> = {};
    for (const [key, value] of Object.entries(request.context ?? {})) {
      const [service, name] = key.split(':') as [string, string];
      context[service] = { ...context[service], [name]: value };
    }
    // pbac compares a missing key by its own name; IAM treats a missing key as no match.
    const carried = this.statements.filter((statement) =>
      Object.values(statement.Condition ?? {}).every((test) =>
        Object.keys(test).every((key) => key in (request.context ?? {})),
      ),
    );
    if (carried.length === 0) return false;
    const engine = carried.length === this.statements.length ? this.#engine : new IamPolicy(carried).#engine;
    return engine.evaluate({ action: request.action, resource: request.resource, context });
  }
}
