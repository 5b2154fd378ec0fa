import type { PolicyStatement } from './iam-policy.js';

/** A synthesized CloudFormation template, as JSON. */
export interface TemplateJson {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

/** Where the stack is pretended to be deployed, and the physical names it is given. */
export interface Deployment {
  region: string;
  account: string;
  /** Physical names by logical id (a bucket's or table's name); others are named by their id. */
  names?: Record<string, string>;
}

/**
 * Resolves the intrinsic functions of a template (Ref, Fn::GetAtt, Fn::Join, Fn::Select,
 * Fn::Split, Fn::Sub) to the concrete values a deployment would have: the names given, and ARNs
 * built from them as AWS builds them, so policies and environments can be used as deployed.
 */
export class TemplateResolver {
  readonly #template: TemplateJson;
  readonly #deployment: Deployment;

  constructor(template: TemplateJson, deployment: Deployment) {
    this.#template = template;
    this.#deployment = deployment;
  }

  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.resolve(item));
    if (!value || typeof value !== 'object') return value;
    const record = value as Record<string, unknown>;
    if ('Ref' in record) return this.#ref(String(record.Ref));
    if ('Fn::GetAtt' in record) {
      const [id, attribute] = record['Fn::GetAtt'] as [string, string];
      return this.#attribute(id, attribute);
    }
    if ('Fn::Join' in record) {
      const [delimiter, parts] = record['Fn::Join'] as [string, unknown[]];
      return (this.resolve(parts) as unknown[]).map(String).join(delimiter);
    }
    if ('Fn::Select' in record) {
      const [index, list] = record['Fn::Select'] as [number, unknown];
      return (this.resolve(list) as unknown[])[Number(index)];
    }
    if ('Fn::Split' in record) {
      const [delimiter, text] = record['Fn::Split'] as [string, unknown];
      return String(this.resolve(text)).split(delimiter);
    }
    if ('Fn::Sub' in record) {
      const text = String(Array.isArray(record['Fn::Sub']) ? record['Fn::Sub'][0] : record['Fn::Sub']);
      return text.replace(/\$\{([^}]+)\}/g, (_match, name: string) => {
        const [id, attribute] = name.split('.') as [string, string | undefined];
        return String(attribute ? this.#attribute(id, attribute) : this.#ref(id));
      });
    }
    return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, this.resolve(item)]));
  }

  /** Every statement of the identity policies attached to the role `roleId`, resolved. */
  roleStatements(roleId: string): PolicyStatement[] {
    return Object.values(this.#template.Resources)
      .filter(
        (resource) =>
          resource.Type === 'AWS::IAM::Policy' &&
          ((resource.Properties?.Roles ?? []) as Array<{ Ref?: string }>).some((role) => role.Ref === roleId),
      )
      .flatMap(
        (policy) =>
          (this.resolve(policy.Properties?.PolicyDocument) as { Statement: PolicyStatement[] }).Statement,
      );
  }

  #name(id: string): string {
    return this.#deployment.names?.[id] ?? id.toLowerCase();
  }

  #ref(id: string): unknown {
    const { region, account } = this.#deployment;
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': region,
      'AWS::AccountId': account,
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': 'Checkup',
      'AWS::NoValue': '',
    };
    if (id in pseudo) return pseudo[id];
    const resource = this.#template.Resources[id];
    if (!resource) throw new Error(`Ref to ${id}: no such resource in the template`);
    if (resource.Type === 'AWS::SNS::Topic') return this.#attribute(id, 'Arn');
    if (resource.Type === 'AWS::SQS::Queue')
      return `https://sqs.${region}.amazonaws.com/${account}/${this.#name(id)}`;
    return this.#name(id);
  }

  #attribute(id: string, attribute: string): unknown {
    const { region, account } = this.#deployment;
    const resource = this.#template.Resources[id];
    if (!resource) throw new Error(`Fn::GetAtt of ${id}: no such resource in the template`);
    const name = this.#name(id);
    if (attribute !== 'Arn') return attribute.endsWith('Name') ? name : `${name}.${attribute}`;
    const service = resource.Type.split('::')[1]?.toLowerCase() ?? 'unknown';
    switch (resource.Type) {
      case 'AWS::S3::Bucket':
        return `arn:aws:s3:::${name}`;
      case 'AWS::DynamoDB::Table':
        return `arn:aws:dynamodb:${region}:${account}:table/${name}`;
      case 'AWS::Logs::LogGroup':
        return `arn:aws:logs:${region}:${account}:log-group:${name}:*`;
      case 'AWS::Lambda::Function':
        return `arn:aws:lambda:${region}:${account}:function:${name}`;
      case 'AWS::IAM::Role':
        return `arn:aws:iam::${account}:role/${name}`;
      default:
        return `arn:aws:${service}:${region}:${account}:${name}`;
    }
  }
}
