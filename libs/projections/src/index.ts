export * from './projection.js';
export { ProjectionRunner, projectionContext, type ProjectionRunnerOptions } from './projection-runner.js';
export {
  DEFAULT_PAGE_SIZE as REBUILD_PAGE_SIZE,
  rebuildProjection,
  rebuildProjections,
  type RebuildOptions,
  type RebuildResult,
} from './rebuild.js';
export { readCheckpoint, readCheckpoints } from './checkpoints.js';
export { CHECKPOINT_CHANNEL, ProjectionLeadership, type LeadershipOptions } from './leadership.js';
export { CreateProjectionCheckpoints1732500000100 } from './checkpoint-schema.js';
export {
  ProjectionsModule,
  ReadModelProjection,
  type ProjectionsModuleOptions,
} from './projections.module.js';
export { AsOfViews, sqlFor, type AsOfSnapshot, type Queryable } from './as-of.js';
export { historyTable, isVersionBookkeeping, type VersionedTableSpec } from './versioned-table.js';
export { VersionedRows } from './versioned-rows.js';
export { copyLine, recordSet, type ColumnTypes } from './record-set.js';
export { copyRows } from './copy.js';
export {
  addVersionColumns,
  createHistoryTable,
  currentVersionsMigration,
  historyMigration,
} from './history.migration.js';
export {
  ReadModelCache,
  type ReadCacheOptions,
  type ReadVersion,
  readModelVersion,
  readVersion,
} from './read-cache.js';
