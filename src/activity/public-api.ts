/** What other contexts may use from the activity context. */
export { HistoryEntryType, toHistoryEntries } from './graphql/history.resolver.js';
