import { type EventStore, fold, loadStream } from '@iap/event-store';
import { loadArea } from '../../areas/public-api.js';
import { namedReturns, returnDecider, returnStream, type ReturnsState } from '../domain/periodic-return.js';
import { outcomesDecider, outcomesStream } from '../domain/area-outcomes.js';

/** What the outcomes context's streams tell other contexts' commands (strongly consistent). */

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
