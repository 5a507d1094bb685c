import { BadUserInputError, ConflictError, NotFoundError } from '@iap/common';
import type { Decider } from '@iap/event-store';
import { financialQuarterOf, parseFinancialQuarter } from '../../shared/periods.js';

/**
 * Periodic returns: each quarter a pilot submits a return. Submitting locks the period for that area; the
 * central team approves it (it stays locked) or sends it back with comments (which unlocks it). One stream per
 * area holds every quarter's return.
 */
export function returnStream(areaCode: string): string {
  return `return-${areaCode}`;
}

export const RETURN_STATUSES = ['NOT_SUBMITTED', 'SUBMITTED', 'APPROVED', 'SENT_BACK'] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

/** What the area reported for the quarter, as it stood at submission (figures in pence and counts). */
export interface ReturnSnapshot {
  readonly spendPence: number;
  /** Measurements whose period ends in the quarter. */
  readonly measurements: number;
  readonly actionsByStatus: Readonly<Record<string, number>>;
}

/** What the handler passes in about the area (structurally, the areas context's AreaState). */
export type AreaFacts = { readonly registered: false } | { readonly registered: true; readonly kind: string };

export type ReturnEvent =
  | {
      type: 'ReturnSubmitted';
      data: { areaCode: string; quarter: string; note: string; snapshot: ReturnSnapshot };
    }
  | { type: 'ReturnApproved'; data: { areaCode: string; quarter: string; comments: string } }
  | { type: 'ReturnSentBack'; data: { areaCode: string; quarter: string; comments: string } };

export type ReturnCommand =
  | {
      type: 'SubmitReturn';
      areaCode: string;
      quarter: string;
      note: string;
      snapshot: ReturnSnapshot;
      /** Today's date (ISO): a quarter that has not started cannot be reported on. */
      today: string;
      area: AreaFacts;
    }
  | { type: 'ApproveReturn'; areaCode: string; quarter: string; comments: string }
  | { type: 'SendBackReturn'; areaCode: string; quarter: string; comments: string };

/**
 * Each quarter's return status. As the period-lock fact given to other deciders it also carries the area's name
 * (`loadReturns`), so that a refusal names the area as people know it.
 */
export type ReturnsState = ReadonlyMap<string, ReturnStatus> & { readonly areaName?: string };

/** The area's returns as the period-lock fact: with the area's name for the words of a refusal. */
export function namedReturns(returns: ReturnsState, areaName: string | undefined): ReturnsState {
  return Object.assign(new Map(returns), { areaName });
}

export function isLocked(status: ReturnStatus | undefined): boolean {
  return status === 'SUBMITTED' || status === 'APPROVED';
}

/**
 * Refuses a change to a quarter whose return is submitted or approved: CONFLICT naming the field. Pure, so
 * that deciders given the area's returns can apply it too.
 */
export function checkPeriodOpen(
  returns: ReturnsState,
  areaCode: string,
  quarter: string,
  field: string,
): void {
  const status = returns.get(quarter);
  if (isLocked(status)) {
    throw new ConflictError(
      `${quarter} is locked for ${returns.areaName ?? areaCode}: its return is ${status!.toLowerCase()}. Ask the central team to send it back to make changes.`,
      { field, period: quarter },
    );
  }
}

/** The same check for a date: the quarter the date falls in must be open. */
export function checkDateOpen(returns: ReturnsState, areaCode: string, date: string, field: string): void {
  checkPeriodOpen(returns, areaCode, financialQuarterOf(date).name, field);
}

/** The area must be registered (NOT_FOUND) and one of the programme's pilots (BAD_USER_INPUT). */
export function checkPilot(area: AreaFacts, areaCode: string, field = 'areaCode'): void {
  if (!area.registered) throw new NotFoundError(`Area ${areaCode} is not registered`);
  if (area.kind !== 'PILOT') {
    throw BadUserInputError.field(
      field,
      `${areaCode} is not a pilot integration area: only pilots report outcomes and returns`,
    );
  }
}

function statusWords(status: ReturnStatus): string {
  return status.toLowerCase().replace('_', ' ');
}

export const returnDecider: Decider<ReturnsState, ReturnCommand, ReturnEvent> = {
  initialState: () => new Map(),
  evolve(state, event) {
    const next = new Map(state);
    const status: ReturnStatus =
      event.type === 'ReturnSubmitted'
        ? 'SUBMITTED'
        : event.type === 'ReturnApproved'
          ? 'APPROVED'
          : 'SENT_BACK';
    next.set(event.data.quarter, status);
    return next;
  },
  decide(command, state) {
    const quarter = parseFinancialQuarter(command.quarter);
    if (!quarter)
      throw BadUserInputError.field(
        'quarter',
        `must be a financial quarter such as 2019-20 Q3, got "${command.quarter}"`,
      );
    const status = state.get(command.quarter) ?? 'NOT_SUBMITTED';
    const { areaCode } = command;
    switch (command.type) {
      case 'SubmitReturn': {
        checkPilot(command.area, areaCode);
        if (command.today < quarter.start) {
          throw BadUserInputError.field(
            'quarter',
            `${command.quarter} has not started yet (it starts ${quarter.start})`,
          );
        }
        if (isLocked(status)) {
          throw new ConflictError(
            `The ${command.quarter} return for ${areaCode} is already ${statusWords(status)}`,
            { field: 'quarter' },
          );
        }
        const note = (command.note ?? '').trim();
        if (note.length > 4000) throw BadUserInputError.field('note', 'must be at most 4000 characters');
        return [
          {
            type: 'ReturnSubmitted',
            data: { areaCode, quarter: command.quarter, note, snapshot: command.snapshot },
          },
        ];
      }
      case 'ApproveReturn': {
        if (status !== 'SUBMITTED') {
          throw new ConflictError(
            `Only a submitted return can be approved; the ${command.quarter} return for ${areaCode} is ${statusWords(status)}`,
            { field: 'quarter' },
          );
        }
        const comments = (command.comments ?? '').trim();
        if (comments.length > 4000)
          throw BadUserInputError.field('comments', 'must be at most 4000 characters');
        return [{ type: 'ReturnApproved', data: { areaCode, quarter: command.quarter, comments } }];
      }
      case 'SendBackReturn': {
        if (status !== 'SUBMITTED') {
          throw new ConflictError(
            `Only a submitted return can be sent back; the ${command.quarter} return for ${areaCode} is ${statusWords(status)}`,
            { field: 'quarter' },
          );
        }
        const comments = (command.comments ?? '').trim();
        if (!comments) throw BadUserInputError.field('comments', 'must say what needs changing');
        if (comments.length > 4000)
          throw BadUserInputError.field('comments', 'must be at most 4000 characters');
        return [{ type: 'ReturnSentBack', data: { areaCode, quarter: command.quarter, comments } }];
      }
    }
  },
};
