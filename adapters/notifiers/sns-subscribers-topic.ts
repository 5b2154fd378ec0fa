import { PublishCommand, type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import type { SubscribersTopic } from '../../core/subscriptions/receive-subscription.js';
import type { SubscriberAnnouncement } from '../../core/subscriptions/subscriber-announcements.js';

/**
 * The status page's subscribers as an SNS topic with `email` subscriptions: SNS mails each new
 * address a confirmation link and puts its own unsubscribe link in every message, so Checkup keeps
 * no address anywhere. The subscribe function may only Subscribe, the notify function only Publish.
 */
export class SnsSubscribersTopic implements SubscribersTopic {
  readonly #client: SNSClient;
  readonly #topicArn: string;

  constructor(options: { client: SNSClient; topicArn: string }) {
    this.#client = options.client;
    this.#topicArn = options.topicArn;
  }

  /** Asks SNS to confirm `address` by mail; an address already subscribed or pending is no error. */
  async subscribe(address: string): Promise<void> {
    await this.#client.send(
      new SubscribeCommand({ TopicArn: this.#topicArn, Protocol: 'email', Endpoint: address }),
    );
  }

  /** Mails one announcement to every confirmed subscriber. */
  async publish(announcement: SubscriberAnnouncement): Promise<void> {
    await this.#client.send(
      new PublishCommand({
        TopicArn: this.#topicArn,
        Subject: announcement.subject,
        Message: announcement.text,
      }),
    );
  }
}
