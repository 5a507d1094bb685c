import { type EventStore, fold, loadStream } from '@iap/event-store';
import { fundingDecider, fundingStreamId as streamOf } from '../domain/funding.js';

/** What the funding context's streams tell other contexts' commands (strongly consistent). */

export async function loadSpendForQuarter(
  store: EventStore,
  areaCode: string,
  quarter: string,
): Promise<number> {
  const state = fold(fundingDecider, await loadStream(store, streamOf(areaCode)));
  let total = 0;
  for (const [key, report] of state.spend) if (key.endsWith(`|${quarter}`)) total += report.amountPence;
  return total;
}
