export * from './types.js';
export * from './errors.js';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store.js';
// Type only: the adapter (and its gRPC client) is loaded on demand by EventStoreModule.
export type { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store.js';
export { EVENT_STORE_SCHEMA_UP, EVENT_STORE_SCHEMA_DOWN } from './postgres/schema.js';
export { CreateEventStore1732500000000 } from './postgres/migration.js';
export * from './decider.js';
export { EventStoreModule, PG_POOL, type EventStoreModuleOptions } from './event-store.module.js';
