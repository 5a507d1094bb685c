/** What other contexts may use from the funding context. */

export { loadSpendForQuarter } from './commands/funding.facts.js';
/**
 * An area's spend reported for a quarter, in pence, as currently corrected, read from its funding stream
 * (strongly consistent: every spend report appended so far counts, whether or not the read model has it yet).
 */

export { fundingStreamId } from './domain/funding.js';
export { SPEND_RATE_DESCRIPTION, spendRate } from './domain/money.js';
export { AreaFundingCommand, type FundingRequest } from './commands/funding.command.js';

/** Read-model queries other contexts may compose (`db`: live pool or as-of snapshot). */
export {
  type FundingTotals,
  type GrantAllocation,
  fundingTotals,
  grantAllocations,
  spendForQuarter,
  yearsWithGrant,
} from './graphql/funding.read.js';
