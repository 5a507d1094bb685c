import { eventStoreContract } from '../testing/contract.js';
import { InMemoryEventStore } from './in-memory-event-store.js';

// The same contract as the PostgreSQL and EventStoreDB adapters: handler tests may use it in their place.
eventStoreContract('in memory', async () => {
  const store = new InMemoryEventStore();
  return { store, teardown: () => store.close() };
});
