import { Validations } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  /** Who is emailed when an alarm fires (they confirm the subscription once). */
  readonly email: string;
}

/** The SNS topic Checkup's own alarms (dead letters, invalid config) publish to. */
export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(props.email)) {
      throw new Error(`alarmEmail: "${props.email}" is not an email address`);
    }
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'Checkup alarms', enforceSSL: true });
    this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'CloudWatch alarms cannot publish to a topic encrypted with the AWS managed SNS key, and a customer key would cost more than the rest of Checkup; the messages carry only alarm names and states.',
    });
  }
}
