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

function pounds(pence: number): string {
  return `£${(pence / 100).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function summarise(event: Pick<RecordedEvent, 'type' | 'data'>): string {
  const d = (event.data ?? {}) as Record<string, unknown>;
  const parts = [humanise(event.type)];
  const label = str(d.title) ?? str(d.name) ?? str(d.indicatorCode) ?? str(d.actionId);
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
