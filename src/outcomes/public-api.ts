import type { EventStore } from '@iap/event-store';
import { fold, loadStream } from '@iap/event-store';
import { loadArea } from '../areas/public-api.js';
import { namedReturns, returnDecider, returnStream, type ReturnsState } from './domain/periodic-return.js';
import { outcomesDecider, outcomesStream } from './domain/area-outcomes.js';

/** What other contexts may use from the outcomes context. */

export { isLocked, type ReturnStatus, type ReturnsState } from './domain/periodic-return.js';

/** The period-lock fact: the area's returns, named (a refusal says "locked for Bradford", not its code). */
export async function loadReturns(store: EventStore, areaCode: string): Promise<ReturnsState> {
  const [events, area] = await Promise.all([
    loadStream(store, returnStream(areaCode)),
    loadArea(store, areaCode),
  ]);
  return namedReturns(fold(returnDecider, events), area.registered ? area.name : undefined);
}

/**
 * How many of an area's measurements have a period ending from `start` to `end` (ISO dates, both included),
 * read from its outcomes stream (strongly consistent).
 */
export async function loadMeasurementCount(
  store: EventStore,
  areaCode: string,
  start: string,
  end: string,
): Promise<number> {
  const state = fold(outcomesDecider, await loadStream(store, outcomesStream(areaCode)));
  let n = 0;
  for (const m of state.measurements.values()) if (m.periodEnd >= start && m.periodEnd <= end) n++;
  return n;
}

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
