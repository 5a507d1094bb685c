/** What other contexts may use from the delivery context. */

export { type ActionSummary, loadActionSummary } from './commands/action.facts.js';
export { ACTION_STATUSES, type ActionStatus } from './domain/action.js';
/** An action and its milestones as the read model keeps them, and as the API answers them (`Action`, `Milestone`). */
export type { ActionRow, MilestoneRow } from './projections/actions.projection.js';

export { actionStream } from './domain/action.js';
export { ActionLifecycleCommand, type ActionRequest } from './commands/action.command.js';

/** Read-model queries other contexts may compose (`db`: live pool or as-of snapshot). */
export {
  type ActionCountRow,
  actionCountsByAreaInYear,
  actionIdsOfAreas,
  actionStatusCounts,
  actionStatusCountsAtHead,
} from './graphql/action.read.js';
