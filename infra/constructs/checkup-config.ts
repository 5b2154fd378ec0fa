import { Arn, ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { configObjectParameter } from '../../adapters/config/config-object-parameter.js';
import { parseConfig } from '../../core/config/parse-config.js';
import { RESULTS_LAYOUT } from '../../core/results-layout.js';

/** The config a fresh deployment starts with: one check of example.com, ready to be edited. */
export const EXAMPLE_CONFIG = {
  checkers: [
    {
      type: 'http',
      endpoint_name: 'Example',
      endpoint_url: 'https://example.com',
      attempts: 2,
      threshold_rtt: '1s',
    },
  ],
};

export interface CheckupConfigProps {
  /**
   * The SSM parameter holding checkup.json. A config too big for one parameter keeps its
   * checkers under `<parameterName>/checkers/` (see `checkup config push`).
   * @default '/checkup/config'
   */
  readonly parameterName?: string;
  /**
   * The config written on the first deploy (never again).
   * @default EXAMPLE_CONFIG
   */
  readonly initialConfig?: object;
  /**
   * The region that holds the parameter.
   * @default - the stack's region
   */
  readonly region?: string;
  /**
   * Where a config too big for one parameter is kept (`config/checkup.json` in it), the parameter
   * pointing to it: recorded in `<parameterName>/config-object` for `checkup config push`.
   * @default - none: a large config is split over parameters
   */
  readonly objectBucket?: s3.IBucket;
}

/**
 * The SSM parameter that holds checkup.json, edited live by its users.
 *
 * It is created by a custom resource that calls PutParameter (without Overwrite) on Create only,
 * not by an `AWS::SSM::Parameter`: CloudFormation would own the value and put the example back
 * whenever the template's copy changed, and report every user edit as drift. This way the
 * first deploy seeds it, no later deploy touches it, and deleting the stack deletes it.
 */
export class CheckupConfig extends Construct {
  readonly parameterName: string;
  /** The parameter's ARN (the single parameter). */
  readonly parameterArn: string;
  /** Where a split config keeps one parameter per checker. */
  readonly checkersPath: string;
  /** The bucket of the config object (a config too big for one parameter), when there is one. */
  readonly objectBucket?: s3.IBucket;

  constructor(scope: Construct, id: string, props: CheckupConfigProps = {}) {
    super(scope, id);
    this.parameterName = props.parameterName ?? '/checkup/config';
    if (!/^\/[\w.\-/]+[^/]$/.test(this.parameterName)) {
      throw new Error(
        `parameterName: "${this.parameterName}" must be an absolute SSM path such as /checkup/config`,
      );
    }
    this.checkersPath = `${this.parameterName}/checkers`;
    this.parameterArn = parameterArn(this, this.parameterName, props.region);
    const initial = JSON.stringify(props.initialConfig ?? EXAMPLE_CONFIG, null, 2);
    // A broken seed would only show up as failed runs after deploy; fail the synth instead.
    parseConfig(initial);

    const seed = new cr.AwsCustomResource(this, 'Seed', {
      onCreate: {
        service: 'SSM',
        action: 'putParameter',
        parameters: {
          Name: this.parameterName,
          Value: initial,
          Type: 'String',
          Tier: 'Standard',
          Overwrite: false,
          Description: 'checkup.json for Checkup: edit it, the next run uses it',
        },
        physicalResourceId: cr.PhysicalResourceId.of(this.parameterName),
        // A parameter kept from an earlier deployment is the user's: leave it as it is.
        ignoreErrorCodesMatching: 'ParameterAlreadyExists',
      },
      onDelete: {
        service: 'SSM',
        action: 'deleteParameter',
        parameters: { Name: this.parameterName },
        ignoreErrorCodesMatching: 'ParameterNotFound',
      },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ['ssm:PutParameter', 'ssm:DeleteParameter'],
          resources: [this.parameterArn],
        }),
      ]),
      installLatestAwsSdk: false,
    });
    acknowledgeSingletonProvider(seed);
    this.objectBucket = props.objectBucket;
    if (props.objectBucket) {
      new ssm.StringParameter(this, 'ObjectLocation', {
        parameterName: configObjectParameter(this.parameterName),
        description: 'Checkup: where checkup config push keeps a config too big for one parameter',
        stringValue: `s3://${props.objectBucket.bucketName}/${RESULTS_LAYOUT.configObjectKey}`,
      });
    }
  }

  /** Lets `grantee` read the config (the parameter, a split config's checkers, the config object). */
  grantRead(grantee: iam.IGrantable): void {
    grantConfigRead(grantee, this, this.parameterName, undefined, this.objectBucket);
  }
}

/**
 * Lets `grantee` read the config parameter `parameterName` and a split config's checkers under
 * `<parameterName>/checkers`, in `region` (default: the scope's), and the config object in
 * `objectBucket` (that one key) when the config is kept there.
 */
export function grantConfigRead(
  grantee: iam.IGrantable,
  scope: Construct,
  parameterName: string,
  region?: string,
  objectBucket?: s3.IBucket,
): void {
  if (objectBucket) {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadConfigObject',
        actions: ['s3:GetObject'],
        resources: [objectBucket.arnForObjects(RESULTS_LAYOUT.configObjectKey)],
      }),
    );
  }
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['ssm:GetParameter'],
      resources: [parameterArn(scope, parameterName, region)],
    }),
  );
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['ssm:GetParametersByPath'],
      resources: [parameterArn(scope, `${parameterName}/checkers`, region)],
    }),
  );
}

/** The ARN of an SSM parameter named with a leading slash. */
export function parameterArn(scope: Construct, name: string, region?: string): string {
  return Arn.format(
    {
      service: 'ssm',
      resource: 'parameter',
      resourceName: name.replace(/^\//, ''),
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      ...(region ? { region } : {}),
    },
    Stack.of(scope),
  );
}

/** The AwsCustomResource provider function is one per stack; its findings are acknowledged there. */
function acknowledgeSingletonProvider(resource: cr.AwsCustomResource): void {
  const provider = Stack.of(resource).node.tryFindChild('AWS679f53fac002430cb0da5b7982bd2287');
  if (!provider) return;
  Validations.of(provider).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      'The CDK-provided AwsCustomResource provider runs only at deploy time to seed the config parameter; the basic execution policy lets it write its own logs.',
  });
}
