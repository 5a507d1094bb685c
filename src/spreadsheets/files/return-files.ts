import { createHash } from 'node:crypto';
import type ExcelJS from 'exceljs';
import { excel } from '@iap/tabular';
import { type CurrentFigures, templateRows } from '../domain/return-file.js';
import {
  ACTIONS_SHEET,
  type CellValue,
  DATA_SHEETS,
  type FileProblem,
  INSTRUCTIONS_SHEET,
  KIND_WORDS,
  LISTS_SHEET,
  MATCH_SHEET,
  MEASUREMENTS_SHEET,
  SPEND_SHEET,
  STATUS_WORDS,
  type SheetData,
  type SheetDefinition,
  columnLetter,
} from '../domain/sheets.js';
import { parseCsv, toCsv } from './csv.js';

/**
 * The quarterly return's files: the template written as XLSX (exceljs) or one CSV per sheet, and an uploaded
 * file read back into sheets of cell values, or the problems that stop it being read.
 */

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv; charset=utf-8';

/** Rows given data validation beyond the prefilled ones (for new match funding and measurements). */
const SPARE_ROWS = 200;

const INSTRUCTIONS = [
  'Fill in this return, save it as XLSX (or each sheet as CSV), and upload it on the area’s spreadsheet return page.',
  'Nothing is changed until you have checked what the upload will change and confirmed it.',
  'Keep the sheets, their names and their first rows as they are. Do not use formulas: type the figures.',
  'Actions: change an action’s title, status or the milestone it has reached. A change of status to Paused or Cancelled needs a reason, to Completed a summary, in the last column. New actions are planned on the area’s page.',
  'Spend: the funds committed to each action in the financial year (a return can only add to them) and the spend in this quarter.',
  'Money is in pounds with at most two decimal places (1250.50 is £1,250.50). The service converts it to whole pence exactly and refuses anything finer.',
  'Match funding: add a row for each new contribution; rows already recorded keep their id and cannot be changed here.',
  'Measurements: correct the value or sample size of a recorded measurement, or add a row (without an id) for a new one for this quarter.',
  'Each problem found in an upload is named by sheet, row and column; a file with any problem changes nothing.',
];

/** The template as an XLSX workbook: instructions first, one sheet per part of the return, lists for validation. */
export async function templateXlsx(figures: CurrentFigures): Promise<Buffer> {
  const wb = new (await excel()).Workbook();
  wb.creator = 'Integration Area Programme';
  const intro = wb.addWorksheet(INSTRUCTIONS_SHEET);
  intro.getColumn(1).width = 24;
  intro.getColumn(2).width = 110;
  intro.addRow([`Quarterly return: ${figures.areaName}, ${figures.quarter}`]).font = { bold: true, size: 14 };
  intro.addRow([]);
  intro.addRow(['Area code', figures.areaCode]);
  intro.addRow(['Quarter', figures.quarter]);
  intro.addRow([]);
  for (const line of INSTRUCTIONS) intro.addRow(['', line]).getCell(2).alignment = { wrapText: true };

  // Lists the data validation draws on (hidden): milestones, indicators, partners.
  const lists = wb.addWorksheet(LISTS_SHEET, { state: 'hidden' });
  const columns: [string, string[]][] = [
    ['Milestones', [...new Set(figures.actions.flatMap((a) => a.milestones.map((m) => m.title)))]],
    ['Indicators', [...figures.indicatorCodes]],
    ['Partners', figures.partners.map((p) => p.name)],
  ];
  const listRange = new Map<string, string>();
  columns.forEach(([name, values], i) => {
    const letter = columnLetter(i);
    lists.getCell(`${letter}1`).value = name;
    values.forEach((v, j) => (lists.getCell(`${letter}${j + 2}`).value = v));
    if (values.length > 0) listRange.set(name, `${LISTS_SHEET}!$${letter}$2:$${letter}$${values.length + 1}`);
  });

  const rows = templateRows(figures);
  for (const def of DATA_SHEETS) {
    const ws = wb.addWorksheet(def.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.addRow(def.columns.map((c) => c.header)).font = { bold: true };
    def.columns.forEach((c, i) => (ws.getColumn(i + 1).width = Math.max(14, c.header.length + 4)));
    const data = rows.get(def) ?? [];
    for (const r of data) ws.addRow(r);
    const last = data.length + 1 + (def === ACTIONS_SHEET || def === SPEND_SHEET ? 0 : SPARE_ROWS);
    const validate = (key: string, validation: ExcelJS.DataValidation) => {
      const col = columnLetter(def.columns.findIndex((c) => c.key === key));
      for (let r = 2; r <= last; r += 1) ws.getCell(`${col}${r}`).dataValidation = validation;
    };
    const list = (formula: string, what: string): ExcelJS.DataValidation => ({
      type: 'list',
      allowBlank: true,
      formulae: [formula],
      showErrorMessage: true,
      errorTitle: 'Not in the list',
      error: `Choose ${what} from the list`,
    });
    const money: ExcelJS.DataValidation = {
      type: 'decimal',
      operator: 'greaterThanOrEqual',
      allowBlank: true,
      formulae: [0],
      showErrorMessage: true,
      errorTitle: 'Not an amount',
      error: 'Type an amount in pounds, such as 1250.50',
    };
    const inline = (values: readonly string[]) => `"${values.join(',')}"`;
    if (def === ACTIONS_SHEET) {
      validate('status', list(inline(Object.values(STATUS_WORDS)), 'a status'));
      const milestones = listRange.get('Milestones');
      if (milestones) validate('milestone', list(milestones, 'a milestone'));
    } else if (def === SPEND_SHEET) {
      validate('committed', money);
      validate('spend', money);
    } else if (def === MATCH_SHEET) {
      validate('kind', list(inline(Object.values(KIND_WORDS)), 'a kind'));
      const partners = listRange.get('Partners');
      if (partners) validate('partner', list(partners, 'a partner'));
      validate('amount', money);
    } else if (def === MEASUREMENTS_SHEET) {
      const indicators = listRange.get('Indicators');
      if (indicators) validate('indicator', list(indicators, 'an indicator'));
    }
  }
  // Instructions first and open; the lists last.
  wb.views = [
    { x: 0, y: 0, width: 10000, height: 20000, firstSheet: 0, activeTab: 0, visibility: 'visible' },
  ];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** One data sheet of the template as CSV (its headings first). */
export function templateCsv(figures: CurrentFigures, def: SheetDefinition): string {
  return toCsv([def.columns.map((c) => c.header), ...(templateRows(figures).get(def) ?? [])]);
}

/** The data sheet whose CSV is named `slug` (`actions`, `spend`, `match-funding`, `measurements`). */
export function sheetBySlug(slug: string): SheetDefinition | undefined {
  return DATA_SHEETS.find((d) => d.slug === slug);
}

/** SHA-256 of a file, as lowercase hex. */
export function digestOf(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

export type FileRead =
  | { readonly ok: true; readonly sheets: readonly SheetData[] }
  | { readonly ok: false; readonly problems: readonly FileProblem[] };

const NOT_A_SPREADSHEET = 'The selected file must be an XLSX spreadsheet or a CSV file';

/** What the file must be for: the area and quarter of the page or address it was uploaded to. */
export interface Expected {
  readonly areaCode: string;
  readonly quarter: string;
}

/**
 * Reads an uploaded return: XLSX (by its content, a zip) or CSV (one sheet, known by its headings). Refuses
 * macros, formulas whose results are not stored, missing or renamed sheets and headings, and a file for
 * another area or quarter.
 */
export async function readReturnFile(
  fileName: string,
  content: Buffer,
  expected: Expected,
): Promise<FileRead> {
  const fail = (message: string): FileRead => ({ ok: false, problems: [{ message }] });
  if (content.length === 0) return fail('The selected file is empty');
  const isZip = content.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  if (/\.xlsm$/i.test(fileName) || (isZip && content.includes('vbaProject.bin')))
    return fail('The selected file contains macros: save it as an Excel Workbook (.xlsx) without macros');
  if (isZip) return readXlsx(content, expected);
  if (/\.(xls|xlsb|ods|numbers)$/i.test(fileName) || content.subarray(0, 8).equals(OLE_HEADER))
    return fail(`${NOT_A_SPREADSHEET}: save it as an Excel Workbook (.xlsx)`);
  return readCsv(content);
}

/** The header of the old binary Office formats (.xls, .doc). */
const OLE_HEADER = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

function readCsv(content: Buffer): FileRead {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content).replace(/^\uFEFF/, '');
  } catch {
    return { ok: false, problems: [{ message: `${NOT_A_SPREADSHEET}: a CSV file must be text (UTF-8)` }] };
  }
  const rows = text.includes('\u0000') ? undefined : parseCsv(text);
  if (!rows || rows.length === 0) return { ok: false, problems: [{ message: NOT_A_SPREADSHEET }] };
  const headings = rows[0].map((h) => h.trim());
  const def = DATA_SHEETS.find(
    (d) => d.columns.length === headings.length && d.columns.every((c, i) => c.header === headings[i]),
  );
  if (!def)
    return {
      ok: false,
      problems: [
        {
          message: `${NOT_A_SPREADSHEET}: the first row of a CSV file must be the headings of one of the template's sheets (${DATA_SHEETS.map((d) => d.name).join(', ')}), as downloaded`,
        },
      ],
    };
  const problems: FileProblem[] = [];
  const sheetRows = rows.slice(1).map((fields, i) => {
    const cells: Record<string, CellValue> = {};
    def.columns.forEach((c, j) => {
      const text = fields[j] ?? '';
      if (text.startsWith('='))
        problems.push({
          sheet: def.name,
          row: i + 2,
          column: `${columnLetter(j)} (${c.header})`,
          message: 'holds a formula, whose result a CSV file does not store: type the figure instead',
        });
      cells[c.key] = text === '' ? null : text;
    });
    return { row: i + 2, cells };
  });
  return problems.length
    ? { ok: false, problems }
    : { ok: true, sheets: [{ name: def.name, rows: sheetRows }] };
}

async function readXlsx(content: Buffer, expected: Expected): Promise<FileRead> {
  const wb = new (await excel()).Workbook();
  try {
    await wb.xlsx.load(content as unknown as ArrayBuffer);
  } catch {
    return {
      ok: false,
      problems: [{ message: `${NOT_A_SPREADSHEET}: this file could not be opened as one` }],
    };
  }
  const problems: FileProblem[] = [];
  const names = wb.worksheets.map((w) => w.name);
  for (const name of [INSTRUCTIONS_SHEET, ...DATA_SHEETS.map((d) => d.name)])
    if (!wb.getWorksheet(name))
      problems.push({
        sheet: name,
        message: `is missing: the file has no sheet named “${name}” (it has ${names.map((n) => `“${n}”`).join(', ') || 'none'}). Keep the template's sheets and their names as downloaded`,
      });
  if (problems.length) return { ok: false, problems };

  // The area and quarter the template was made for.
  const intro = wb.getWorksheet(INSTRUCTIONS_SHEET)!;
  const labelled = (label: string): string | undefined => {
    let found: string | undefined;
    intro.eachRow((row) => {
      if (found === undefined && String(row.getCell(1).value ?? '').trim() === label)
        found = String(plain(row.getCell(2)).value ?? '').trim();
    });
    return found;
  };
  const area = labelled('Area code');
  const quarter = labelled('Quarter');
  if (area !== expected.areaCode)
    problems.push({
      sheet: INSTRUCTIONS_SHEET,
      message: `says this return is for area ${area || '(none)'}, not ${expected.areaCode}: download the template for ${expected.areaCode}`,
    });
  if (quarter !== expected.quarter)
    problems.push({
      sheet: INSTRUCTIONS_SHEET,
      message: `says this return is for ${quarter || '(no quarter)'}, not ${expected.quarter}: download the template for ${expected.quarter}`,
    });

  const sheets: SheetData[] = [];
  for (const def of DATA_SHEETS) {
    const ws = wb.getWorksheet(def.name)!;
    const header = ws.getRow(1);
    const wrong = def.columns.findIndex(
      (c, i) => String(header.getCell(i + 1).value ?? '').trim() !== c.header,
    );
    if (wrong >= 0) {
      problems.push({
        sheet: def.name,
        row: 1,
        column: `${columnLetter(wrong)} (${def.columns[wrong].header})`,
        message: `must be the heading “${def.columns[wrong].header}”: keep the template's first row as downloaded`,
      });
      continue;
    }
    const rows: SheetData['rows'][number][] = [];
    ws.eachRow((row, rowNumber) => {
      if (rowNumber === 1) return;
      const cells: Record<string, CellValue> = {};
      def.columns.forEach((c, i) => {
        const read = plain(row.getCell(i + 1));
        if (read.problem)
          problems.push({
            sheet: def.name,
            row: rowNumber,
            column: `${columnLetter(i)} (${c.header})`,
            message: read.problem,
          });
        cells[c.key] = read.value;
      });
      rows.push({ row: rowNumber, cells });
    });
    sheets.push({ name: def.name, rows });
  }
  return problems.length ? { ok: false, problems } : { ok: true, sheets };
}

/** A cell's value as text or a number; a formula by its stored result (none stored is a problem). */
function plain(cell: ExcelJS.Cell): { value: CellValue; problem?: string } {
  const v = cell.value as unknown;
  if (v === null || v === undefined) return { value: null };
  if (typeof v === 'number' || typeof v === 'string') return { value: v };
  if (typeof v === 'boolean') return { value: v ? 'TRUE' : 'FALSE' };
  if (v instanceof Date) return { value: v.toISOString().slice(0, 10) };
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('formula' in o || 'sharedFormula' in o) {
      const result = o.result;
      if (result === undefined || result === null)
        return {
          value: null,
          problem:
            'holds a formula whose result is not stored in the file: open the file in a spreadsheet program and save it, or type the figure instead',
        };
      if (typeof result === 'object' && !(result instanceof Date))
        return { value: null, problem: 'holds a formula whose result is an error: type the figure instead' };
      return plain({ value: result } as ExcelJS.Cell);
    }
    if (Array.isArray(o.richText))
      return { value: (o.richText as { text: string }[]).map((r) => r.text).join('') };
    if (typeof o.text === 'string') return { value: o.text }; // a hyperlink
    if ('error' in o)
      return { value: null, problem: `holds the error ${String(o.error)}: type the figure instead` };
  }
  return { value: null, problem: 'holds a value that is neither text nor a number' };
}
