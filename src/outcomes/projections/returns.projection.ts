import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@iap/event-store';
import { type Projection, type ProjectionContext, ReadModelProjection } from '@iap/projections';
import { parseFinancialQuarter } from '../../shared/periods.js';
import type { ReturnEvent } from '../domain/periodic-return.js';

/**
 * One row per area and quarter with a return: its status, the snapshot taken at (the latest) submission and
 * the central team's latest decision. `revision` on every row of an area is its return stream's revision.
 */
@ReadModelProjection()
@Injectable()
export class ReturnsProjection implements Projection {
  readonly name = 'returns';
  readonly tables = ['periodic_returns'];
  readonly eventTypes = ['ReturnSubmitted', 'ReturnApproved', 'ReturnSentBack'];

  async apply(events: readonly RecordedEvent[], ctx: ProjectionContext): Promise<void> {
    const t = ctx.table('periodic_returns');
    for (const e of events as unknown as readonly (RecordedEvent & ReturnEvent)[]) {
      const revision = e.revision.toString();
      const { areaCode, quarter } = e.data;
      switch (e.type) {
        case 'ReturnSubmitted': {
          const q = parseFinancialQuarter(quarter)!;
          await ctx.query(
            `INSERT INTO ${t} AS r (area_code, quarter, quarter_start, quarter_end, status, note, snapshot, submissions,
               submitted_at, revision)
             VALUES ($1, $2, $3, $4, 'SUBMITTED', $5, $6::jsonb, 1, $7, $8)
             ON CONFLICT (area_code, quarter) DO UPDATE SET status = 'SUBMITTED', note = EXCLUDED.note,
               snapshot = EXCLUDED.snapshot, submissions = r.submissions + 1, submitted_at = EXCLUDED.submitted_at,
               decided_at = NULL`,
            [
              areaCode,
              quarter,
              q.start,
              q.end,
              e.data.note,
              JSON.stringify(e.data.snapshot),
              e.recordedAt,
              revision,
            ],
          );
          break;
        }
        case 'ReturnApproved':
        case 'ReturnSentBack':
          await ctx.query(
            `UPDATE ${t} SET status = $3, comments = $4, decided_at = $5 WHERE area_code = $1 AND quarter = $2`,
            [
              areaCode,
              quarter,
              e.type === 'ReturnApproved' ? 'APPROVED' : 'SENT_BACK',
              e.data.comments || null,
              e.recordedAt,
            ],
          );
          break;
      }
      await ctx.query(`UPDATE ${t} SET revision = $2 WHERE area_code = $1`, [areaCode, revision]);
    }
  }
}
