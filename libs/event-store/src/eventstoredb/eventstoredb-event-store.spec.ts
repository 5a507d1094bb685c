import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { collect, event, eventStoreContract } from '../testing/contract.js';
import type { SubscriptionMessage } from '../types.js';
import type { EventStoreDbEventStore } from './eventstoredb-event-store.js';

/**
 * Runs only when EVENTSTORE_CONNECTION_STRING is set (e.g. `esdb://localhost:2113?tls=false`); otherwise Jest
 * reports these tests as skipped. The suite uses fresh stream names and positions it created, so a shared server
 * is fine.
 *
 * Expected to fail on EventStoreDB: "rejects an event id already stored in another stream". EventStoreDB checks
 * event ids per stream only (see the adapter's class comment); the contract is deliberately not weakened for it.
 */
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;
const run = Boolean(connectionString);

/**
 * The adapter (and with it the gRPC client) is loaded only when the suite runs, so that a skipped suite costs its
 * Jest worker next to nothing: loading it delayed the other test files enough to change how they overlap.
 */
async function openStore(): Promise<EventStoreDbEventStore> {
  const { EventStoreDbEventStore } = await import('./eventstoredb-event-store.js');
  return EventStoreDbEventStore.fromConnectionString(connectionString as string);
}

eventStoreContract(
  'EventStoreDB',
  async () => {
    const store = await openStore();
    return { store, teardown: () => store.close() };
  },
  run,
);

(run ? describe : describe.skip)('EventStoreDB event store: adapter specifics', () => {
  let store: EventStoreDbEventStore;
  beforeAll(async () => {
    store = await openStore();
  });
  afterAll(async () => {
    await store?.close();
  });

  it('leaves system events out of readAll', async () => {
    const events = await store.readAll({ maxCount: 200 });
    for (const e of events) {
      expect(e.type.startsWith('$')).toBe(false);
      expect(e.streamId.startsWith('$')).toBe(false);
    }
  });

  it('reports caughtUp again after live events, not only once when the subscription goes live', async () => {
    const s = `esdb-${randomUUID().replaceAll('-', '')}`;
    const head = await store.appendToStream(s, [event('Before')], { expectedRevision: 'no_stream' });
    const sub = store.subscribeToAll({ fromPosition: head.position });
    const it = sub[Symbol.asyncIterator]();
    try {
      expect((await it.next()).value).toMatchObject({ type: 'caughtUp' });
      await store.appendToStream(s, [event('Live')], { expectedRevision: 0n });
      const messages: SubscriptionMessage[] = [];
      await collect(sub, (_events, msg) => {
        messages.push(msg);
        return msg.type === 'caughtUp' && messages.some((m) => m.type === 'event' && m.event.streamId === s);
      });
      const live = messages.findIndex((m) => m.type === 'event' && m.event.type === 'Live');
      expect(live).toBeGreaterThanOrEqual(0);
      expect(messages.slice(live + 1).some((m) => m.type === 'caughtUp')).toBe(true);
    } finally {
      await sub.unsubscribe();
    }
  });

  it('ends a pending next() when unsubscribed', async () => {
    const s = `esdb-${randomUUID().replaceAll('-', '')}`;
    const head = await store.appendToStream(s, [event()], { expectedRevision: 'no_stream' });
    const sub = store.subscribeToAll({ fromPosition: head.position });
    const it = sub[Symbol.asyncIterator]();
    expect((await it.next()).value).toMatchObject({ type: 'caughtUp' });
    const pending = it.next();
    await sub.unsubscribe();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
  });
});
