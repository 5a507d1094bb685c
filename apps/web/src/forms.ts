import { randomUUID } from 'node:crypto';
import type { OperationError } from './graphql.js';

/**
 * GOV.UK form patterns over the API's refusals: an error summary at the top linking to each field, the message
 * beside the field. A BAD_USER_INPUT names its argument path (`input.amountPence`); each form says which of its
 * fields shows which path. Every form also carries a fresh commandId (a double-click applies once) and the
 * expectedRevision its page was drawn from (a CONFLICT says the record changed since).
 */
export interface FormErrors {
  /** For govukErrorSummary: `{ text, href: '#field-id' }`. */
  readonly summary: { readonly text: string; readonly href: string }[];
  /** For each field's `errorMessage: { text }`, by form field name. */
  readonly byField: Readonly<Record<string, string>>;
}

export const NO_ERRORS: FormErrors = { summary: [], byField: {} };

/** A field's problem in words for a person: the API's message without its "Invalid input.x:" prefix, capitalised. */
function sentence(message: string): string {
  const text = message.replace(/^Invalid [^:]+:\s*/, '').trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The errors of an operation as a form shows them. `fields` maps API argument paths to the form's field names
 * (`{ 'input.amountPence': 'amount' }`); a path not in it is shown in the summary only, linked to the form.
 * Several problems of one BAD_USER_INPUT (`extensions.problems`) are each shown.
 */
export function formErrors(
  errors: readonly OperationError[],
  fields: Readonly<Record<string, string>>,
): FormErrors {
  const summary: { text: string; href: string }[] = [];
  const byField: Record<string, string> = {};
  for (const error of errors) {
    const problems = Array.isArray(error.extensions.problems)
      ? (error.extensions.problems as { field?: string; message?: string }[])
      : [{ field: error.field, message: error.message }];
    for (const problem of problems) {
      // A CONFLICT with revisions is a stale expectedRevision; any other is a rule of the record's current state
      // ("2019-20 Q3 is locked …"), whose own message is what the person needs to read.
      const stale = error.code === 'CONFLICT' && error.extensions.actualRevision !== undefined;
      const text = stale
        ? 'Someone else changed this record since you opened the page. Check the figures below, which are now up to date, and send the form again.'
        : error.code === 'BAD_USER_INPUT'
          ? sentence(problem.message ?? error.message)
          : error.message;
      const name = problem.field ? fieldFor(problem.field, fields) : undefined;
      summary.push({ text, href: name ? `#${name}` : '#main-content' });
      if (name && byField[name] === undefined) byField[name] = text;
    }
  }
  return { summary, byField };
}

/** The form field of an argument path: exact, else the nearest parent path listed (`input.evidence.0.url`). */
function fieldFor(path: string, fields: Readonly<Record<string, string>>): string | undefined {
  let p = path;
  for (;;) {
    if (fields[p] !== undefined) return fields[p];
    const cut = p.lastIndexOf('.');
    if (cut < 0) return undefined;
    p = p.slice(0, cut);
  }
}

/** A fresh commandId for a form: the API applies a command once per id, so a double-click changes nothing twice. */
export function newCommandId(): string {
  return randomUUID();
}

/**
 * An amount typed in pounds ("£1,250.50", "1250", "1,250.5") as integer pence; undefined when blank; NaN when it
 * is not an amount, which the form reports with `amountError` (the API itself only ever sees integer pence).
 */
export function penceFromPounds(typed: string | undefined): number | undefined {
  const text = (typed ?? '').trim().replace(/^£/, '').replace(/,/g, '');
  if (text === '') return undefined;
  if (!/^-?\d+(\.\d{1,2})?$/.test(text)) return Number.NaN;
  const [whole, fraction = ''] = text.replace('-', '').split('.');
  const pence = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return text.startsWith('-') ? -pence : pence;
}

export const AMOUNT_ERROR = 'Enter an amount in pounds, like 1250 or 1250.50';

/** A whole number typed into a form; undefined when blank; NaN when it is not one. */
export function wholeNumber(typed: string | undefined): number | undefined {
  const text = (typed ?? '').trim().replace(/,/g, '');
  if (text === '') return undefined;
  return /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
}

/** A GOV.UK date input's three fields (day, month, year) as an ISO date; undefined when all blank; null if invalid. */
export function isoDate(day?: string, month?: string, year?: string): string | undefined | null {
  const [d, m, y] = [day, month, year].map((v) => (v ?? '').trim());
  if (d === '' && m === '' && y === '') return undefined;
  if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y)) return null;
  const iso = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(iso) ? iso : null;
}
