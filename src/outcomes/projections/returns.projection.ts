import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@iap/event-store';
import {
  type AsOfSql,
  type Projection,
  type ProjectionContext,
  ReadModelProjection,
  VersionedRows,
  type VersionedTableSpec,
} from '@iap/projections';
import { parseFinancialQuarter } from '../../shared/periods.js';
import { setAreaRevisions } from '../../shared/area-revisions.js';
import type { ReturnEvent } from '../domain/periodic-return.js';

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

interface ReturnRow extends Record<string, unknown> {
  area_code: string;
  quarter: string;
  quarter_start: string;
  quarter_end: string;
  status: string;
  note: string;
  snapshot: unknown;
  submissions: number;
  submitted_at: Date | null;
  decided_at: Date | null;
  comments: string | null;
  revision: string;
}

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
    const rows = new VersionedRows<ReturnRow>(RETURNS_TABLE);
    await rows.load(
      ctx,
      typed.map((e) => ({ area_code: e.data.areaCode, quarter: e.data.quarter })),
    );
    const areaRevisions = new Map<string, string>();
    for (const e of typed) {
      const revision = e.revision.toString();
      const { areaCode, quarter } = e.data;
      const row = rows.get({ area_code: areaCode, quarter });
      switch (e.type) {
        case 'ReturnSubmitted': {
          const q = parseFinancialQuarter(quarter)!;
          const submitted = {
            status: 'SUBMITTED',
            note: e.data.note,
            snapshot: e.data.snapshot,
            submitted_at: e.recordedAt,
            decided_at: null,
            revision,
          };
          rows.put(
            row
              ? { ...row, ...submitted, submissions: row.submissions + 1 }
              : {
                  area_code: areaCode,
                  quarter,
                  quarter_start: q.start,
                  quarter_end: q.end,
                  comments: null,
                  submissions: 1,
                  ...submitted,
                },
            e.recordedAt,
          );
          break;
        }
        case 'ReturnApproved':
        case 'ReturnSentBack':
          if (!row)
            throw new Error(`${e.type} for ${areaCode} ${quarter}, which the read model does not hold`);
          rows.put(
            {
              ...row,
              status: e.type === 'ReturnApproved' ? 'APPROVED' : 'SENT_BACK',
              comments: e.data.comments || null,
              decided_at: e.recordedAt,
              revision,
            },
            e.recordedAt,
          );
          break;
      }
      areaRevisions.set(areaCode, revision);
    }
    await rows.flush(ctx);
    await setAreaRevisions(ctx, ctx.table('periodic_returns'), areaRevisions);
  }
}
