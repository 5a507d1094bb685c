import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { type Column, penceToPounds, writeTable } from './index.js';
import { zipBacklog } from './tabular.js';

interface Row {
  id: number;
  name: string;
  pence: number;
  at: Date | null;
}

const COLUMNS: Column<Row>[] = [
  { header: 'Id', value: (r) => r.id },
  { header: 'Name', value: (r) => r.name },
  { header: 'Amount (pence)', value: (r) => r.pence },
  { header: 'Amount (£)', value: (r) => penceToPounds(r.pence) },
  { header: 'Recorded at', value: (r) => r.at },
];

const ROWS: Row[] = [
  { id: 1, name: 'Schools Linking', pence: 800000, at: new Date('2019-12-03T09:54:33.000Z') },
  { id: 2, name: 'Comma, "quotes" and\na new line', pence: -1, at: null },
  { id: 3, name: '=HYPERLINK("http://example.com")', pence: 123456789, at: null },
  { id: 4, name: 'Ünïcödé – £', pence: 5, at: null },
];

async function* slowly<T>(rows: readonly T[]): AsyncIterable<T> {
  for (const row of rows) {
    await new Promise((r) => setImmediate(r));
    yield row;
  }
}

async function written(
  format: 'csv' | 'xlsx',
  rows: AsyncIterable<Row> | Iterable<Row>,
): Promise<{ n: number; bytes: Buffer }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const n = await writeTable(format, rows, COLUMNS, out, { sheetName: 'Actions' });
  return { n, bytes: Buffer.concat(chunks) };
}

describe('writeTable', () => {
  it('writes CSV that parses back to the same rows, under a header row', async () => {
    const { n, bytes } = await written('csv', slowly(ROWS));
    expect(n).toBe(4);
    const records = parse(bytes, { bom: true }) as string[][];
    expect(records[0]).toEqual(['Id', 'Name', 'Amount (pence)', 'Amount (£)', 'Recorded at']);
    expect(records.slice(1)).toEqual([
      ['1', 'Schools Linking', '800000', '8000', '2019-12-03T09:54:33.000Z'],
      ['2', 'Comma, "quotes" and\na new line', '-1', '-0.01', ''],
      // Text a spreadsheet would run as a formula is written as text.
      ['3', `'=HYPERLINK("http://example.com")`, '123456789', '1234567.89', ''],
      ['4', 'Ünïcödé – £', '5', '0.05', ''],
    ]);
  });

  it('writes XLSX whose one sheet reads back to the same rows', async () => {
    const { n, bytes } = await written('xlsx', ROWS);
    expect(n).toBe(4);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Actions')!;
    const values: unknown[][] = [];
    sheet.eachRow((row) => values.push((row.values as unknown[]).slice(1)));
    expect(values[0]).toEqual(['Id', 'Name', 'Amount (pence)', 'Amount (£)', 'Recorded at']);
    expect(values.slice(1)).toEqual([
      [1, 'Schools Linking', 800000, 8000, '2019-12-03T09:54:33.000Z'],
      [2, 'Comma, "quotes" and\na new line', -1, -0.01],
      [3, '=HYPERLINK("http://example.com")', 123456789, 1234567.89],
      [4, 'Ünïcödé – £', 5, 0.05],
    ]);
  });

  it('writes only the header row when there are no rows', async () => {
    const { n, bytes } = await written('csv', []);
    expect(n).toBe(0);
    expect(bytes.toString('utf8')).toBe('Id,Name,Amount (pence),Amount (£),Recorded at\r\n');
  });
});

describe('XLSX back-pressure inside the zip', () => {
  it("sees the sheet's XML that exceljs leaves waiting in front of the compressor", async () => {
    // exceljs does not wait for the compressor: committed rows pile up in the zip entry's input. writeTable waits
    // while zipBacklog says more than 1 MiB is there; if an exceljs upgrade moved it, this would fail, not memory.
    const out = new PassThrough();
    out.resume();
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false });
    const sheet = workbook.addWorksheet('Data');
    sheet.getRow(1).commit();
    await new Promise((r) => setImmediate(r)); // the zip takes the sheet's entry
    for (let i = 0; i < 20_000; i++) sheet.addRow([i, `Action number ${i}`, 'PLANNED']).commit();
    expect(zipBacklog(sheet).bytes).toBeGreaterThan(1 << 20);
    sheet.commit();
    await workbook.commit();
  });

  it('writes every row of a long list given faster than it compresses', async () => {
    const many = function* () {
      for (let i = 0; i < 30_000; i++) yield { id: i, name: `Action number ${i}`, pence: i, at: null };
    };
    const { n, bytes } = await written('xlsx', many());
    expect(n).toBe(30_000);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Actions')!;
    expect(sheet.rowCount).toBe(30_001);
    expect(sheet.getRow(30_001).getCell(2).value).toBe('Action number 29999');
  });
});

describe('penceToPounds', () => {
  it('gives pounds exactly, to the penny', () => {
    expect(penceToPounds(1)).toBe(0.01);
    expect(penceToPounds(10)).toBe(0.1);
    expect(penceToPounds(199999999999)).toBe(1999999999.99);
    expect(String(penceToPounds(123456789))).toBe('1234567.89');
    expect(penceToPounds(null)).toBeNull();
  });
  it('refuses what is not a whole number of pence', () => {
    expect(() => penceToPounds(1.5)).toThrow(RangeError);
  });
});
