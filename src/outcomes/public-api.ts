/** What other contexts may use from the outcomes context. */

export { loadMeasurementCount, loadReturns } from './commands/outcomes.facts.js';
export { isLocked, type ReturnStatus, type ReturnsState } from './domain/periodic-return.js';

export { outcomesStream } from './domain/area-outcomes.js';
export { returnDecider, returnStream } from './domain/periodic-return.js';
export { INDICATOR_CATALOGUE_STREAM } from './domain/indicator.js';
export * from './domain/public-api.js';
/** Read-model queries other contexts may compose (`db`: live pool or as-of snapshot). */
export {
  areaIndicatorsInYear,
  areaIndicatorsOf,
  indicatorMeasurements,
  type IndicatorSeriesQuery,
  knownIndicatorCodes,
  returnsOf,
  returnsForYear,
} from './graphql/outcomes.read.js';
export { AreaIndicatorType, PeriodicReturnType } from './graphql/outcomes.types.js';
export { AreaOutcomesCommand } from './commands/area-outcomes.command.js';
export { IndicatorCatalogueCommand, type IndicatorRequest } from './commands/indicator.command.js';
export { PeriodicReturnCommand, type ReturnRequest } from './commands/return.command.js';
export type { OutcomeRequest } from './domain/area-outcomes.js';
export type { IndicatorData } from './domain/indicator.js';
