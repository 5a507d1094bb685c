import { once } from 'node:events';
import { PassThrough, Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type ExcelJS from 'exceljs';

let loadingExcel: Promise<typeof ExcelJS> | undefined;

/**
 * exceljs, loaded on first use: most of the server's requests never write or read a spreadsheet, and loading it
 * (with the zip and stream packages it brings) at start would hold about 9 MB more heap for the process's life.
 */
export function excel(): Promise<typeof ExcelJS> {
  return (loadingExcel ??= import('exceljs').then((m) => m.default));
}

/** A cell: text, a number, a boolean, an instant (written as ISO 8601 text), or empty. */
export type Cell = string | number | boolean | Date | null | undefined;

/** One column of a table: its header and how a row gives its cell. */
export interface Column<T> {
  readonly header: string;
  readonly value: (row: T) => Cell;
}

export type TabularFormat = 'csv' | 'xlsx';
export const TABULAR_FORMATS: readonly TabularFormat[] = ['csv', 'xlsx'];

export const CONTENT_TYPES: Readonly<Record<TabularFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export interface WriteTableOptions {
  /** The worksheet's name in an XLSX file (at most 31 characters; default "Data"). */
  readonly sheetName?: string;
}

/** Text a spreadsheet would take for a formula (CSV only: XLSX stores text as text). */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(value: Cell): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  // A spreadsheet opening the CSV must not run text as a formula (OWASP "CSV injection"): such text starts with '.
  if (typeof value === 'string' && FORMULA_START.test(value)) return `'${value}`;
  return value;
}

function xlsxCell(value: Cell): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return value;
}

/**
 * Writes rows as CSV (RFC 4180, UTF-8, a header row) or XLSX (one worksheet, a bold header row) to `out`, as they
 * arrive: memory stays constant whatever the number of rows, and a slow reader slows the source (backpressure).
 * Resolves with the number of rows written once `out` has received the whole file.
 */
export async function writeTable<T>(
  format: TabularFormat,
  rows: AsyncIterable<T> | Iterable<T>,
  columns: readonly Column<T>[],
  out: Writable,
  options: WriteTableOptions = {},
): Promise<number> {
  return format === 'csv' ? writeCsv(rows, columns, out) : writeXlsx(rows, columns, out, options);
}

async function writeCsv<T>(
  rows: AsyncIterable<T> | Iterable<T>,
  columns: readonly Column<T>[],
  out: Writable,
): Promise<number> {
  let count = 0;
  async function* records() {
    for await (const row of rows) {
      count++;
      yield columns.map((c) => csvCell(c.value(row)));
    }
  }
  await pipeline(
    Readable.from(records()),
    stringify({ header: true, columns: columns.map((c) => c.header), record_delimiter: 'windows' }),
    out,
  );
  return count;
}

/** Most bytes of worksheet XML let wait in front of the zip's compressor before rows wait for it. */
const ZIP_BACKLOG_LIMIT = 1 << 20;

/** What exceljs's streaming worksheet writes into: its own StreamBuf, piped into the zip entry's input stream. */
interface SheetStream {
  readonly pipes?: readonly (Writable & { _writableState?: { length?: number } })[];
}

/**
 * Bytes of a streaming worksheet's XML written but not yet taken by the zip's compressor. exceljs's StreamBuf
 * writes each 64 KB block of the sheet into the zip entry without waiting for it, so when compressing is slower
 * than rows arrive the blocks pile up there without limit (about 0.4 MB per 1,000 rows of 14 columns).
 * The entry's input is a readable-stream 2 PassThrough (archiver-utils), which has no `writableLength`.
 */
export function zipBacklog(sheet: ExcelJS.Worksheet): {
  bytes: number;
  input: Writable | undefined;
} {
  const input = (sheet as unknown as { stream: SheetStream }).stream.pipes?.[0];
  return { bytes: input?._writableState?.length ?? 0, input };
}

async function writeXlsx<T>(
  rows: AsyncIterable<T> | Iterable<T>,
  columns: readonly Column<T>[],
  out: Writable,
  options: WriteTableOptions,
): Promise<number> {
  // The workbook writes into `buffer`, which is piped to `out`: waiting for it to drain, and for the compressor to
  // take the sheet's XML (see zipBacklog), keeps memory constant whatever the number of rows.
  const buffer = new PassThrough({ highWaterMark: 1 << 16 });
  const piped = pipeline(buffer, out);
  const failed = new Promise<never>((_resolve, reject) => piped.catch(reject));
  failed.catch(() => undefined); // awaited below only while waiting for a drain
  const ExcelJS = await excel();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: buffer,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet((options.sheetName ?? 'Data').slice(0, 31), {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = columns.map((c) => ({
    header: c.header,
    width: Math.min(60, Math.max(12, c.header.length + 2)),
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  let count = 0;
  for await (const row of rows) {
    sheet.addRow(columns.map((c) => xlsxCell(c.value(row)))).commit();
    count++;
    const backlog = zipBacklog(sheet);
    if (backlog.bytes > ZIP_BACKLOG_LIMIT) await Promise.race([once(backlog.input!, 'drain'), failed]);
    if (buffer.writableNeedDrain) await Promise.race([once(buffer, 'drain'), failed]);
  }
  sheet.commit();
  await workbook.commit();
  await piped;
  return count;
}

/** Pence as pounds, exactly (a number with at most two decimal places: 123456 → 1234.56). */
export function penceToPounds(pence: number | null | undefined): number | null {
  if (pence === null || pence === undefined) return null;
  if (!Number.isSafeInteger(pence)) throw new RangeError(`${pence} is not a whole number of pence`);
  return pence / 100;
}
