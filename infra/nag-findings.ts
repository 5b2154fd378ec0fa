import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * The cdk-nag finding id of a wildcard resource in an IAM policy (`AwsSolutions-IAM5[Resource::...]`),
 * computed from the same token the policy uses, so an acknowledgement names exactly that resource
 * and nothing broader.
 */
export function wildcardResourceFinding(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenReference(Stack.of(scope).resolve(resource))}]`;
}

/** Acknowledges wildcard resources on `scope`, each with the reason it is needed. */
export function acknowledgeWildcards(scope: IConstruct, resources: ReadonlyArray<[string, string]>): void {
  for (const [resource, reason] of resources) {
    Validations.of(scope).acknowledge({ id: wildcardResourceFinding(scope, resource), reason });
  }
}

/** The stack-level singleton a CDK construct created (found by the start of its id), if any. */
export function findStackSingleton(scope: IConstruct, idPrefix: string): IConstruct | undefined {
  return Stack.of(scope).node.children.find((child) => child.node.id.startsWith(idPrefix));
}

// cdk-nag writes intrinsic functions flat: Fn::Join joined, GetAtt as <Id.Attr>, Ref as <Id>.
function flattenReference(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    if (Array.isArray(record['Fn::Join'])) {
      const [delimiter, items] = record['Fn::Join'] as [string, unknown[]];
      return items.map(flattenReference).join(delimiter);
    }
    if (Array.isArray(record['Fn::GetAtt'])) {
      const [id, attribute] = record['Fn::GetAtt'] as [unknown, unknown];
      return `<${flattenReference(id)}.${flattenReference(attribute)}>`;
    }
    if ('Ref' in record) return `<${flattenReference(record.Ref)}>`;
    if ('Fn::Sub' in record) return flattenReference(record['Fn::Sub']);
  }
  return JSON.stringify(node);
}
