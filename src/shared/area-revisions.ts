import type { ProjectionContext, VersionedRows } from '@iap/projections';

/**
 * Gives every live row of each area in a versioned table (whose `revision` is overwritten, see
 * VersionedTableSpec) its stream's latest revision, what a client sends back as expectedRevision, whichever of
 * the area's rows the batch's events touched. Call it after the rows' flush.
 */
export async function setAreaRevisions(
  ctx: ProjectionContext,
  rows: VersionedRows,
  revisions: ReadonlyMap<string, string>,
): Promise<void> {
  await rows.overwrite(ctx, 'revision', 'area_code', revisions);
}
