import { UUID } from '@iap/common';
import type { OperationError } from '../graphql.js';
import { type FormErrors, NO_ERRORS, formErrors, isoDate } from '../forms.js';
import type { Page } from '../page.js';
import type { FormState } from '../session.js';

/**
 * How the area's forms show the API's refusals. A CONFLICT is one of two things: a stale expectedRevision
 * (someone changed the record since the page was drawn: formErrors says so in words) or a rule of the record's
 * current state ("2019-20 Q3 is locked …", "No funds are committed …"), whose own message is what the person
 * needs to read. `labels` name each form field, so "Must not be blank" beside Title reads "Title must not be blank".
 */
export function refusals(
  errors: readonly OperationError[],
  fields: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>> = {},
): FormErrors {
  const shown = errors.map((e) =>
    e.code === 'CONFLICT' && e.extensions.actualRevision === undefined
      ? { ...e, code: 'REFUSED', message: plain(e.message) }
      : e,
  );
  const { summary, byField } = formErrors(shown, withInputPrefix(fields));
  const name = (href: string) => href.slice(1);
  const label = (field: string, text: string) =>
    labels[field] !== undefined && /^(Must|Is|Are) /.test(text)
      ? `${labels[field]} ${text.charAt(0).toLowerCase()}${text.slice(1)}`
      : text;
  return {
    summary: summary.map((s) => ({ text: label(name(s.href), s.text), href: s.href })),
    byField: Object.fromEntries(Object.entries(byField).map(([f, text]) => [f, label(f, text)])),
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

/** A refused form kept across post/redirect/get: the answers (but a fresh commandId and revision) and errors. */
export function keptState(form: string, body: Record<string, string>, errors: FormErrors): FormState {
  const values = Object.fromEntries(
    Object.entries(body).filter(([k]) => !['_csrf', 'commandId', 'expectedRevision'].includes(k)),
  );
  return {
    form,
    values,
    errors: errors.summary.map((s) => ({ field: s.href.slice(1), text: s.text })),
  };
}

/** The kept state as the page shows it: values and errors (none when nothing was kept). */
export function shownState(state: FormState | undefined): {
  values: Record<string, string>;
  errors: FormErrors;
} {
  if (!state) return { values: {}, errors: NO_ERRORS };
  const byField: Record<string, string> = {};
  for (const e of state.errors) if (byField[e.field] === undefined) byField[e.field] = e.text;
  return {
    values: { ...state.values },
    errors: { summary: state.errors.map((e) => ({ text: e.text, href: `#${e.field}` })), byField },
  };
}

/** A GOV.UK date input's three fields as the API's ISO date ('' when blank or not a date: the page says why). */
export function dateField(
  page: Page,
  name: string,
  words: string,
  required: boolean,
  problems: Record<string, string>,
): string {
  const value = isoDate(page.body[`${name}-day`], page.body[`${name}-month`], page.body[`${name}-year`]);
  if (value === null) problems[`${name}-day`] = `${words} must be a real date, like 27 3 2021`;
  else if (value === undefined && required) problems[`${name}-day`] = `Enter ${words.toLowerCase()}`;
  return value ?? '';
}

/** The page's own reading of the form (dates, amounts) first, then the API's refusals of the other fields. */
export function pageProblems(problems: Record<string, string>): FormErrors {
  return {
    summary: Object.entries(problems).map(([field, text]) => ({ text, href: `#${field}` })),
    byField: problems,
  };
}

/** The page's own problems and the API's refusals together; the page's message wins for a field both name. */
export function mergeErrors(own: FormErrors, api: FormErrors): FormErrors {
  const summary = [...own.summary, ...api.summary.filter((s) => own.byField[s.href.slice(1)] === undefined)];
  return { summary, byField: { ...api.byField, ...own.byField } };
}
