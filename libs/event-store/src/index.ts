export * from './types.js';
export * from './errors.js';
export { InMemoryEventStore, type InMemoryEventStoreOptions } from './memory/in-memory-event-store.js';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store.js';
// Type only: the adapter (and its gRPC client) is loaded on demand by EventStoreModule.
export type { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store.js';
export {
  EVENT_STORE_SCHEMA_UP,
  EVENT_STORE_SCHEMA_DOWN,
  EVENT_STORE_SCHEMA_V1_UP,
  EVENT_STORE_SCHEMA_V2_UP,
} from './postgres/schema.js';
export {
  CreateEventStore1732500000000,
  EventStoreHorizonAndCommands1796608000000,
  EVENT_STORE_MIGRATIONS,
} from './postgres/migration.js';
export * from './decider.js';
export {
  exportEventLog,
  importEventLog,
  EventLogFileError,
  EventStoreNotEmptyError,
  EVENT_LOG_FORMAT,
  type ExportResult,
  type ImportResult,
  type LoggedEvent,
} from './postgres/backup.js';
export { EventStoreModule, PG_POOL, type EventStoreModuleOptions } from './event-store.module.js';
