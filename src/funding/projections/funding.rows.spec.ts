import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '@iap/event-store';
import type { FundingEvent } from '../domain/funding.js';
import { ALLOCATIONS_TABLE, COMMITMENTS_TABLE, SPEND_TABLE, YEARS_TABLE } from './funding.projection.js';
import {
  type AllocationRow,
  type CommitmentRow,
  type FundingRows,
  type MatchRow,
  RowsInMemory,
  type SpendRow,
  type YearRow,
  applyFundingEvent,
} from './funding.rows.js';

const AREA = 'E06000008';
const IAP = 'Integration Area Programme';

/** Folds the events, recorded at the given instants, and answers each allocation's award date. */
function awardDates(events: [FundingEvent, string][]): Record<string, string> {
  const allocations = new RowsInMemory<AllocationRow>(ALLOCATIONS_TABLE.key);
  const rows: FundingRows = {
    years: new RowsInMemory<YearRow>(YEARS_TABLE.key),
    allocations,
    commitments: new RowsInMemory<CommitmentRow>(COMMITMENTS_TABLE.key),
    spend: new RowsInMemory<SpendRow>(SPEND_TABLE.key),
    match: [] as MatchRow[],
  };
  events.forEach(([e, recordedAt], i) => {
    const recorded: RecordedEvent = {
      id: `e-${i}`,
      type: e.type,
      streamId: `funding-${AREA}`,
      revision: BigInt(i),
      position: { commit: BigInt(i + 1), prepare: BigInt(i + 1) },
      data: e.data,
      metadata: { schemaVersion: 1 },
      recordedAt: new Date(recordedAt),
    };
    applyFundingEvent(rows, recorded as RecordedEvent & FundingEvent);
  });
  return Object.fromEntries(
    allocations.all().map((r) => [r.year, new Date(r.awarded_at).toISOString().slice(0, 10)]),
  );
}

const grant = (year: string, awardedOn?: string): FundingEvent => ({
  type: 'GrantAllocated',
  data: {
    areaCode: AREA,
    year,
    fundingStream: IAP,
    amountPence: 100,
    note: '',
    ...(awardedOn ? { awardedOn } : {}),
  },
});

describe('funding rows: award dates', () => {
  it("dates an allocation by its grant's awardedOn, not when it was recorded", () => {
    expect(awardDates([[grant('2019-20', '2019-03-08'), '2026-12-07T10:00:00Z']])).toEqual({
      '2019-20': '2019-03-08',
    });
  });

  it("dates a grant stored without awardedOn by its recorded time's date in England", () => {
    // 23:30 UTC on 30 June 2019 is already 1 July in England (BST).
    expect(awardDates([[grant('2019-20'), '2019-06-30T23:30:00Z']])).toEqual({ '2019-20': '2019-07-01' });
  });

  it('keeps the earliest award date of the money in an allocation, following reprofiled money', () => {
    const moved: FundingEvent = {
      type: 'AllocationReprofiled',
      data: {
        areaCode: AREA,
        fromYear: '2019-20',
        toYear: '2020-21',
        fundingStream: IAP,
        amountPence: 10,
        reason: 'x',
      },
    };
    expect(
      awardDates([
        [grant('2019-20', '2019-03-08'), '2026-12-07T10:00:00Z'],
        [grant('2019-20', '2019-09-01'), '2026-12-07T10:00:01Z'],
        [moved, '2026-12-07T10:00:02Z'],
        [grant('2020-21', '2020-03-20'), '2026-12-07T10:00:03Z'],
      ]),
    ).toEqual({ '2019-20': '2019-03-08', '2020-21': '2019-03-08' });
  });
});
