import type { ProjectionContext } from '@iap/projections';

/**
 * Gives every row of each area in `table` (a physical name from `ctx.table`) its stream's latest revision, what
 * a client sends back as expectedRevision, whichever of the area's rows the batch's events touched.
 */
export async function setAreaRevisions(
  ctx: ProjectionContext,
  table: string,
  revisions: ReadonlyMap<string, string>,
): Promise<void> {
  if (revisions.size === 0) return;
  const areas = [...revisions.keys()];
  await ctx.query(
    `UPDATE ${table} AS t SET revision = r.revision
       FROM unnest($1::text[], $2::bigint[]) AS r(area_code, revision)
      WHERE t.area_code = r.area_code AND t.revision IS DISTINCT FROM r.revision`,
    [areas, areas.map((a) => revisions.get(a)!)],
  );
}
