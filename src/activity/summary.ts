import type { RecordedEvent } from '@iap/event-store';
import { ONS_LOCAL_AUTHORITY_CODE } from '../areas/public-api.js';

/** `ActionStarted` → `Action started`. */
export function humanise(type: string): string {
  const words = type.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v : undefined;
}

/** One formatter for every summary: building one per call (as toLocaleString does) costs more than the event. */
const POUNDS = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function pounds(pence: number): string {
  return `£${POUNDS.format(pence / 100)}`;
}

/** What an event names itself by (a title, a name, an indicator), if anything. */
export function labelOf(event: Pick<RecordedEvent, 'data'>): string | undefined {
  const d = (event.data ?? {}) as Record<string, unknown>;
  return str(d.title) ?? str(d.name) ?? str(d.indicatorCode);
}

/** A one-line account of an event; `streamLabel` names what the stream is about when the event does not. */
export function summarise(event: Pick<RecordedEvent, 'type' | 'data'>, streamLabel?: string): string {
  const d = (event.data ?? {}) as Record<string, unknown>;
  const parts = [humanise(event.type)];
  const label = labelOf(event) ?? streamLabel ?? str(d.actionId);
  if (label) parts.push(`“${label}”`);
  const period = str(d.quarter) ?? str(d.year) ?? str(d.periodLabel);
  if (period) parts.push(`for ${period}`);
  if (typeof d.amountPence === 'number') parts.push(`(${pounds(d.amountPence)})`);
  return parts.join(' ');
}

export function areaOf(event: Pick<RecordedEvent, 'streamId' | 'data'>): string | null {
  const d = (event.data ?? {}) as Record<string, unknown>;
  for (const candidate of [d.areaCode, d.code, event.streamId.slice(event.streamId.indexOf('-') + 1)]) {
    if (typeof candidate === 'string' && ONS_LOCAL_AUTHORITY_CODE.test(candidate)) return candidate;
  }
  return null;
}
