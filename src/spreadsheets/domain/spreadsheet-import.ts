import { BadUserInputError, NotFoundError, requireAreaCode } from '@iap/common';
import type { Decider } from '@iap/event-store';
import { parseFinancialQuarter } from '../../shared/periods.js';

/**
 * The record of a quarterly return imported from a spreadsheet: which file (its name and SHA-256 digest), for
 * which area and quarter, and how many of its rows changed something. Who and when are the event's metadata and
 * recorded time. One stream per area.
 */
export function importStream(areaCode: string): string {
  return `spreadsheet-import-${areaCode}`;
}

export interface SpreadsheetReturnImported {
  readonly type: 'SpreadsheetReturnImported';
  readonly data: {
    readonly areaCode: string;
    readonly quarter: string;
    readonly fileName: string;
    readonly digest: string;
    readonly rowsApplied: number;
  };
}
export type ImportEvent = SpreadsheetReturnImported;

export interface RecordImport {
  readonly type: 'RecordImport';
  readonly areaCode: string;
  readonly quarter: string;
  readonly fileName: string;
  readonly digest: string;
  readonly rowsApplied: number;
  /** Whether the area is registered (a fact from the areas context). */
  readonly areaRegistered: boolean;
}

/** How many imports the area has recorded (the stream's own state: imports never refuse one another). */
export interface ImportsState {
  readonly imports: number;
}

const SHA256 = /^[0-9a-f]{64}$/;

export const importDecider: Decider<ImportsState, RecordImport, ImportEvent> = {
  initialState: () => ({ imports: 0 }),
  evolve: (state) => ({ imports: state.imports + 1 }),
  decide(command) {
    requireAreaCode(command.areaCode, 'areaCode');
    if (!command.areaRegistered) throw new NotFoundError(`Area ${command.areaCode} is not registered`);
    if (!parseFinancialQuarter(command.quarter))
      throw BadUserInputError.field('quarter', 'must be a financial quarter such as 2019-20 Q3');
    const fileName = command.fileName.trim();
    if (fileName.length === 0) throw BadUserInputError.field('fileName', 'must not be blank');
    if (fileName.length > 255) throw BadUserInputError.field('fileName', 'must be at most 255 characters');
    if (!SHA256.test(command.digest))
      throw BadUserInputError.field('digest', "must be the file's SHA-256 digest (64 lowercase hex digits)");
    if (!Number.isInteger(command.rowsApplied) || command.rowsApplied < 1)
      throw BadUserInputError.field('rowsApplied', 'must be a whole number of at least 1');
    const { areaCode, quarter, digest, rowsApplied } = command;
    return [
      { type: 'SpreadsheetReturnImported', data: { areaCode, quarter, fileName, digest, rowsApplied } },
    ];
  },
};
