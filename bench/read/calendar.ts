/** Days as whole numbers (days since 1970-01-01), as the simulator counts time. */
import { financialQuarterOf } from '../../src/shared/periods.js';

export const DAY_MS = 86_400_000;
export const dayOf = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
const isoCache = new Map<number, string>();
export function iso(day: number): string {
  let s = isoCache.get(day);
  if (!s) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 10);
    isoCache.set(day, s);
  }
  return s;
}
/** 0 = Sunday ... 6 = Saturday. */
export const weekday = (day: number) => (day + 4) % 7;
const quarterCache = new Map<number, { name: string; start: number; end: number; year: string }>();
export function quarterOfDay(day: number): { name: string; start: number; end: number; year: string } {
  let q = quarterCache.get(day);
  if (!q) {
    const fq = financialQuarterOf(iso(day));
    q = { name: fq.name, start: dayOf(fq.start), end: dayOf(fq.end), year: fq.year.name };
    quarterCache.set(day, q);
  }
  return q;
}
