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

type Key = string;
const keyOf = (...parts: string[]): Key => JSON.stringify(parts);

/** One area and year's changes over a batch (every touched row is written, even when a change nets to 0). */
interface YearDelta {
  area: string;
  year: string;
  pence: Record<YearColumn, number>;
}

interface SpendRow {
  area: string;
  actionId: string;
  quarter: string;
  year: string;
  amount: number;
  original: number;
  corrections: number;
  note: string;
  reportedAt: Date;
  correctedAt: Date | null;
}

/** The corrections a batch makes to a spend row written by an earlier batch: the last amount, how many, when. */
interface SpendCorrection {
  area: string;
  actionId: string;
  quarter: string;
  amount: number;
  count: number;
  at: Date;
}

/**
 * Funding read models: per area and year the running totals, and beside them allocations by stream,
 * commitments by action, spend by action and quarter (current figure, original figure, corrections) and
 * match funding. Every year row of an area carries the area's funding stream revision (for expectedRevision).
 *
 * A batch is applied as a set: its events are summed in memory in log order (one read first, of which
 * commitments the spend touches already exist) and written in one statement per table, so the tables end
 * exactly as event-by-event application would leave them, whatever the batch boundaries.
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
    const typed = events as unknown as readonly (RecordedEvent & FundingEvent)[];
    const years = new Map<Key, YearDelta>();
    const areaRevisions = new Map<string, string>();
    const streams = new Map<Key, { area: string; year: string; stream: string; pence: number }>();
    const commitments = new Map<
      Key,
      { area: string; year: string; actionId: string; committed: number; spent: number }
    >();
    const newSpend = new Map<Key, SpendRow>();
    const corrections = new Map<Key, SpendCorrection>();
    const matches: unknown[] = [];

    const addToYear = (area: string, year: string, column: YearColumn, pence: number) => {
      const key = keyOf(area, year);
      let d = years.get(key);
      if (!d) {
        d = { area, year, pence: { ...NO_PENCE } };
        years.set(key, d);
      }
      d.pence[column] += pence;
    };
    const addToStream = (area: string, year: string, stream: string, pence: number) => {
      const key = keyOf(area, year, stream);
      const d = streams.get(key);
      if (d) d.pence += pence;
      else streams.set(key, { area, year, stream, pence });
    };

    // Which commitments the batch's spend could add to exist before it (others only once committed in it).
    const existing = await this.existingCommitments(typed, ctx);
    const addSpend = (area: string, year: string, actionId: string, pence: number) => {
      addToYear(area, year, 'spent_pence', pence);
      const key = keyOf(area, year, actionId);
      const c = commitments.get(key);
      if (c) c.spent += pence;
      else if (existing.has(key)) commitments.set(key, { area, year, actionId, committed: 0, spent: pence });
    };

    for (const e of typed) {
      const area = e.data.areaCode;
      switch (e.type) {
        case 'GrantAllocated': {
          const { year, fundingStream, amountPence } = e.data;
          addToYear(area, year, 'allocated_pence', amountPence);
          addToStream(area, year, fundingStream, amountPence);
          break;
        }
        case 'AllocationReprofiled': {
          const { fromYear, toYear, fundingStream, amountPence } = e.data;
          addToYear(area, fromYear, 'allocated_pence', -amountPence);
          addToStream(area, fromYear, fundingStream, -amountPence);
          addToYear(area, toYear, 'allocated_pence', amountPence);
          addToStream(area, toYear, fundingStream, amountPence);
          break;
        }
        case 'AllocationReduced': {
          const { year, fundingStream, amountPence } = e.data;
          addToYear(area, year, 'allocated_pence', -amountPence);
          addToStream(area, year, fundingStream, -amountPence);
          break;
        }
        case 'OverspendApproved':
          addToYear(area, e.data.year, 'overspend_approved_pence', e.data.amountPence);
          break;
        case 'FundsCommitted': {
          const { actionId, year, amountPence } = e.data;
          addToYear(area, year, 'committed_pence', amountPence);
          const key = keyOf(area, year, actionId);
          const c = commitments.get(key);
          if (c) c.committed += amountPence;
          else commitments.set(key, { area, year, actionId, committed: amountPence, spent: 0 });
          break;
        }
        case 'SpendReported': {
          const { actionId, quarter, year, amountPence, note } = e.data;
          newSpend.set(keyOf(area, actionId, quarter), {
            area,
            actionId,
            quarter,
            year,
            amount: amountPence,
            original: amountPence,
            corrections: 0,
            note,
            reportedAt: e.recordedAt,
            correctedAt: null,
          });
          addSpend(area, year, actionId, amountPence);
          break;
        }
        case 'SpendCorrected': {
          const { actionId, quarter, year, amountPence, previousPence } = e.data;
          const key = keyOf(area, actionId, quarter);
          const row = newSpend.get(key);
          if (row) {
            row.amount = amountPence;
            row.corrections += 1;
            row.correctedAt = e.recordedAt;
          } else {
            const c = corrections.get(key);
            if (c) Object.assign(c, { amount: amountPence, count: c.count + 1, at: e.recordedAt });
            else
              corrections.set(key, {
                area,
                actionId,
                quarter,
                amount: amountPence,
                count: 1,
                at: e.recordedAt,
              });
          }
          addSpend(area, year, actionId, amountPence - previousPence);
          break;
        }
        case 'MatchFundingRecorded': {
          const { matchId, partnerId, actionId, year, kind, amountPence, description } = e.data;
          matches.push({
            match_id: matchId,
            area_code: area,
            partner_id: partnerId,
            action_id: actionId,
            year,
            kind,
            amount_pence: amountPence,
            description,
            recorded_at: e.recordedAt,
          });
          addToYear(area, year, kind === 'CASH' ? 'match_cash_pence' : 'match_in_kind_pence', amountPence);
          break;
        }
      }
      // Every year of the area answers with the stream's revision, whichever year the event touched.
      areaRevisions.set(area, e.revision.toString());
    }

    await this.writeYears([...years.values()], areaRevisions, ctx);
    if (streams.size > 0) {
      const rows = [...streams.values()];
      await ctx.query(
        `INSERT INTO ${ctx.table('funding_allocations')} AS a (area_code, year, funding_stream, allocated_pence)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
         ON CONFLICT (area_code, year, funding_stream) DO UPDATE SET allocated_pence = a.allocated_pence + EXCLUDED.allocated_pence`,
        [
          rows.map((r) => r.area),
          rows.map((r) => r.year),
          rows.map((r) => r.stream),
          rows.map((r) => r.pence),
        ],
      );
    }
    if (commitments.size > 0) {
      const rows = [...commitments.values()];
      await ctx.query(
        `INSERT INTO ${ctx.table('funding_commitments')} AS c (area_code, year, action_id, committed_pence, spent_pence)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[])
         ON CONFLICT (area_code, year, action_id) DO UPDATE SET committed_pence = c.committed_pence + EXCLUDED.committed_pence,
           spent_pence = c.spent_pence + EXCLUDED.spent_pence`,
        [
          rows.map((r) => r.area),
          rows.map((r) => r.year),
          rows.map((r) => r.actionId),
          rows.map((r) => r.committed),
          rows.map((r) => r.spent),
        ],
      );
    }
    const spend = ctx.table('funding_spend');
    if (newSpend.size > 0) {
      await ctx.query(
        `INSERT INTO ${spend} (area_code, action_id, quarter, year, amount_pence, original_pence, corrections, note,
           reported_at, corrected_at)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(area_code text, action_id text, quarter text, year text,
           amount_pence bigint, original_pence bigint, corrections int, note text, reported_at timestamptz,
           corrected_at timestamptz)`,
        [
          JSON.stringify(
            [...newSpend.values()].map((r) => ({
              area_code: r.area,
              action_id: r.actionId,
              quarter: r.quarter,
              year: r.year,
              amount_pence: r.amount,
              original_pence: r.original,
              corrections: r.corrections,
              note: r.note,
              reported_at: r.reportedAt,
              corrected_at: r.correctedAt,
            })),
          ),
        ],
      );
    }
    if (corrections.size > 0) {
      const rows = [...corrections.values()];
      await ctx.query(
        `UPDATE ${spend} AS s SET amount_pence = c.amount, corrections = s.corrections + c.n, corrected_at = c.at
           FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::int[], $6::timestamptz[])
             AS c(area_code, action_id, quarter, amount, n, at)
          WHERE s.area_code = c.area_code AND s.action_id = c.action_id AND s.quarter = c.quarter`,
        [
          rows.map((r) => r.area),
          rows.map((r) => r.actionId),
          rows.map((r) => r.quarter),
          rows.map((r) => r.amount),
          rows.map((r) => r.count),
          rows.map((r) => r.at),
        ],
      );
    }
    if (matches.length > 0) {
      await ctx.query(
        `INSERT INTO ${ctx.table('funding_match')} (match_id, area_code, partner_id, action_id, year, kind, amount_pence,
           description, recorded_at)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(match_id text, area_code text, partner_id text, action_id text,
           year text, kind text, amount_pence bigint, description text, recorded_at timestamptz)`,
        [JSON.stringify(matches)],
      );
    }
  }

  /** Keys (area, year, action) of the commitments that the batch's spend events name and the table holds. */
  private async existingCommitments(
    events: readonly (RecordedEvent & FundingEvent)[],
    ctx: ProjectionContext,
  ): Promise<Set<Key>> {
    const wanted = new Map<Key, [string, string, string]>();
    for (const e of events) {
      if (e.type === 'SpendReported' || e.type === 'SpendCorrected')
        wanted.set(keyOf(e.data.areaCode, e.data.year, e.data.actionId), [
          e.data.areaCode,
          e.data.year,
          e.data.actionId,
        ]);
    }
    if (wanted.size === 0) return new Set();
    const keys = [...wanted.values()];
    const found = await ctx.query<{ area_code: string; year: string; action_id: string }>(
      `SELECT c.area_code, c.year, c.action_id FROM ${ctx.table('funding_commitments')} AS c
         JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(area_code, year, action_id)
           ON c.area_code = k.area_code AND c.year = k.year AND c.action_id = k.action_id`,
      [keys.map((k) => k[0]), keys.map((k) => k[1]), keys.map((k) => k[2])],
    );
    return new Set(found.map((r) => keyOf(r.area_code, r.year, r.action_id)));
  }

  private async writeYears(
    deltas: readonly YearDelta[],
    areaRevisions: ReadonlyMap<string, string>,
    ctx: ProjectionContext,
  ): Promise<void> {
    if (areaRevisions.size === 0) return;
    const t = ctx.table('funding_years');
    if (deltas.length > 0) {
      const column = (c: YearColumn) => deltas.map((d) => d.pence[c]);
      await ctx.query(
        `INSERT INTO ${t} AS y (area_code, year, ${YEAR_COLUMNS.join(', ')}, revision)
         SELECT * FROM unnest($1::text[], $2::text[], ${YEAR_COLUMNS.map((_, i) => `$${i + 3}::bigint[]`).join(', ')},
           $${YEAR_COLUMNS.length + 3}::bigint[])
         ON CONFLICT (area_code, year) DO UPDATE SET
           ${YEAR_COLUMNS.map((c) => `${c} = y.${c} + EXCLUDED.${c}`).join(', ')}`,
        [
          deltas.map((d) => d.area),
          deltas.map((d) => d.year),
          ...YEAR_COLUMNS.map(column),
          deltas.map((d) => areaRevisions.get(d.area)!),
        ],
      );
    }
    const areas = [...areaRevisions.keys()];
    await ctx.query(
      `UPDATE ${t} AS y SET revision = r.revision
         FROM unnest($1::text[], $2::bigint[]) AS r(area_code, revision)
        WHERE y.area_code = r.area_code AND y.revision IS DISTINCT FROM r.revision`,
      [areas, areas.map((a) => areaRevisions.get(a)!)],
    );
  }
}

const YEAR_COLUMNS: readonly YearColumn[] = [
  'allocated_pence',
  'committed_pence',
  'spent_pence',
  'match_cash_pence',
  'match_in_kind_pence',
  'overspend_approved_pence',
];
const NO_PENCE: Record<YearColumn, number> = Object.fromEntries(YEAR_COLUMNS.map((c) => [c, 0])) as Record<
  YearColumn,
  number
>;
