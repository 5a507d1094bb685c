/** What other parts of the product (the CLI, the demo) may use from the comparators context. */
export { ImportPublicValuesCommand, type ImportResult } from './commands/comparators.commands.js';
export { ChooseComparatorsCommand } from './commands/comparators.commands.js';
export { ComparatorsModule } from './comparators.module.js';
