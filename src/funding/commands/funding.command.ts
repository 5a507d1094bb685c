import type { CommandEnvelope } from '../../shared/commands.js';
import type { FundingCommand } from '../domain/funding.js';

/**
 * The domain command before the handler has added the facts it needs from other contexts (the area, the
 * partner, the action, the area's periodic returns): the resolver sends this, the handler completes it.
 */
export type FundingRequest =
  | Exclude<
      FundingCommand,
      { type: 'AllocateGrant' | 'CommitFunds' | 'RecordMatchFunding' | 'ReportSpend' | 'CorrectSpend' }
    >
  | Omit<Extract<FundingCommand, { type: 'ReportSpend' }>, 'returns'>
  | Omit<Extract<FundingCommand, { type: 'CorrectSpend' }>, 'returns'>
  | Omit<Extract<FundingCommand, { type: 'AllocateGrant' }>, 'area' | 'today'>
  | Omit<Extract<FundingCommand, { type: 'CommitFunds' }>, 'action'>
  | Omit<Extract<FundingCommand, { type: 'RecordMatchFunding' }>, 'area' | 'partner' | 'action'>;

/** Any command on one area's funding stream. */
export class AreaFundingCommand {
  constructor(
    readonly command: FundingRequest,
    readonly envelope: CommandEnvelope,
  ) {}
}
