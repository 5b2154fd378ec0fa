import { CfnOutput, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { FUNCTION_ENTRIES } from '../function-bundling.js';
import { CheckupFunction } from './checkup-function.js';

/** Concurrent subscribe requests at most, by default: the rate limits count per environment. */
export const DEFAULT_SUBSCRIBE_CONCURRENCY = 2;

export interface PageSubscriptionsProps {
  /** The status page's origins (`https://d111.cloudfront.net`, `https://status.example.com`): the only ones CORS allows. */
  readonly pageOrigins: readonly string[];
  /**
   * The subscribe function's reserved concurrency. Its rate limits are counted in each warm
   * environment's memory, so at most this many count side by side: the real bound is this many
   * times each limit. Reserving fails the deploy in an account whose whole quota is 10.
   * @default DEFAULT_SUBSCRIBE_CONCURRENCY (2)
   */
  readonly maxConcurrency?: number;
  /** The sender name in subscribers' mail. @default 'Status updates' */
  readonly displayName?: string;
}

/**
 * E-mail subscriptions to the status page: an SNS topic (encrypted with the AWS-managed SNS key,
 * TLS only) and a subscribe function behind a public function URL (CORS: the page's origins,
 * POST only). The function may only `sns:Subscribe` to this topic with the `email` protocol; SNS
 * mails each address a confirmation link and puts an unsubscribe link in every message, so no
 * address is kept by Checkup. `grantAnnounce` lets the notify function publish to it.
 */
export class PageSubscriptions extends Construct {
  readonly topic: sns.Topic;
  readonly subscribeFunction: CheckupFunction;
  readonly url: lambda.FunctionUrl;

  constructor(scope: Construct, id: string, props: PageSubscriptionsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: props.displayName ?? 'Status updates',
      // aws/sns: publishers and SNS need no key grant, so the roles keep only their one action.
      masterKey: kms.Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
      enforceSSL: true,
    });
    this.subscribeFunction = new CheckupFunction(this, 'Subscribe', {
      entry: FUNCTION_ENTRIES.subscribe,
      description: 'Checkup: subscribes addresses to the status page by e-mail (SNS confirms)',
      timeout: Duration.seconds(10),
      environment: {
        CHECKUP_SUBSCRIBERS_TOPIC_ARN: this.topic.topicArn,
        CHECKUP_PAGE_ORIGINS: props.pageOrigins.join(','),
      },
    });
    (this.subscribeFunction.function.node.defaultChild as lambda.CfnFunction).reservedConcurrentExecutions =
      props.maxConcurrency ?? DEFAULT_SUBSCRIBE_CONCURRENCY;
    this.subscribeFunction.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SubscribeByEmail',
        actions: ['sns:Subscribe'],
        resources: [this.topic.topicArn],
        // Even a subverted function can add no HTTP, SMS or Lambda endpoint to the topic.
        conditions: { StringEquals: { 'sns:Protocol': 'email' } },
      }),
    );
    this.url = this.subscribeFunction.function.addFunctionUrl({
      authType: lambda.FunctionUrlAuthType.NONE,
      cors: {
        allowedOrigins: [...props.pageOrigins],
        allowedMethods: [lambda.HttpMethod.POST],
        allowedHeaders: ['content-type'],
        // The page reads how long a 429 asks it to wait.
        exposedHeaders: ['retry-after'],
        maxAge: Duration.hours(1),
      },
    });
    new CfnOutput(this, 'SubscribeUrl', {
      description: "The status page's subscribe form posts here (written into /data/page.json)",
      value: this.url.url,
    });
    new CfnOutput(this, 'SubscribersTopicArn', {
      description: 'The SNS topic of the page subscribers (e-mail, confirmed by SNS)',
      value: this.topic.topicArn,
    });
  }

  /** Lets `fn` publish to the subscribers, and nothing else of the topic. */
  grantAnnounce(fn: CheckupFunction): void {
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AnnounceToSubscribers',
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
      }),
    );
    fn.function.addEnvironment('CHECKUP_SUBSCRIBERS_TOPIC_ARN', this.topic.topicArn);
  }
}
