import { BadUserInputError, ConflictError } from '@iap/common';
import type { Decider } from '@iap/event-store';
import { parseFinancialQuarter } from '../../shared/periods.js';

/**
 * Periodic returns: each quarter a pilot submits a return. Submitting locks the period for that area; the
 * central team approves it (it stays locked) or sends it back with comments (which unlocks it). One stream per
 * area holds every quarter's return.
 */
export function returnStream(areaCode: string): string {
  return `return-${areaCode}`;
}

export type ReturnStatus = 'NOT_SUBMITTED' | 'SUBMITTED' | 'APPROVED' | 'SENT_BACK';

/** What the area reported for the quarter, as it stood at submission (figures in pence and counts). */
export interface ReturnSnapshot {
  readonly spendPence: number;
  readonly measurements: number;
  readonly actionsByStatus: Readonly<Record<string, number>>;
}

export type ReturnEvent =
  | { type: 'ReturnSubmitted'; data: { areaCode: string; quarter: string; note: string; snapshot: ReturnSnapshot } }
  | { type: 'ReturnApproved'; data: { areaCode: string; quarter: string; comments: string } }
  | { type: 'ReturnSentBack'; data: { areaCode: string; quarter: string; comments: string } };

export type ReturnCommand =
  | { type: 'SubmitReturn'; areaCode: string; quarter: string; note: string; snapshot: ReturnSnapshot; today: string }
  | { type: 'ApproveReturn'; areaCode: string; quarter: string; comments: string }
  | { type: 'SendBackReturn'; areaCode: string; quarter: string; comments: string };

export type ReturnsState = ReadonlyMap<string, ReturnStatus>;

export function isLocked(status: ReturnStatus | undefined): boolean {
  return status === 'SUBMITTED' || status === 'APPROVED';
}

export const returnDecider: Decider<ReturnsState, ReturnCommand, ReturnEvent> = {
  initialState: new Map(),
  evolve(state, event) {
    const next = new Map(state);
    const status: ReturnStatus =
      event.type === 'ReturnSubmitted' ? 'SUBMITTED' : event.type === 'ReturnApproved' ? 'APPROVED' : 'SENT_BACK';
    next.set(event.data.quarter, status);
    return next;
  },
  decide(command, state) {
    const quarter = parseFinancialQuarter(command.quarter);
    if (!quarter) throw BadUserInputError.field('quarter', `must be a financial quarter such as 2019-20 Q3, got "${command.quarter}"`);
    const status = state.get(command.quarter) ?? 'NOT_SUBMITTED';
    const { areaCode } = command;
    switch (command.type) {
      case 'SubmitReturn':
        if (command.today < quarter.start) {
          throw BadUserInputError.field('quarter', `${command.quarter} has not started yet (it starts ${quarter.start})`);
        }
        if (isLocked(status)) {
          throw new ConflictError(`The ${command.quarter} return for ${areaCode} is already ${status.toLowerCase()}`);
        }
        return [{ type: 'ReturnSubmitted', data: { areaCode, quarter: command.quarter, note: command.note.trim(), snapshot: command.snapshot } }];
      case 'ApproveReturn':
        if (status !== 'SUBMITTED') {
          throw new ConflictError(`Only a submitted return can be approved; the ${command.quarter} return for ${areaCode} is ${status.toLowerCase().replace('_', ' ')}`);
        }
        return [{ type: 'ReturnApproved', data: { areaCode, quarter: command.quarter, comments: command.comments.trim() } }];
      case 'SendBackReturn':
        if (status !== 'SUBMITTED') {
          throw new ConflictError(`Only a submitted return can be sent back; the ${command.quarter} return for ${areaCode} is ${status.toLowerCase().replace('_', ' ')}`);
        }
        if (!command.comments.trim()) throw BadUserInputError.field('comments', 'must say what needs changing');
        return [{ type: 'ReturnSentBack', data: { areaCode, quarter: command.quarter, comments: command.comments.trim() } }];
    }
  },
};
