/**
 * The quarterly return as a spreadsheet: its sheets and columns, how the current figures fill them, and how cell
 * values are read back. Plain TypeScript: the files (XLSX, CSV) are read and written elsewhere.
 */

export const INSTRUCTIONS_SHEET = 'Instructions';
export const LISTS_SHEET = 'Lists';

/** A data sheet's columns, in order. `key` is how the code names a column; `header` what the sheet shows. */
export interface SheetDefinition {
  readonly name: string;
  /** The file name of the sheet's CSV (without `.csv`). */
  readonly slug: string;
  readonly columns: readonly { readonly key: string; readonly header: string }[];
}

/** A data sheet named `name`, its CSV `slug`, with these columns in order (each its key and its header). */
function sheet(name: string, slug: string, headers: Readonly<Record<string, string>>): SheetDefinition {
  return { name, slug, columns: Object.entries(headers).map(([key, header]) => ({ key, header })) };
}

export const ACTIONS_SHEET = sheet('Actions', 'actions', {
  area: 'Area code',
  id: 'Action id',
  title: 'Title',
  status: 'Status',
  milestone: 'Milestone reached',
  note: 'Reason or summary for a status change',
});

export const SPEND_SHEET = sheet('Spend', 'spend', {
  area: 'Area code',
  actionId: 'Action id',
  actionTitle: 'Action title (not read)',
  quarter: 'Quarter',
  committed: 'Committed in the year (£)',
  spend: 'Spend this quarter (£)',
});

export const MATCH_SHEET = sheet('Match funding', 'match-funding', {
  area: 'Area code',
  id: 'Match funding id',
  partner: 'Partner',
  actionId: 'Action id (optional)',
  year: 'Financial year',
  kind: 'Kind',
  amount: 'Amount (£)',
  description: 'Description',
});

export const MEASUREMENTS_SHEET = sheet('Measurements', 'measurements', {
  area: 'Area code',
  id: 'Measurement id',
  indicator: 'Indicator code',
  period: 'Period',
  value: 'Value',
  sampleSize: 'Sample size',
  source: 'Source',
  evidence: 'Evidence link',
});

/** The data sheets, in the order they are read and applied. */
export const DATA_SHEETS: readonly SheetDefinition[] = [
  ACTIONS_SHEET,
  SPEND_SHEET,
  MATCH_SHEET,
  MEASUREMENTS_SHEET,
];

/** Action statuses as the sheet shows them (a validation list), and the API's names for them. */
export const STATUS_WORDS: Readonly<Record<string, string>> = {
  PLANNED: 'Planned',
  IN_PROGRESS: 'In progress',
  PAUSED: 'Paused',
  COMPLETED: 'Completed',
  CANCELLED: 'Cancelled',
};

export const KIND_WORDS: Readonly<Record<string, string>> = { CASH: 'Cash', IN_KIND: 'In kind' };

/** A cell's value as the file readers give it: text, a number, or nothing. */
export type CellValue = string | number | null;

/** One row of a sheet as read from the file: its row number in the sheet (1 is the header) and its cells. */
export interface SheetRow {
  readonly row: number;
  readonly cells: Readonly<Record<string, CellValue>>;
}

/** A data sheet as read from the file. */
export interface SheetData {
  readonly name: string;
  readonly rows: readonly SheetRow[];
}

/** A problem with the file, named as GOV.UK's "upload a file" pattern names it: where, and which rule. */
export interface FileProblem {
  readonly sheet?: string;
  readonly row?: number;
  /** The column's letter and header, e.g. `E (Spend this quarter (£))`. */
  readonly column?: string;
  readonly message: string;
}

/** `2`, `E (Header)` for a sheet's column key. */
export function columnName(sheet: SheetDefinition, key: string): string {
  const index = sheet.columns.findIndex((c) => c.key === key);
  return `${columnLetter(index)} (${sheet.columns[index]?.header ?? key})`;
}

/** 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    letters = String.fromCharCode(65 + r) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** A problem as one sentence: "Spend, row 4, column E (Spend this quarter (£)): must be …". */
export function describeProblem(p: FileProblem): string {
  const where = [
    p.sheet,
    p.row !== undefined ? `row ${p.row}` : undefined,
    p.column ? `column ${p.column}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  return where ? `${where}: ${p.message}` : p.message;
}

export const MONEY_RULE =
  'must be an amount in pounds with at most two decimal places, such as 1250 or 1250.50 (no formulas, no text)';

/**
 * Pounds in a cell as integer pence, exactly: a number with at most two decimal places (checked on the decimal
 * text, so 0.1 + 0.2 never slips through), or text like `£1,250.50`. Blank is `null`; anything else `undefined`.
 */
export function penceOf(value: CellValue): number | null | undefined {
  if (value === null) return null;
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    // The shortest decimal that reads back as this number: what the person typed.
    text = String(value);
    if (/e/i.test(text)) return undefined;
  } else {
    text = value
      .trim()
      .replace(/^£/, '')
      .replace(/,(?=\d{3}(\D|$))/g, '');
    if (text === '') return null;
  }
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) return undefined;
  const pence = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  if (!Number.isSafeInteger(pence)) return undefined;
  return m[1] === '-' ? -pence : pence;
}

/** Pence as the sheet shows pounds: a number with two decimal places at most (exact: pence / 100). */
export function poundsOf(pence: number): number {
  return pence / 100;
}

/** A cell's text, trimmed ('' for blank). */
export function textOf(value: CellValue): string {
  return value === null ? '' : String(value).trim();
}
