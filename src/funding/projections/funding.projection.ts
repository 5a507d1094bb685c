import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@iap/event-store';
import { type Projection, type ProjectionContext, ReadModelProjection } from '@iap/projections';
import { FUNDING_EVENT_TYPES, type FundingEvent } from '../domain/funding.js';

type YearColumn =
  | 'allocated_pence'
  | 'committed_pence'
  | 'spent_pence'
  | 'match_cash_pence'
  | 'match_in_kind_pence'
  | 'overspend_approved_pence';

/**
 * Funding read models: per area and year the running totals, and beside them allocations by stream,
 * commitments by action, spend by action and quarter (current figure, original figure, corrections) and
 * match funding. Every year row of an area carries the area's funding stream revision (for expectedRevision).
 */
@ReadModelProjection()
@Injectable()
export class FundingProjection implements Projection {
  readonly name = 'funding';
  readonly tables = [
    'funding_years',
    'funding_allocations',
    'funding_commitments',
    'funding_spend',
    'funding_match',
  ];
  readonly eventTypes = FUNDING_EVENT_TYPES;

  async apply(events: readonly RecordedEvent[], ctx: ProjectionContext): Promise<void> {
    const years = ctx.table('funding_years');
    const allocations = ctx.table('funding_allocations');
    const commitments = ctx.table('funding_commitments');
    const spend = ctx.table('funding_spend');
    const match = ctx.table('funding_match');

    const addToYear = (area: string, year: string, column: YearColumn, pence: number, revision: string) =>
      ctx.query(
        `INSERT INTO ${years} AS y (area_code, year, ${column}, revision) VALUES ($1, $2, $3, $4)
         ON CONFLICT (area_code, year) DO UPDATE SET ${column} = y.${column} + EXCLUDED.${column}`,
        [area, year, pence, revision],
      );
    const addToStream = (area: string, year: string, stream: string, pence: number) =>
      ctx.query(
        `INSERT INTO ${allocations} AS a (area_code, year, funding_stream, allocated_pence) VALUES ($1, $2, $3, $4)
         ON CONFLICT (area_code, year, funding_stream) DO UPDATE SET allocated_pence = a.allocated_pence + EXCLUDED.allocated_pence`,
        [area, year, stream, pence],
      );
    const addSpend = async (
      area: string,
      year: string,
      actionId: string,
      pence: number,
      revision: string,
    ) => {
      await addToYear(area, year, 'spent_pence', pence, revision);
      await ctx.query(
        `UPDATE ${commitments} SET spent_pence = spent_pence + $4 WHERE area_code = $1 AND year = $2 AND action_id = $3`,
        [area, year, actionId, pence],
      );
    };

    for (const e of events as unknown as readonly (RecordedEvent & FundingEvent)[]) {
      const revision = e.revision.toString();
      const area = e.data.areaCode;
      switch (e.type) {
        case 'GrantAllocated': {
          const { year, fundingStream, amountPence } = e.data;
          await addToYear(area, year, 'allocated_pence', amountPence, revision);
          await addToStream(area, year, fundingStream, amountPence);
          break;
        }
        case 'AllocationReprofiled': {
          const { fromYear, toYear, fundingStream, amountPence } = e.data;
          await addToYear(area, fromYear, 'allocated_pence', -amountPence, revision);
          await addToStream(area, fromYear, fundingStream, -amountPence);
          await addToYear(area, toYear, 'allocated_pence', amountPence, revision);
          await addToStream(area, toYear, fundingStream, amountPence);
          break;
        }
        case 'AllocationReduced': {
          const { year, fundingStream, amountPence } = e.data;
          await addToYear(area, year, 'allocated_pence', -amountPence, revision);
          await addToStream(area, year, fundingStream, -amountPence);
          break;
        }
        case 'OverspendApproved':
          await addToYear(area, e.data.year, 'overspend_approved_pence', e.data.amountPence, revision);
          break;
        case 'FundsCommitted': {
          const { actionId, year, amountPence } = e.data;
          await addToYear(area, year, 'committed_pence', amountPence, revision);
          await ctx.query(
            `INSERT INTO ${commitments} AS c (area_code, year, action_id, committed_pence) VALUES ($1, $2, $3, $4)
             ON CONFLICT (area_code, year, action_id) DO UPDATE SET committed_pence = c.committed_pence + EXCLUDED.committed_pence`,
            [area, year, actionId, amountPence],
          );
          break;
        }
        case 'SpendReported': {
          const { actionId, quarter, year, amountPence, note } = e.data;
          await ctx.query(
            `INSERT INTO ${spend} (area_code, action_id, quarter, year, amount_pence, original_pence, note, reported_at)
             VALUES ($1, $2, $3, $4, $5, $5, $6, $7)`,
            [area, actionId, quarter, year, amountPence, note, e.recordedAt],
          );
          await addSpend(area, year, actionId, amountPence, revision);
          break;
        }
        case 'SpendCorrected': {
          const { actionId, quarter, year, amountPence, previousPence } = e.data;
          await ctx.query(
            `UPDATE ${spend} SET amount_pence = $4, corrections = corrections + 1, corrected_at = $5
              WHERE area_code = $1 AND action_id = $2 AND quarter = $3`,
            [area, actionId, quarter, amountPence, e.recordedAt],
          );
          await addSpend(area, year, actionId, amountPence - previousPence, revision);
          break;
        }
        case 'MatchFundingRecorded': {
          const { matchId, partnerId, actionId, year, kind, amountPence, description } = e.data;
          await ctx.query(
            `INSERT INTO ${match} (match_id, area_code, partner_id, action_id, year, kind, amount_pence, description, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
            [matchId, area, partnerId, actionId, year, kind, amountPence, description, e.recordedAt],
          );
          await addToYear(
            area,
            year,
            kind === 'CASH' ? 'match_cash_pence' : 'match_in_kind_pence',
            amountPence,
            revision,
          );
          break;
        }
      }
      // Every year of the area answers with the stream's revision, whichever year the event touched.
      await ctx.query(`UPDATE ${years} SET revision = $2 WHERE area_code = $1`, [area, revision]);
    }
  }
}
