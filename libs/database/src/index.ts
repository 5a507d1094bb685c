export { freePort } from './free-port.js';
export { GuardedClient } from './guarded-client.js';
export {
  startEmbeddedPostgres,
  type EmbeddedDatabase,
  type EmbeddedDatabaseOptions,
} from './embedded-postgres.js';
export { createTestDatabase, testAdminUrl, type TestDatabase } from './test-database.js';
export { resolveDatabase, type ResolvedDatabase } from './resolve-database.js';
export { startStreamingReplica, type StreamingReplicaOptions } from './streaming-replica.js';
