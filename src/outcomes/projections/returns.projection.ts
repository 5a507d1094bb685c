import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@iap/event-store';
import {
  type AsOfSql,
  type Projection,
  type ProjectionContext,
  ReadModelProjection,
  type VersionedTableSpec,
} from '@iap/projections';
import { setAreaRevisions } from '../../shared/area-revisions.js';
import type { ReturnEvent } from '../domain/periodic-return.js';
import { type ReturnRow, returnRowAfter } from './outcomes.rows.js';

/** `periodic_returns` keeps every version of its rows (each with the revision of the event that made it). */
export const RETURNS_TABLE: VersionedTableSpec = {
  table: 'periodic_returns',
  key: ['area_code', 'quarter'],
  columns: [
    ['area_code', 'text'],
    ['quarter', 'text'],
    ['quarter_start', 'date'],
    ['quarter_end', 'date'],
    ['status', 'text'],
    ['note', 'text'],
    ['snapshot', 'jsonb'],
    ['submissions', 'int'],
    ['submitted_at', 'timestamptz'],
    ['decided_at', 'timestamptz'],
    ['comments', 'text'],
    ['revision', 'bigint'],
  ],
  // Every return of an area takes the area's latest revision (setAreaRevisions).
  overwritten: ['revision'],
  scope: ['area_code'],
};

/**
 * One row per area and quarter with a return: its status, the snapshot taken at (the latest) submission and
 * the central team's latest decision. `revision` on every row of an area is its return stream's revision.
 */
@ReadModelProjection()
@Injectable()
export class ReturnsProjection implements Projection {
  readonly name = 'returns';
  readonly tables = ['periodic_returns', 'periodic_returns_history'];
  readonly eventTypes = ['ReturnSubmitted', 'ReturnApproved', 'ReturnSentBack'];

  asOf(sql: AsOfSql): Record<string, string> {
    // A version keeps the revision of its own event; the stream's revision then is the area's latest.
    return {
      periodic_returns: `SELECT area_code, quarter, quarter_start, quarter_end, status, note, snapshot, submissions,
          submitted_at, decided_at, comments, max(revision) OVER (PARTITION BY area_code) AS revision
        FROM (${sql.current(RETURNS_TABLE)}) AS r`,
    };
  }

  async apply(events: readonly RecordedEvent[], ctx: ProjectionContext): Promise<void> {
    const typed = events as unknown as readonly (RecordedEvent & ReturnEvent)[];
    const rows = ctx.rows<ReturnRow>(RETURNS_TABLE);
    await rows.load(
      ctx,
      typed.map((e) => ({ area_code: e.data.areaCode, quarter: e.data.quarter })),
    );
    const areaRevisions = new Map<string, string>();
    for (const e of typed) {
      const revision = e.revision.toString();
      const { areaCode, quarter } = e.data;
      const row = returnRowAfter(rows.get({ area_code: areaCode, quarter }), e);
      if (!row) throw new Error(`${e.type} for ${areaCode} ${quarter}, which the read model does not hold`);
      rows.put(row, e.recordedAt);
      areaRevisions.set(areaCode, revision);
    }
    await rows.flush(ctx);
    await setAreaRevisions(ctx, rows, areaRevisions);
  }
}
