/**
 * The drafting form of a learning item (draft and revise): its fields as typed, the API input they become, and
 * which form field shows which of the API's argument paths.
 */

import { LEARNING_TYPES } from './library.js';

/** How many evidence links the form offers at least (blank rows are ignored). */
export const EVIDENCE_ROWS = 3;
export const MAX_EVIDENCE_ROWS = 20;

export interface DraftForm {
  type: string;
  title: string;
  summary: string;
  body: string;
  themes: string[];
  actionIds: string[];
  evidence: { title: string; url: string }[];
  reason: string;
}

export const EMPTY_DRAFT: DraftForm = {
  type: '',
  title: '',
  summary: '',
  body: '',
  themes: [],
  actionIds: [],
  evidence: [],
  reason: '',
};

type Body = Readonly<Record<string, string | string[] | undefined>>;

function text(body: Body, name: string): string {
  const v = body[name];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

function list(body: Body, name: string): string[] {
  const v = body[name];
  return (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((s) => s !== '');
}

/** The form's fields as posted; evidence rows left blank are dropped. */
export function draftFormFrom(body: Body): DraftForm {
  const evidence: { title: string; url: string }[] = [];
  for (let i = 0; i < MAX_EVIDENCE_ROWS; i++) {
    const title = text(body, `evidence-${i}-title`).trim();
    const url = text(body, `evidence-${i}-url`).trim();
    if (title || url) evidence.push({ title, url });
  }
  return {
    type: text(body, 'type'),
    title: text(body, 'title'),
    summary: text(body, 'summary'),
    body: text(body, 'body'),
    themes: list(body, 'themes'),
    actionIds: list(body, 'actionIds'),
    evidence,
    reason: text(body, 'reason'),
  };
}

/** An item as the form shows it for revising. */
export function draftFormOf(item: {
  type: string;
  title: string;
  summary: string;
  body: string;
  themes: readonly string[];
  actionIds: readonly string[];
  evidenceLinks: readonly { title: string; url: string }[];
}): DraftForm {
  return {
    type: item.type,
    title: item.title,
    summary: item.summary,
    body: item.body,
    themes: [...item.themes],
    actionIds: [...item.actionIds],
    evidence: item.evidenceLinks.map((l) => ({ title: l.title, url: l.url })),
    reason: '',
  };
}

/** The rows of evidence links the form shows: those given, then blank ones up to EVIDENCE_ROWS (at least one). */
export function evidenceRows(form: DraftForm): { title: string; url: string }[] {
  const rows = [...form.evidence];
  while (rows.length < Math.max(EVIDENCE_ROWS, form.evidence.length + 1) && rows.length < MAX_EVIDENCE_ROWS)
    rows.push({ title: '', url: '' });
  return rows;
}

/** The content fields of draftLearning / reviseLearning (the type is checked by the form: see `typeMissing`). */
export function contentInput(form: DraftForm): Record<string, unknown> {
  return {
    // A kind not chosen is the page's to say (typeMissing); the API is then only asked to check the rest, with a
    // kind it can read in its place.
    type: (LEARNING_TYPES as readonly string[]).includes(form.type) ? form.type : LEARNING_TYPES[0],
    title: form.title,
    summary: form.summary,
    body: form.body,
    themes: form.themes,
    actionIds: form.actionIds,
    evidenceLinks: form.evidence,
  };
}

/** Which form field shows which argument path of the API's refusals. */
export function draftFields(): Record<string, string> {
  const fields: Record<string, string> = {
    'input.type': 'type',
    'input.title': 'title',
    'input.summary': 'summary',
    'input.body': 'body',
    'input.themes': 'themes',
    'input.actionIds': 'actionIds',
    'input.evidenceLinks': 'evidence-0-title',
    'input.reason': 'reason',
  };
  for (let i = 0; i < MAX_EVIDENCE_ROWS; i++) {
    fields[`input.evidenceLinks.${i}`] = `evidence-${i}-title`;
    fields[`input.evidenceLinks.${i}.title`] = `evidence-${i}-title`;
    fields[`input.evidenceLinks.${i}.url`] = `evidence-${i}-url`;
  }
  return fields;
}

/** What each field is called in "Enter …" messages. */
export const DRAFT_LABELS: Readonly<Record<string, string>> = {
  title: 'a title',
  summary: 'a summary',
  body: 'the text of the item',
};

/** The learning types the API knows; an empty or unknown choice is the person's to correct before sending. */
export function typeMissing(form: DraftForm, types: readonly string[]): boolean {
  return !types.includes(form.type);
}
