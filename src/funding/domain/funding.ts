import { BadUserInputError, ConflictError, NotFoundError } from '@iap/common';
import type { Decider } from '@iap/event-store';
import { type ReturnsState, checkPeriodOpen } from '../../outcomes/domain/public-api.js';
import {
  isIsoDate,
  requireFinancialQuarter,
  requireFinancialYear,
  requirePence,
  todayInEngland,
} from '../../shared/periods.js';
import { formatPence } from './money.js';

/**
 * An area's programme funding: the central team allocates grant by financial year and funding stream, and may
 * reprofile it between years, claw it back, or approve an overspend; the area commits funds to its actions,
 * reports spend by quarter (and corrects it, keeping the original), and records partners' match funding.
 * Money is integer pence. One stream per area holds every year, so moving money between years is one append.
 */
export function fundingStreamId(areaCode: string): string {
  return `funding-${areaCode}`;
}

export const MATCH_KINDS = ['CASH', 'IN_KIND'] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];

/** The status delivery gives a cancelled action. */
export const CANCELLED = 'CANCELLED';

export const MAX_TEXT = 2000;
export const MAX_STREAM_NAME = 200;

// ---------------------------------------------------------------------------------------------------- events

export interface GrantAllocated {
  readonly type: 'GrantAllocated';
  readonly data: {
    areaCode: string;
    year: string;
    fundingStream: string;
    amountPence: number;
    note: string;
    /**
     * The ISO date the grant was awarded (since 2026-12). Events stored before carry none and are not upcast:
     * readers fall back to the date in England of the event's recorded time (`grantAwardedOn`).
     */
    awardedOn?: string;
  };
}

/** The date a grant was awarded: its `awardedOn`, or for an older event the recorded time's date in England. */
export function grantAwardedOn(data: GrantAllocated['data'], recordedAt: Date): string {
  return data.awardedOn ?? todayInEngland(recordedAt);
}
export interface AllocationReprofiled {
  readonly type: 'AllocationReprofiled';
  readonly data: {
    areaCode: string;
    fromYear: string;
    toYear: string;
    fundingStream: string;
    amountPence: number;
    reason: string;
  };
}
/** Clawback: the central team takes back part of an allocation. */
export interface AllocationReduced {
  readonly type: 'AllocationReduced';
  readonly data: {
    areaCode: string;
    year: string;
    fundingStream: string;
    amountPence: number;
    reason: string;
  };
}
/** Extra headroom for commitments in a year beyond what is allocated. */
export interface OverspendApproved {
  readonly type: 'OverspendApproved';
  readonly data: { areaCode: string; year: string; amountPence: number; reason: string };
}
export interface FundsCommitted {
  readonly type: 'FundsCommitted';
  /** `note` (optional, since 2026-12): e.g. the demo's mark that a figure is illustrative. Older events have none. */
  readonly data: { areaCode: string; actionId: string; year: string; amountPence: number; note?: string };
}
export interface SpendReported {
  readonly type: 'SpendReported';
  readonly data: {
    areaCode: string;
    actionId: string;
    quarter: string;
    year: string;
    amountPence: number;
    note: string;
  };
}
/** A quarter's spend restated; `previousPence` is the figure it replaces (the original stays in history). */
export interface SpendCorrected {
  readonly type: 'SpendCorrected';
  readonly data: {
    areaCode: string;
    actionId: string;
    quarter: string;
    year: string;
    amountPence: number;
    previousPence: number;
    reason: string;
  };
}
export interface MatchFundingRecorded {
  readonly type: 'MatchFundingRecorded';
  readonly data: {
    areaCode: string;
    matchId: string;
    partnerId: string;
    actionId: string | null;
    year: string;
    kind: MatchKind;
    amountPence: number;
    description: string;
  };
}

export type FundingEvent =
  | GrantAllocated
  | AllocationReprofiled
  | AllocationReduced
  | OverspendApproved
  | FundsCommitted
  | SpendReported
  | SpendCorrected
  | MatchFundingRecorded;

export const FUNDING_EVENT_TYPES: readonly FundingEvent['type'][] = [
  'GrantAllocated',
  'AllocationReprofiled',
  'AllocationReduced',
  'OverspendApproved',
  'FundsCommitted',
  'SpendReported',
  'SpendCorrected',
  'MatchFundingRecorded',
];

// ---------------------------------------------------------------------------- facts from other contexts

/** The area as the areas context knows it (loaded by the handler). */
export type AreaFacts = { readonly registered: false } | { readonly registered: true; readonly kind: string };

/** An action as the delivery context knows it (loaded by the handler). */
export type ActionFacts =
  | { readonly exists: false }
  | { readonly exists: true; readonly areaCode: string; readonly status: string; readonly title: string };

// -------------------------------------------------------------------------------------------------- commands

export interface AllocateGrant {
  readonly type: 'AllocateGrant';
  readonly areaCode: string;
  readonly year: string;
  readonly fundingStream: string;
  readonly amountPence: number;
  readonly note: string;
  /** The ISO date the grant was awarded; today when omitted. */
  readonly awardedOn?: string;
  /** Today's date in England (from the handler's clock): an award may not be dated later. */
  readonly today: string;
  readonly area: AreaFacts;
}
export interface ReprofileAllocation {
  readonly type: 'ReprofileAllocation';
  readonly areaCode: string;
  readonly fromYear: string;
  readonly toYear: string;
  readonly fundingStream: string;
  readonly amountPence: number;
  readonly reason: string;
}
export interface ReduceAllocation {
  readonly type: 'ReduceAllocation';
  readonly areaCode: string;
  readonly year: string;
  readonly fundingStream: string;
  readonly amountPence: number;
  readonly reason: string;
}
export interface ApproveOverspend {
  readonly type: 'ApproveOverspend';
  readonly areaCode: string;
  readonly year: string;
  readonly amountPence: number;
  readonly reason: string;
}
export interface CommitFunds {
  readonly type: 'CommitFunds';
  readonly areaCode: string;
  readonly actionId: string;
  readonly year: string;
  readonly amountPence: number;
  /** Optional: empty or absent writes no note. */
  readonly note?: string;
  readonly action: ActionFacts;
}
export interface ReportSpend {
  readonly type: 'ReportSpend';
  readonly areaCode: string;
  readonly actionId: string;
  readonly quarter: string;
  readonly amountPence: number;
  readonly note: string;
  /** The area's periodic returns: a quarter whose return is submitted or approved is locked. */
  readonly returns: ReturnsState;
}
export interface CorrectSpend {
  readonly type: 'CorrectSpend';
  readonly areaCode: string;
  readonly actionId: string;
  readonly quarter: string;
  readonly amountPence: number;
  readonly reason: string;
  /** The area's periodic returns: a quarter whose return is submitted or approved is locked. */
  readonly returns: ReturnsState;
}
export interface RecordMatchFunding {
  readonly type: 'RecordMatchFunding';
  readonly areaCode: string;
  readonly matchId: string;
  readonly partnerId: string;
  readonly actionId: string | null;
  readonly year: string;
  readonly kind: MatchKind;
  readonly amountPence: number;
  readonly description: string;
  readonly area: AreaFacts;
  /** The partner, if it is registered in this area's partnership. */
  readonly partner: { readonly name: string } | null;
  /** The action the match funding supports, when `actionId` is given. */
  readonly action: ActionFacts | null;
}

export type FundingCommand =
  | AllocateGrant
  | ReprofileAllocation
  | ReduceAllocation
  | ApproveOverspend
  | CommitFunds
  | ReportSpend
  | CorrectSpend
  | RecordMatchFunding;

// ----------------------------------------------------------------------------------------------------- state

export interface YearFunding {
  /** Allocation by funding stream, after reprofiling and clawback. */
  readonly allocations: ReadonlyMap<string, number>;
  readonly overspendApproved: number;
  /** Committed pence by action. */
  readonly commitments: ReadonlyMap<string, number>;
}

export interface SpendReport {
  readonly amountPence: number;
  readonly originalPence: number;
  readonly corrections: number;
}

export interface FundingState {
  readonly years: ReadonlyMap<string, YearFunding>;
  /** Spend reports by `actionId|quarter`. */
  readonly spend: ReadonlyMap<string, SpendReport>;
  readonly matchIds: ReadonlySet<string>;
}

const EMPTY_YEAR: YearFunding = { allocations: new Map(), overspendApproved: 0, commitments: new Map() };

function yearOf(state: FundingState, year: string): YearFunding {
  return state.years.get(year) ?? EMPTY_YEAR;
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

export function allocatedIn(state: FundingState, year: string): number {
  return sum(yearOf(state, year).allocations.values());
}

export function committedIn(state: FundingState, year: string): number {
  return sum(yearOf(state, year).commitments.values());
}

/** What may still be committed in a year: allocated + approved overspend − committed. */
export function uncommittedIn(state: FundingState, year: string): number {
  return allocatedIn(state, year) + yearOf(state, year).overspendApproved - committedIn(state, year);
}

function spendKey(actionId: string, quarter: string): string {
  return `${actionId}|${quarter}`;
}

/** A fold's own funding state, changed in place by `evolve` (see fundingDecider.evolve). */
interface OwnYear {
  allocations: Map<string, number>;
  overspendApproved: number;
  commitments: Map<string, number>;
}
interface OwnFundingState {
  years: Map<string, OwnYear>;
  spend: Map<string, SpendReport>;
  matchIds: Set<string>;
}

/** The year's entry of a fold's own state, made when it has none (never the shared EMPTY_YEAR). */
function ownYear(state: OwnFundingState, year: string): OwnYear {
  let y = state.years.get(year);
  if (!y) {
    y = { allocations: new Map(), overspendApproved: 0, commitments: new Map() };
    state.years.set(year, y);
  }
  return y;
}

function addAllocation(state: OwnFundingState, year: string, stream: string, delta: number): void {
  const { allocations } = ownYear(state, year);
  allocations.set(stream, (allocations.get(stream) ?? 0) + delta);
}

// ------------------------------------------------------------------------------------------------ validation

function requireText(field: string, value: string, why: string): string {
  const text = value.trim();
  if (text.length === 0) throw BadUserInputError.field(field, why);
  if (text.length > MAX_TEXT) throw BadUserInputError.field(field, `must be at most ${MAX_TEXT} characters`);
  return text;
}

function optionalText(field: string, value: string): string {
  const text = value.trim();
  if (text.length > MAX_TEXT) throw BadUserInputError.field(field, `must be at most ${MAX_TEXT} characters`);
  return text;
}

function requireStreamName(value: string): string {
  const name = value.trim().replace(/\s+/g, ' ');
  if (name.length === 0) {
    throw BadUserInputError.field(
      'fundingStream',
      'must name the funding stream, e.g. "Integration Area Programme"',
    );
  }
  if (name.length > MAX_STREAM_NAME) {
    throw BadUserInputError.field('fundingStream', `must be at most ${MAX_STREAM_NAME} characters`);
  }
  return name;
}

/** The stream's name as first allocated, when one matches ignoring case; otherwise the name given. */
function canonicalStream(state: FundingState, name: string): string {
  const wanted = name.toLowerCase();
  for (const y of state.years.values()) {
    for (const s of y.allocations.keys()) if (s.toLowerCase() === wanted) return s;
  }
  return name;
}

/** An award date: a real calendar date, not after today. */
function requireAwardDate(value: string, today: string): string {
  if (!isIsoDate(value)) {
    throw BadUserInputError.field('awardedOn', `must be a real date in the form YYYY-MM-DD, got "${value}"`);
  }
  if (value > today) {
    throw BadUserInputError.field(
      'awardedOn',
      `must be today or in the past (today is ${today}), got ${value}`,
    );
  }
  return value;
}

function requireId(field: string, value: string): string {
  const id = value.trim();
  if (id.length === 0) throw BadUserInputError.field(field, 'must not be blank');
  return id;
}

function requirePilot(areaCode: string, area: AreaFacts): void {
  if (!area.registered) throw new NotFoundError(`Area ${areaCode} is not registered`);
  if (area.kind !== 'PILOT') {
    throw new ConflictError(
      `${areaCode} is not a pilot integration area: only pilots receive programme funding`,
      {
        field: 'areaCode',
      },
    );
  }
}

/** The action must exist, belong to the area and not be cancelled. */
function requireLiveAction(areaCode: string, actionId: string, action: ActionFacts, doing: string): void {
  if (!action.exists) throw new NotFoundError(`Action ${actionId} does not exist`);
  if (action.areaCode !== areaCode) {
    throw BadUserInputError.field('actionId', `is an action of ${action.areaCode}, not of ${areaCode}`);
  }
  if (action.status === CANCELLED) {
    throw new ConflictError(`Action "${action.title}" (${actionId}) is cancelled: you cannot ${doing} it`, {
      field: 'actionId',
    });
  }
}

/** The part of a stream's allocation in a year that is not committed (what may be moved or clawed back). */
export function movableIn(state: FundingState, year: string, stream: string): number {
  const streamAllocation = yearOf(state, year).allocations.get(stream) ?? 0;
  const uncommitted = Math.max(0, allocatedIn(state, year) - committedIn(state, year));
  return Math.min(streamAllocation, uncommitted);
}

function requireMovable(
  state: FundingState,
  areaCode: string,
  year: string,
  stream: string,
  amountPence: number,
  doing: string,
): void {
  const movable = movableIn(state, year, stream);
  if (amountPence <= movable) return;
  const streamAllocation = yearOf(state, year).allocations.get(stream) ?? 0;
  if (streamAllocation === 0) {
    throw new ConflictError(`${areaCode} has no "${stream}" allocation in ${year} to ${doing}`, {
      field: 'fundingStream',
    });
  }
  throw new ConflictError(
    `Cannot ${doing} ${formatPence(amountPence)} of ${areaCode}'s "${stream}" allocation for ${year}: ` +
      `it is ${formatPence(streamAllocation)}, the year's allocation is ${formatPence(allocatedIn(state, year))} ` +
      `of which ${formatPence(committedIn(state, year))} is committed, so at most ${formatPence(movable)} is uncommitted`,
    { field: 'amountPence', year, fundingStream: stream, movablePence: movable },
  );
}

// --------------------------------------------------------------------------------------------------- decider

export const fundingDecider: Decider<FundingState, FundingCommand, FundingEvent> = {
  initialState: () => ({ years: new Map(), spend: new Map(), matchIds: new Set() }),

  // The state a fold evolves is its own (initialState makes a fresh one for each fold), so evolve changes it in
  // place: copying its maps for every event made a fold quadratic in the stream's length (a stream of 5,000 spend
  // reports and 5,000 commitments took 2 s to fold, 20,000 of each 48 s).
  evolve(state, event) {
    const own = state as OwnFundingState;
    switch (event.type) {
      case 'GrantAllocated':
        addAllocation(own, event.data.year, event.data.fundingStream, event.data.amountPence);
        break;
      case 'AllocationReprofiled': {
        const { fromYear, toYear, fundingStream, amountPence } = event.data;
        addAllocation(own, fromYear, fundingStream, -amountPence);
        addAllocation(own, toYear, fundingStream, amountPence);
        break;
      }
      case 'AllocationReduced':
        addAllocation(own, event.data.year, event.data.fundingStream, -event.data.amountPence);
        break;
      case 'OverspendApproved':
        ownYear(own, event.data.year).overspendApproved += event.data.amountPence;
        break;
      case 'FundsCommitted': {
        const { commitments } = ownYear(own, event.data.year);
        commitments.set(
          event.data.actionId,
          (commitments.get(event.data.actionId) ?? 0) + event.data.amountPence,
        );
        break;
      }
      case 'SpendReported': {
        const { actionId, quarter, amountPence } = event.data;
        own.spend.set(spendKey(actionId, quarter), {
          amountPence,
          originalPence: amountPence,
          corrections: 0,
        });
        break;
      }
      case 'SpendCorrected': {
        const key = spendKey(event.data.actionId, event.data.quarter);
        const before = own.spend.get(key);
        own.spend.set(key, {
          amountPence: event.data.amountPence,
          originalPence: before?.originalPence ?? event.data.previousPence,
          corrections: (before?.corrections ?? 0) + 1,
        });
        break;
      }
      case 'MatchFundingRecorded':
        own.matchIds.add(event.data.matchId);
        break;
    }
    return state;
  },

  decide(command, state) {
    const { areaCode } = command;
    switch (command.type) {
      case 'AllocateGrant': {
        const year = requireFinancialYear('year', command.year).name;
        const stream = requireStreamName(command.fundingStream);
        const amountPence = requirePence('amountPence', command.amountPence, { positive: true });
        const note = optionalText('note', command.note);
        const awardedOn = requireAwardDate(command.awardedOn ?? command.today, command.today);
        requirePilot(areaCode, command.area);
        return [
          {
            type: 'GrantAllocated',
            data: {
              areaCode,
              year,
              fundingStream: canonicalStream(state, stream),
              amountPence,
              note,
              awardedOn,
            },
          },
        ];
      }

      case 'ReprofileAllocation': {
        const fromYear = requireFinancialYear('fromYear', command.fromYear).name;
        const toYear = requireFinancialYear('toYear', command.toYear).name;
        if (fromYear === toYear) throw BadUserInputError.field('toYear', 'must differ from fromYear');
        const stream = canonicalStream(state, requireStreamName(command.fundingStream));
        const amountPence = requirePence('amountPence', command.amountPence, { positive: true });
        const reason = requireText('reason', command.reason, 'must say why the allocation is reprofiled');
        requireMovable(state, areaCode, fromYear, stream, amountPence, 'reprofile');
        return [
          {
            type: 'AllocationReprofiled',
            data: { areaCode, fromYear, toYear, fundingStream: stream, amountPence, reason },
          },
        ];
      }

      case 'ReduceAllocation': {
        const year = requireFinancialYear('year', command.year).name;
        const stream = canonicalStream(state, requireStreamName(command.fundingStream));
        const amountPence = requirePence('amountPence', command.amountPence, { positive: true });
        const reason = requireText('reason', command.reason, 'must say why the allocation is reduced');
        requireMovable(state, areaCode, year, stream, amountPence, 'claw back');
        return [
          { type: 'AllocationReduced', data: { areaCode, year, fundingStream: stream, amountPence, reason } },
        ];
      }

      case 'ApproveOverspend': {
        const year = requireFinancialYear('year', command.year).name;
        const amountPence = requirePence('amountPence', command.amountPence, { positive: true });
        const reason = requireText('reason', command.reason, 'must say why the overspend is approved');
        if (allocatedIn(state, year) === 0) {
          throw new ConflictError(
            `${areaCode} has no allocation for ${year}: allocate grant before approving an overspend`,
            {
              field: 'year',
            },
          );
        }
        return [{ type: 'OverspendApproved', data: { areaCode, year, amountPence, reason } }];
      }

      case 'CommitFunds': {
        const actionId = requireId('actionId', command.actionId);
        const year = requireFinancialYear('year', command.year).name;
        const amountPence = requirePence('amountPence', command.amountPence, { positive: true });
        const note = optionalText('note', command.note ?? '');
        requireLiveAction(areaCode, actionId, command.action, 'commit funds to');
        const uncommitted = uncommittedIn(state, year);
        if (amountPence > uncommitted) {
          const overspend = yearOf(state, year).overspendApproved;
          throw new ConflictError(
            `Committing ${formatPence(amountPence)} would exceed ${areaCode}'s uncommitted funding for ${year}: ` +
              `allocated ${formatPence(allocatedIn(state, year))}` +
              (overspend > 0 ? ` plus approved overspend ${formatPence(overspend)}` : '') +
              `, already committed ${formatPence(committedIn(state, year))}, ` +
              `so ${formatPence(Math.max(0, uncommitted))} can still be committed. ` +
              `Ask the central team to approve an overspend to commit more.`,
            {
              field: 'amountPence',
              year,
              allocatedPence: allocatedIn(state, year),
              overspendApprovedPence: overspend,
              committedPence: committedIn(state, year),
              uncommittedPence: uncommitted,
            },
          );
        }
        return [
          {
            type: 'FundsCommitted',
            data: { areaCode, actionId, year, amountPence, ...(note ? { note } : {}) },
          },
        ];
      }

      case 'ReportSpend': {
        const actionId = requireId('actionId', command.actionId);
        const quarter = requireFinancialQuarter('quarter', command.quarter);
        const amountPence = requirePence('amountPence', command.amountPence, { positive: true });
        const note = optionalText('note', command.note);
        const year = quarter.year.name;
        if (!yearOf(state, year).commitments.has(actionId)) {
          throw new ConflictError(
            `No funds are committed to action ${actionId} in ${year}: commit funds to it before reporting spend in ${quarter.name}`,
            { field: 'actionId', year },
          );
        }
        const existing = state.spend.get(spendKey(actionId, quarter.name));
        if (existing) {
          throw new ConflictError(
            `Spend of ${formatPence(existing.amountPence)} is already reported for action ${actionId} in ${quarter.name}: ` +
              `use correctSpend to change it`,
            { field: 'quarter', quarter: quarter.name },
          );
        }
        checkPeriodOpen(command.returns, areaCode, quarter.name, 'quarter');
        return [
          {
            type: 'SpendReported',
            data: { areaCode, actionId, quarter: quarter.name, year, amountPence, note },
          },
        ];
      }

      case 'CorrectSpend': {
        const actionId = requireId('actionId', command.actionId);
        const quarter = requireFinancialQuarter('quarter', command.quarter);
        // A correction may bring a quarter's spend down to nothing (e.g. it was reported against the wrong action).
        const amountPence = requirePence('amountPence', command.amountPence);
        const reason = requireText('reason', command.reason, 'must say why the spend is corrected');
        const existing = state.spend.get(spendKey(actionId, quarter.name));
        if (!existing) {
          throw new NotFoundError(
            `No spend is reported for action ${actionId} in ${quarter.name}: report it with reportSpend first`,
          );
        }
        if (existing.amountPence === amountPence) {
          throw BadUserInputError.field(
            'amountPence',
            `is already the reported figure (${formatPence(amountPence)})`,
          );
        }
        checkPeriodOpen(command.returns, areaCode, quarter.name, 'quarter');
        return [
          {
            type: 'SpendCorrected',
            data: {
              areaCode,
              actionId,
              quarter: quarter.name,
              year: quarter.year.name,
              amountPence,
              previousPence: existing.amountPence,
              reason,
            },
          },
        ];
      }

      case 'RecordMatchFunding': {
        const partnerId = requireId('partnerId', command.partnerId);
        const year = requireFinancialYear('year', command.year).name;
        if (!MATCH_KINDS.includes(command.kind)) {
          throw BadUserInputError.field('kind', `must be one of ${MATCH_KINDS.join(', ')}`);
        }
        const amountPence = requirePence('amountPence', command.amountPence, { positive: true });
        const description = requireText(
          'description',
          command.description,
          command.kind === 'CASH'
            ? 'must say what the money is for'
            : 'must say what the partner is contributing',
        );
        requirePilot(areaCode, command.area);
        if (!command.partner) {
          throw BadUserInputError.field('partnerId', `is not a registered partner of ${areaCode}`);
        }
        const actionId = command.actionId === null ? null : requireId('actionId', command.actionId);
        if (actionId !== null) {
          requireLiveAction(
            areaCode,
            actionId,
            command.action ?? { exists: false },
            'record match funding for',
          );
        }
        if (state.matchIds.has(command.matchId)) return []; // the same record again: nothing to do
        return [
          {
            type: 'MatchFundingRecorded',
            data: {
              areaCode,
              matchId: command.matchId,
              partnerId,
              actionId,
              year,
              kind: command.kind,
              amountPence,
              description,
            },
          },
        ];
      }
    }
  },
};
