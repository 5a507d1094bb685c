import { randomUUID } from 'node:crypto';
import { UUID } from '@iap/common';
import { date as dateInWords } from './format.js';
import type { OperationError, OperationResult } from './graphql.js';
import type { Page } from './page.js';
import type { FormState } from './session.js';

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

/**
 * A field's problem in words for a person: the API's message without its "Invalid input.x:" prefix, capitalised,
 * and a length limit said the GOV.UK way ("must be 500 characters or fewer", not class-validator's "must be
 * shorter than or equal to 500 characters").
 */
function sentence(message: string): string {
  const text = message
    .replace(/^Invalid [^:]+:\s*/, '')
    .replace(/more than 0 pence$/, 'more than £0')
    .replace(
      /must be (shorter|longer) than or equal to (\d+) characters/,
      (_, way: string, n: string) =>
        `must be ${Number(n).toLocaleString('en-GB')} characters or ${way === 'shorter' ? 'fewer' : 'more'}`,
    )
    .trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A message that begins with the API's name of its field in code ("amountPence must be more than 0 pence"),
 * without it: the form names the field by its label instead (`refusals`' labels).
 */
function withoutApiName(message: string, path: string | undefined): string {
  const name = path?.split('.').pop() ?? '';
  if (!/^[a-z]+[A-Z]\w*$/.test(name)) return message;
  return message.replace(new RegExp(`^(Invalid [^:]+:\\s*)?${name} `), '');
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
          ? sentence(withoutApiName(problem.message ?? error.message, problem.field))
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

/**
 * An amount typed in pounds as the API's pence, or the page's own message in `problems.amount` (blank, or not an
 * amount) and 0 in its place, which the API is only ever asked to check (see submitForm).
 */
export function amountField(
  typed: string | undefined,
  blank: string,
  problems: Record<string, string>,
): number {
  const pence = penceFromPounds(typed);
  if (pence === undefined) problems.amount = blank;
  else if (Number.isNaN(pence)) problems.amount = AMOUNT_ERROR;
  return pence === undefined || Number.isNaN(pence) ? 0 : pence;
}

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

/**
 * What is wrong with a GOV.UK date input's three fields, in the words of the GOV.UK date input guidance, for a date
 * named `words` ("The planned start date"): a part left out ("… must include a month", "… must include a day and
 * month"), a year not written in full ("The year of the planned start date must include 4 numbers"), or a date
 * that cannot be ("… must be a real date, like 27 3 2021"). Undefined when all are blank or it is a real date.
 */
export function dateProblem(words: string, day?: string, month?: string, year?: string): string | undefined {
  const parts = { day, month, year };
  const typed = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, (v ?? '').trim()]));
  const missing = Object.keys(parts).filter((k) => typed[k] === '');
  if (missing.length === 3) return undefined;
  if (missing.length > 0) return `${words} must include a ${missing.join(' and ')}`;
  if (/^\d{1,3}$/.test(typed.year!))
    return `The year of ${words.charAt(0).toLowerCase()}${words.slice(1)} must include 4 numbers`;
  return isoDate(day, month, year) === null ? `${words} must be a real date, like 27 3 2021` : undefined;
}

/** How a form names its fields in the API's refusals, and in words. */
export interface FormFields {
  /** API argument paths to the form's field ids (`{ 'input.amountPence': 'amount' }`); with or without `input.`. */
  readonly fields: Readonly<Record<string, string>>;
  /** Each field's name, so that "Must not be blank" beside Title reads "Title must not be blank". */
  readonly labels?: Readonly<Record<string, string>>;
  /** What to ask for when a field is left blank ("a title": "Enter a title"), where the form says it so. */
  readonly enter?: Readonly<Record<string, string>>;
}

/**
 * The API's refusals as a form shows them. A CONFLICT is one of two things: a stale expectedRevision (someone
 * changed the record since the page was drawn: formErrors says so in words) or a rule of the record's current
 * state ("2019-20 Q3 is locked …", "No funds are committed …"), whose own message is what the person needs to
 * read. Dates are written the GOV.UK way and records' ids are left out.
 */
export function refusals(errors: readonly OperationError[], form: FormFields): FormErrors {
  const shown = errors.map((e) =>
    e.code === 'CONFLICT' && e.extensions.actualRevision === undefined
      ? { ...e, code: 'REFUSED', message: plain(e.message) }
      : e,
  );
  const { summary, byField } = formErrors(shown, withInputPrefix(form.fields));
  const words = (field: string, raw: string) => {
    const text = raw.replace(/\b\d{4}-\d{2}-\d{2}\b/g, (iso) => dateInWords(iso));
    // The domain's "must not be blank", or input validation's "title must not be blank" (its field named first).
    if (form.enter?.[field] !== undefined && /^(\w+ )?must not be (blank|empty)$/i.test(text))
      return `Enter ${form.enter[field]}`;
    return form.labels?.[field] !== undefined && /^(Must|Is|Are) /.test(text)
      ? `${form.labels[field]} ${text.charAt(0).toLowerCase()}${text.slice(1)}`
      : text;
  };
  return {
    summary: summary.map((s) => ({ text: words(s.href.slice(1), s.text), href: s.href })),
    byField: Object.fromEntries(Object.entries(byField).map(([f, text]) => [f, words(f, text)])),
  };
}

/** A field of the API is named both `input.title` (validation) and `title` (the domain): both map. */
function withInputPrefix(fields: Readonly<Record<string, string>>): Record<string, string> {
  const all: Record<string, string> = {};
  for (const [path, name] of Object.entries(fields)) {
    all[path] = name;
    all[path.startsWith('input.') ? path.slice('input.'.length) : `input.${path}`] = name;
  }
  return all;
}

/** An API message as a sentence for a person: ids of records are left out where they add nothing. */
function plain(message: string): string {
  const uuid = UUID.source.slice(1, -1);
  return message
    .replace(new RegExp(`\\b[Aa]ction ${uuid}`, 'g'), 'this action')
    .replace(new RegExp(` ?\\b${uuid}\\b`, 'gi'), '');
}

/** The id a summary link goes to, as kept: '' for the form as a whole. */
function fieldOfHref(href: string): string {
  return href === '#main-content' ? '' : href.slice(1);
}

/** A refused form kept across post/redirect/get: the answers (but a fresh commandId and revision) and errors. */
export function keptState(
  form: string,
  body: Readonly<Record<string, string>>,
  errors: FormErrors,
): FormState {
  const values = Object.fromEntries(
    Object.entries(body).filter(([k]) => !['_csrf', 'commandId', 'expectedRevision'].includes(k)),
  );
  return {
    form,
    values,
    errors: errors.summary.map((s) => ({ field: fieldOfHref(s.href), text: s.text })),
  };
}

/** The kept state as the page shows it: values and errors (none when nothing was kept). */
export function shownState(state: FormState | undefined): {
  values: Record<string, string>;
  errors: FormErrors;
} {
  if (!state) return { values: {}, errors: NO_ERRORS };
  const byField: Record<string, string> = {};
  for (const e of state.errors) if (e.field && byField[e.field] === undefined) byField[e.field] = e.text;
  return {
    values: { ...state.values },
    errors: {
      summary: state.errors.map((e) => ({ text: e.text, href: e.field ? `#${e.field}` : '#main-content' })),
      byField,
    },
  };
}

/**
 * What a form's page is drawn with of its kept state (`shownState`): the answers, the error summary and each
 * field's error, and a fresh commandId for the next submission.
 */
export function formFields(
  values: Record<string, string>,
  errors: FormErrors,
): {
  values: Record<string, string>;
  errors: FormErrors['summary'];
  fieldErrors: FormErrors['byField'];
  commandId: string;
} {
  return { values, errors: errors.summary, fieldErrors: errors.byField, commandId: newCommandId() };
}

/** A GOV.UK date input's three fields as the API's ISO date ('' when blank or not a date: the page says why). */
export function dateField(
  page: Page,
  name: string,
  words: string,
  required: boolean,
  problems: Record<string, string>,
): string {
  const [day, month, year] = [
    page.body[`${name}-day`],
    page.body[`${name}-month`],
    page.body[`${name}-year`],
  ];
  const value = isoDate(day, month, year);
  if (value === null) problems[`${name}-day`] = dateProblem(words, day, month, year)!;
  else if (value === undefined && required) problems[`${name}-day`] = `Enter ${words.toLowerCase()}`;
  return value ?? '';
}

/** The page's own reading of the form (dates, amounts), by field id, as a form shows it. */
export function pageProblems(problems: Readonly<Record<string, string>>): FormErrors {
  return {
    summary: Object.entries(problems).map(([field, text]) => ({ text, href: `#${field}` })),
    byField: { ...problems },
  };
}

/** The page's own problems and the API's refusals together; the page's message wins for a field both name. */
export function mergeErrors(own: FormErrors, api: FormErrors): FormErrors {
  const summary = [...own.summary, ...api.summary.filter((s) => own.byField[s.href.slice(1)] === undefined)];
  return { summary, byField: { ...api.byField, ...own.byField } };
}

/**
 * The error summary in the order of the form's fields (as `fields` lists them, which is the page's order), as
 * GOV.UK's error summary asks; left as it is when it names a field the list does not.
 */
export function inFormOrder(errors: FormErrors, form: FormFields): FormErrors {
  const order = [...new Set(Object.values(form.fields))];
  const at = (href: string) => order.indexOf(href.slice(1));
  if (errors.summary.some((s) => at(s.href) < 0)) return errors;
  return { ...errors, summary: [...errors.summary].sort((a, b) => at(a.href) - at(b.href)) };
}

/** What a form's POST handler says to `submitForm`. */
export interface FormSubmission<T> extends FormFields {
  /** The name its kept state goes by (the GET of `again` takes it). */
  readonly form: string;
  /** Where a refused form is shown again (post/redirect/get). */
  readonly again: string;
  /** The page's own reading of the form, by field id: when any, the API only checks the input (`checkOnly`). */
  readonly problems?: Readonly<Record<string, string>>;
  /** Runs the mutation (with the form's commandId and expectedRevision). */
  readonly run: () => Promise<OperationResult<T>>;
  /**
   * The answers to keep (default: the form's fields as sent); a function is given the API's refusals (a form
   * refused as stale may keep nothing, to show the record as it now is).
   */
  readonly values?:
    | Readonly<Record<string, string>>
    | ((refused: readonly OperationError[]) => Readonly<Record<string, string>>);
}

/**
 * The one shape of a form's POST: read, run the mutation, show refusals beside their fields with the answers
 * kept (post/redirect/get to `again`). Answers the mutation's data when it was accepted (the caller redirects
 * on), or undefined when the page has already been sent back to the form.
 */
export async function submitForm<T>(page: Page, submission: FormSubmission<T>): Promise<T | undefined> {
  const problems = submission.problems ?? {};
  // With problems of its own the page still asks the API to check (only) what it has, so that every problem is
  // said at once, not the dates first and the rest once they are fixed; the page's message wins for a field
  // both name (an unreadable date is sent blank, so the API names that field too).
  const result =
    Object.keys(problems).length > 0 ? await page.checkOnly(submission.run) : await submission.run();
  const errors = inFormOrder(
    mergeErrors(pageProblems(problems), refusals(result.errors, submission)),
    submission,
  );
  if (errors.summary.length === 0 && result.data) return result.data;
  const values =
    typeof submission.values === 'function'
      ? submission.values(result.errors)
      : (submission.values ?? page.body);
  page.keepForm(keptState(submission.form, values, errors));
  page.redirect(submission.again);
  return undefined;
}

/** The form's commandId and expectedRevision as a mutation's input takes them. */
export function commandFields(body: Readonly<Record<string, string>>): {
  commandId?: string;
  expectedRevision?: number;
} {
  const typed = body.expectedRevision;
  const n = Number(typed);
  return {
    ...(body.commandId ? { commandId: body.commandId } : {}),
    ...(typed !== undefined && typed !== '' && Number.isInteger(n) && n >= 0 ? { expectedRevision: n } : {}),
  };
}
