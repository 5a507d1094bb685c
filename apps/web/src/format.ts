/**
 * How the pages write figures and dates: money in pounds from integer pence, dates in the GOV.UK style
 * ("7 December 2026"), times in England's time zone. One place, used as Nunjucks filters.
 */

const POUNDS = new Intl.NumberFormat('en-GB', {
  style: 'currency',
  currency: 'GBP',
  maximumFractionDigits: 0,
});
const POUNDS_AND_PENCE = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });
const NUMBER = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });
const DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const TIME = new Intl.DateTimeFormat('en-GB', {
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
  timeZone: 'Europe/London',
});
const DATE_IN_ENGLAND = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
});

/** Integer pence as pounds: "£12,345" when whole, "£12,345.67" otherwise; "" for no figure. */
export function pounds(pence: unknown): string {
  if (pence === null || pence === undefined || pence === '') return '';
  const n = Number(pence);
  if (!Number.isFinite(n)) return '';
  return (n % 100 === 0 ? POUNDS : POUNDS_AND_PENCE).format(n / 100);
}

/** Pence as the pounds a person types into a form ("1234.50"); "" for none. */
export function poundsInput(pence: unknown): string {
  if (pence === null || pence === undefined || pence === '') return '';
  const n = Number(pence);
  if (!Number.isInteger(n)) return '';
  return n % 100 === 0 ? String(n / 100) : (n / 100).toFixed(2);
}

export function number(value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  const n = Number(value);
  return Number.isFinite(n) ? NUMBER.format(n) : '';
}

/** A fraction (0.42) as a percentage ("42%"); "" for none. */
export function percent(fraction: unknown, digits = 0): string {
  if (fraction === null || fraction === undefined || fraction === '') return '';
  const n = Number(fraction);
  if (!Number.isFinite(n)) return '';
  return `${(n * 100).toFixed(digits)}%`;
}

/** An ISO date ("2019-10-01") or date-time as "1 October 2019"; "" for none. */
export function date(value: unknown): string {
  if (typeof value !== 'string' || value === '') return '';
  const plain = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const d = new Date(plain ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(d.getTime())) return value;
  return plain ? DATE.format(d) : DATE_IN_ENGLAND.format(d);
}

/** An ISO date-time as "1 October 2019 at 2:05pm" (England's time). */
export function dateTime(value: unknown): string {
  if (typeof value !== 'string' || value === '') return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return `${DATE_IN_ENGLAND.format(d)} at ${TIME.format(d).replace(' ', '').toLowerCase()}`;
}

/** An enum value as words: "IN_PROGRESS" → "In progress". */
export function words(value: unknown): string {
  if (typeof value !== 'string' || value === '') return '';
  const text = value.replace(/_/g, ' ').toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * An indicator's unit as a person reads it beside its name ("count", "percentage", "rate per 1,000", "pounds"),
 * numbers written as the rest of the service writes them.
 */
export function unitName(unit: unknown): string {
  if (unit === 'RATE_PER_1000') return 'rate per 1,000';
  return words(unit).toLowerCase();
}

export const FILTERS = { pounds, poundsInput, number, percent, date, dateTime, words, unitName } as const;
