/** What other contexts may use from the themes context (their domain code: ./domain/public-api.ts). */
export { loadThemeCatalogue } from './commands/theme.commands.js';
export * from './domain/public-api.js';
