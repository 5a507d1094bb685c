import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { RecordedEvent } from '@iap/event-store';
import type { ProjectionRunner } from '@iap/projections';

interface MercuriusPubSub {
  publish(event: { topic: string; payload: unknown }): Promise<void> | void;
}

/**
 * Publishes GraphQL subscription events through Mercurius. Callers publish only after the projector's
 * transaction has committed (from ProjectionRunner.onCommitted), so a subscriber never hears of a change
 * that the queries cannot show yet. Without an HTTP server (the CLI) it does nothing.
 */
@Injectable()
export class GraphQLPublisher {
  private readonly logger = new Logger('Subscriptions');

  constructor(@Optional() @Inject(HttpAdapterHost) private readonly host?: HttpAdapterHost) {}

  publish(topic: string, payload: unknown): void {
    const instance = this.host?.httpAdapter?.getInstance?.() as
      { graphql?: { pubsub?: MercuriusPubSub } } | undefined;
    const pubsub = instance?.graphql?.pubsub;
    if (!pubsub) return;
    Promise.resolve(pubsub.publish({ topic, payload })).catch((err: unknown) =>
      this.logger.warn(`Could not publish ${topic}: ${err instanceof Error ? err.message : String(err)}`),
    );
  }

  /**
   * Publishes on `topic` the payloads `read` makes of each batch of events `projection` commits, once it has
   * committed them (so a subscriber never hears of what the queries cannot show yet).
   */
  publishCommitted(
    runner: Pick<ProjectionRunner, 'onCommitted'>,
    projection: string,
    topic: string,
    read: (events: readonly RecordedEvent[]) => Promise<readonly unknown[]>,
  ): void {
    runner.onCommitted(
      (name, events) => {
        if (name !== projection) return;
        read(events)
          .then((payloads) => {
            for (const payload of payloads) this.publish(topic, payload);
          })
          .catch((err: unknown) => this.logger.warn(`Could not publish ${topic}: ${String(err)}`));
      },
      [projection],
    );
  }
}
