/** What other contexts may use from the activity context. */
export { HistoryEntryType } from './graphql/activity.types.js';
export { toHistoryEntries } from './graphql/activity.read.js';
