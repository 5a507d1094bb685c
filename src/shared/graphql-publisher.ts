import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { RecordedEvent } from '@iap/event-store';
import type { ProjectionRunner } from '@iap/projections';

interface MercuriusPubSub {
  publish(event: { topic: string; payload: unknown }): Promise<void> | void;
}

/** What a subscription resolver is given as `pubsub` (Mercurius's subscription context). */
export interface SubscriptionSource {
  subscribe(topic: string): unknown;
}

/** A topic's live subscriptions, and how its publishing starts with the first and stops after the last. */
interface Topic {
  subscribers: number;
  start: (() => () => void) | null;
  stop: (() => void) | null;
}

/**
 * Publishes GraphQL subscription events through Mercurius. Callers publish only after the projector's
 * transaction has committed (from ProjectionRunner.onCommitted), so a subscriber never hears of a change
 * that the queries cannot show yet. Without an HTTP server (the CLI) it does nothing. A topic published from a
 * projection's batches listens to them only while someone subscribes to it (subscriptions go through
 * `subscribe`): with nobody listening, a batch reads nothing to publish, and an instance that does not run the
 * projection does not read the log to relay another's batches.
 */
@Injectable()
export class GraphQLPublisher {
  private readonly logger = new Logger('Subscriptions');
  private readonly topics = new Map<string, Topic>();

  constructor(@Optional() @Inject(HttpAdapterHost) private readonly host?: HttpAdapterHost) {}

  /** How many subscriptions to `topic` are open in this instance. */
  subscribers(topic: string): number {
    return this.topics.get(topic)?.subscribers ?? 0;
  }

  /**
   * A subscription resolver's answer: `pubsub`'s events of `topic`, counted while the subscription is open (it
   * ends when the client stops it or goes, or the server closes it).
   */
  async subscribe(pubsub: SubscriptionSource, topic: string): Promise<AsyncIterableIterator<unknown>> {
    const source = (await pubsub.subscribe(topic)) as AsyncIterable<unknown>;
    const it = source[Symbol.asyncIterator]();
    this.retain(topic);
    let open = true;
    const release = () => {
      if (!open) return;
      open = false;
      this.release(topic);
    };
    const iterator: AsyncIterableIterator<unknown> = {
      next: async () => {
        const r = await it.next().catch((err: unknown) => {
          release();
          throw err;
        });
        if (r.done) release();
        return r;
      },
      return: async (value?: unknown) => {
        release();
        return it.return ? it.return(value) : { done: true, value };
      },
      throw: async (err?: unknown) => {
        release();
        if (it.throw) return it.throw(err);
        throw err;
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  private topic(name: string): Topic {
    let t = this.topics.get(name);
    if (!t) {
      t = { subscribers: 0, start: null, stop: null };
      this.topics.set(name, t);
    }
    return t;
  }

  private retain(name: string): void {
    const t = this.topic(name);
    t.subscribers++;
    if (t.subscribers === 1 && t.start) t.stop = t.start();
  }

  private release(name: string): void {
    const t = this.topic(name);
    t.subscribers--;
    if (t.subscribers === 0) {
      t.stop?.();
      t.stop = null;
    }
  }

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
   * committed them (so a subscriber never hears of what the queries cannot show yet), while anyone subscribes.
   */
  publishCommitted(
    runner: Pick<ProjectionRunner, 'onCommitted'>,
    projection: string,
    topic: string,
    read: (events: readonly RecordedEvent[]) => Promise<readonly unknown[]>,
  ): void {
    const t = this.topic(topic);
    t.start = () =>
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
    if (t.subscribers > 0 && !t.stop) t.stop = t.start();
  }
}
