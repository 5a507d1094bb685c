/** What other contexts may use from the themes context (their domain code: ./domain/public-api.ts). */
export { loadThemeCatalogue } from './commands/theme.commands.js';
export * from './domain/public-api.js';
/** Read-model queries other contexts may compose (`db`: live pool or as-of snapshot). */
export { knownThemeCodes } from './graphql/theme.read.js';
