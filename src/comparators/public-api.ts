/** What other parts of the product (the CLI, the demo) may use from the comparators context. */
export { ImportPublicValuesCommand, type ImportResult } from './commands/comparators.commands.js';
export { ChooseComparatorsCommand, type ChooseComparatorsRequest } from './commands/comparators.commands.js';
export { ComparatorsModule } from './comparators.module.js';
export { DEFAULT_NEIGHBOURS, comparatorsStream } from './domain/comparator-choice.js';
export { publicDataStream } from './domain/public-values.js';
