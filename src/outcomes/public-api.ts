import type { EventStore } from '@iap/event-store';
import { fold, loadStream } from '@iap/event-store';
import { financialQuarterOf } from '../shared/periods.js';
import { checkPeriodOpen, returnDecider, returnStream, type ReturnsState } from './domain/periodic-return.js';

/** What other contexts may use from the outcomes context. */

export { isLocked, type ReturnStatus, type ReturnsState } from './domain/periodic-return.js';

export async function loadReturns(store: EventStore, areaCode: string): Promise<ReturnsState> {
  return fold(returnDecider, await loadStream(store, returnStream(areaCode)));
}

/**
 * Refuses a change to a period whose return is submitted or approved (locked): CONFLICT naming the field.
 * `quarter` is a quarter name (`2019-20 Q3`); use `quarterOfDate` for a date.
 */
export async function assertPeriodOpen(
  store: EventStore,
  areaCode: string,
  quarter: string,
  field: string,
): Promise<void> {
  checkPeriodOpen(await loadReturns(store, areaCode), areaCode, quarter, field);
}

export function quarterOfDate(date: string): string {
  return financialQuarterOf(date).name;
}

export { outcomesStream } from './domain/area-outcomes.js';
export { returnStream } from './domain/periodic-return.js';
export { INDICATOR_CATALOGUE_STREAM } from './domain/indicator.js';
/** Read-model queries other contexts may compose (`db`: live pool or as-of snapshot). */
export { areaIndicatorsOf, returnsOf, returnsForYear } from './graphql/read-model.js';
export { AreaIndicatorType, PeriodicReturnType } from './graphql/outcomes.types.js';
