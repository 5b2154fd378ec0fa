// Small queries over a synthesized template, for assertions the assertions library cannot phrase.
import type { Template } from 'aws-cdk-lib/assertions';

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: unknown;
  Sid?: string;
}

/** The logical id of the one resource of `type` whose id contains `part`. */
export function logicalId(template: Template, type: string, part: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.includes(part));
  if (ids.length !== 1)
    throw new Error(`expected one ${type} with "${part}" in its id, found ${ids.join(', ') || 'none'}`);
  return ids[0] as string;
}

/** Every statement of every IAM policy attached to the role `roleId`. */
export function roleStatements(template: Template, roleId: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((policy) =>
      (policy.Properties.Roles as Array<{ Ref?: string }>).some((role) => role.Ref === roleId),
    )
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

/** The actions of a statement as a list. */
export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** A statement's resources, each flattened to text (`<Bucket.Arn>/checks/*`). */
export function resourcesOf(statement: Statement): string[] {
  const list = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
  return list.map(flatten);
}

/** Which resources each action is allowed on, across statements: `{ 's3:PutObject': ['<B.Arn>/checks/*'] }`. */
export function allowedActions(statements: readonly Statement[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const statement of statements) {
    if (statement.Effect !== 'Allow') continue;
    for (const action of actionsOf(statement)) {
      out[action] = [...(out[action] ?? []), ...resourcesOf(statement)].sort();
    }
  }
  return out;
}

/** An intrinsic-function value as readable text. */
export function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (Array.isArray(record['Fn::Join'])) {
      const [delimiter, parts] = record['Fn::Join'] as [string, unknown[]];
      return parts.map(flatten).join(delimiter);
    }
    if (Array.isArray(record['Fn::GetAtt'])) return `<${(record['Fn::GetAtt'] as string[]).join('.')}>`;
    if ('Ref' in record) return `<${String(record.Ref)}>`;
    if ('Fn::Sub' in record) return String(record['Fn::Sub']);
  }
  return JSON.stringify(value);
}
