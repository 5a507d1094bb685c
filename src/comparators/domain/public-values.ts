import { BadUserInputError, type FieldProblem, ONS_LOCAL_AUTHORITY_CODE } from '@iap/common';
import type { Decider } from '@iap/event-store';
import { INDICATOR_CODE } from '../../outcomes/domain/public-api.js';
import { parseFinancialQuarter, parseFinancialYear } from '../../shared/periods.js';

/**
 * Public indicator values for every council, as ONS, LG Inform and Fingertips publish them: one row per council,
 * indicator and period (ONS code, indicator code, period, value, source). Each file imported is one stream named
 * by its digest; each of its rows is recorded once (idempotent on the file's digest and the row), so importing
 * the same file again writes nothing.
 */

/** Columns a file must have (in any order; header names are matched ignoring case, spaces and punctuation). */
export const REQUIRED_COLUMNS = ['ons_code', 'indicator_code', 'period', 'value', 'source'] as const;
/** Columns a file may have besides. */
export const OPTIONAL_COLUMNS = ['area_name', 'indicator_name'] as const;
/** Most problems listed for one file (the rest are counted). */
export const MAX_PROBLEMS = 50;
/** Most rows one file may hold. */
export const MAX_ROWS = 200_000;
/** Rows per event, so that no event is very large. */
export const ROWS_PER_EVENT = 1000;

export interface PublicPeriod {
  /** As the product names it: `2019-20` (financial year), `2019-20 Q3` (quarter) or `2019` (calendar year). */
  readonly name: string;
  readonly start: string;
  readonly end: string;
}

/**
 * A period as public data names it: a financial year (`2019-20`, or `2019/20` as LG Inform writes it), a
 * financial quarter (`2019-20 Q3`, `2019/20 Q3`) or a calendar year (`2019`). Null when it is none of these.
 */
export function parsePublicPeriod(text: string): PublicPeriod | null {
  const t = text.trim().replace(/^(\d{4})\/(\d{2})/, '$1-$2');
  if (/^\d{4}$/.test(t)) return { name: t, start: `${t}-01-01`, end: `${t}-12-31` };
  const q = parseFinancialQuarter(t);
  if (q) return { name: q.name, start: q.start, end: q.end };
  const y = parseFinancialYear(t);
  return y ? { name: y.name, start: y.start, end: y.end } : null;
}

export interface PublicValueRow {
  /** The row's line number in the file (the header is line 1). */
  readonly row: number;
  readonly areaCode: string;
  readonly areaName?: string;
  readonly indicatorCode: string;
  readonly indicatorName?: string;
  readonly period: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly value: number;
  readonly source: string;
}

/** A file's records as parsed: its header, then each record's fields with the line it started on. */
export interface ParsedTable {
  readonly header: readonly string[];
  readonly records: readonly { readonly line: number; readonly fields: readonly string[] }[];
}

/** A header name as compared: lower case, anything but letters and digits as one underscore. */
export function columnKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

const field = (line: number, column: string) => `rows.${line}.${column}`;

/**
 * Checks every row of a parsed file and answers its values, or throws BAD_USER_INPUT listing each problem by
 * row and column (up to MAX_PROBLEMS): a file with any problem is refused whole.
 */
export function checkPublicValues(table: ParsedTable): PublicValueRow[] {
  const keys = table.header.map(columnKey);
  const problems: FieldProblem[] = [];
  const missing = REQUIRED_COLUMNS.filter((c) => !keys.includes(c));
  if (missing.length > 0)
    throw BadUserInputError.field(
      'file',
      `the first row must name the columns ${REQUIRED_COLUMNS.join(', ')}; missing: ${missing.join(', ')}`,
    );
  const repeated = keys.filter((k, i) => k !== '' && keys.indexOf(k) !== i);
  if (repeated.length > 0)
    throw BadUserInputError.field('file', `the column ${repeated[0]} is named twice in the first row`);
  if (table.records.length === 0) throw BadUserInputError.field('file', 'has no rows below its header');
  if (table.records.length > MAX_ROWS)
    throw BadUserInputError.field(
      'file',
      `has ${table.records.length} rows: at most ${MAX_ROWS} are allowed`,
    );
  const at = (fields: readonly string[], column: string) => {
    const i = keys.indexOf(column);
    return i < 0 ? '' : (fields[i] ?? '').trim();
  };
  const seen = new Map<string, number>();
  const rows: PublicValueRow[] = [];
  let more = 0;
  const problem = (line: number, column: string, message: string) => {
    if (problems.length < MAX_PROBLEMS)
      problems.push({ field: field(line, column), message: `row ${line}, column ${column}: ${message}` });
    else more++;
  };
  for (const { line, fields } of table.records) {
    if (fields.length !== keys.length) {
      problem(line, 'file', `has ${fields.length} values where the header names ${keys.length} columns`);
      continue;
    }
    const before = problems.length + more;
    const areaCode = at(fields, 'ons_code').toUpperCase();
    if (!ONS_LOCAL_AUTHORITY_CODE.test(areaCode))
      problem(line, 'ons_code', `"${areaCode}" is not an ONS local-authority code such as E06000008`);
    const indicatorCode = at(fields, 'indicator_code');
    if (!INDICATOR_CODE.test(indicatorCode))
      problem(
        line,
        'indicator_code',
        `"${indicatorCode}" must be 2-40 capitals, digits or underscores starting with a letter, such as HATE_CRIMES_PER_1000`,
      );
    const periodText = at(fields, 'period');
    const period = parsePublicPeriod(periodText);
    if (!period)
      problem(
        line,
        'period',
        `"${periodText}" is not a financial year (2019-20 or 2019/20), a quarter (2019-20 Q3) or a calendar year (2019)`,
      );
    const valueText = at(fields, 'value').replace(/,/g, '');
    const value = valueText === '' ? NaN : Number(valueText);
    if (!Number.isFinite(value))
      problem(line, 'value', valueText === '' ? 'must not be empty' : `"${valueText}" is not a number`);
    const source = at(fields, 'source');
    if (source === '') problem(line, 'source', 'must say where the figure comes from');
    else if (source.length > 300) problem(line, 'source', 'must be at most 300 characters');
    const areaName = at(fields, 'area_name');
    const indicatorName = at(fields, 'indicator_name');
    if (areaName.length > 200) problem(line, 'area_name', 'must be at most 200 characters');
    if (indicatorName.length > 200) problem(line, 'indicator_name', 'must be at most 200 characters');
    if (problems.length + more > before || !period) continue;
    const key = `${areaCode}|${indicatorCode}|${period.start}|${period.end}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problem(
        line,
        'period',
        `repeats row ${earlier}: ${areaCode} already has a ${indicatorCode} value for ${period.name} in this file`,
      );
      continue;
    }
    seen.set(key, line);
    rows.push({
      row: line,
      areaCode,
      ...(areaName ? { areaName } : {}),
      indicatorCode,
      ...(indicatorName ? { indicatorName } : {}),
      period: period.name,
      periodStart: period.start,
      periodEnd: period.end,
      value,
      source,
    });
  }
  if (more > 0)
    problems.push({ field: 'file', message: `and ${more} more ${more === 1 ? 'problem' : 'problems'}` });
  if (problems.length > 0) throw new BadUserInputError(problems);
  return rows;
}

/** The stream of one imported file, named by (the first 32 hex digits of) its SHA-256 digest. */
export function publicDataStream(digest: string): string {
  return `comparator-data-${digest.slice(0, 32)}`;
}

export type PublicDataEvent =
  | {
      type: 'PublicDataFileImported';
      data: { digest: string; fileName: string; rowCount: number };
    }
  | { type: 'PublicValuesRecorded'; data: { digest: string; values: PublicValueRow[] } };

export interface ImportPublicValues {
  readonly type: 'ImportPublicValues';
  readonly digest: string;
  readonly fileName: string;
  readonly rows: readonly PublicValueRow[];
}

export interface PublicDataFile {
  readonly imported: boolean;
  /** The rows recorded, by line number. */
  readonly rows: ReadonlySet<number>;
}

export const publicDataDecider: Decider<PublicDataFile, ImportPublicValues, PublicDataEvent> = {
  initialState: () => ({ imported: false, rows: new Set() }),
  evolve(state, event) {
    if (event.type === 'PublicDataFileImported') return { ...state, imported: true };
    const rows = new Set(state.rows);
    for (const v of event.data.values) rows.add(v.row);
    return { ...state, rows };
  },
  decide(command, state) {
    if (!/^[0-9a-f]{64}$/.test(command.digest))
      throw BadUserInputError.field('digest', 'must be the SHA-256 digest of the file, in hex');
    const fileName = command.fileName.trim();
    if (fileName === '' || fileName.length > 200)
      throw BadUserInputError.field('fileName', 'must be 1 to 200 characters');
    const events: PublicDataEvent[] = [];
    if (!state.imported)
      events.push({
        type: 'PublicDataFileImported',
        data: { digest: command.digest, fileName, rowCount: command.rows.length },
      });
    // Only the rows not yet recorded: the same file again records nothing.
    const missing = command.rows.filter((r) => !state.rows.has(r.row));
    for (let i = 0; i < missing.length; i += ROWS_PER_EVENT)
      events.push({
        type: 'PublicValuesRecorded',
        data: { digest: command.digest, values: missing.slice(i, i + ROWS_PER_EVENT) },
      });
    return events;
  },
};
