import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PageGraphQL } from '../apps/web/src/graphql.js';
import {
  type Run,
  applyReturn,
  checkReturn,
  commandIdFor,
} from '../apps/web/src/spreadsheets/return-spreadsheet.js';
import { digestOf } from '../src/spreadsheets/public-api.js';
import type { TestApp } from './support/test-app.js';
import { startDemoApp } from './support/web-app.js';

const BLACKBURN = 'E06000008';
const BRADFORD = 'E08000032';
const OPEN = '2021-22 Q1';
const OPEN_SLUG = '2021-22-q1';
/** The demo's returns run to 2020-21 Q4, every one approved: the quarter is locked. */
const LOCKED_SLUG = '2020-21-q4';
const MAX_BYTES = 300_000;

const OFFICER = { role: 'PILOT' as const, area: BLACKBURN, name: 'Blackburn officer' };

interface UploadAnswer {
  applied: boolean;
  code?: string;
  digest: string;
  counts: { new: number; changed: number; unchanged: number };
  rows: { sheet: string; row: number; kind: string; label: string; changes: string[] }[];
  rowsApplied?: number;
  operationsRun?: number;
  problems?: { sheet?: string; row?: number; column?: string; message: string; text: string }[];
}

/**
 * Quarterly returns by spreadsheet (issue 16 §1), over the script endpoint with bearer tokens: the template's
 * round trip (download, fill with exceljs, upload, preview, apply, upload again: nothing), each kind of bad
 * file (nothing written), an upload cut off half way and sent again, and who may download and upload.
 */
describe('quarterly returns by spreadsheet', () => {
  let t: TestApp;
  let before: string | undefined;

  beforeAll(async () => {
    before = process.env.UPLOAD_MAX_BYTES;
    process.env.UPLOAD_MAX_BYTES = String(MAX_BYTES);
    t = await startDemoApp();
  }, 180_000);
  afterAll(async () => {
    if (before === undefined) delete process.env.UPLOAD_MAX_BYTES;
    else process.env.UPLOAD_MAX_BYTES = before;
    await t?.close();
  });

  const api = (slug: string, file: string, area = BLACKBURN) =>
    `${t.url}/api/areas/${area}/returns/${slug}/${file}`;

  async function download(
    slug = OPEN_SLUG,
    file = 'template.xlsx',
    headers = t.as(OFFICER),
  ): Promise<Response> {
    return fetch(api(slug, file), { headers });
  }

  async function workbook(slug = OPEN_SLUG): Promise<ExcelJS.Workbook> {
    const res = await download(slug);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    return wb;
  }

  async function bytes(wb: ExcelJS.Workbook): Promise<Buffer> {
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  async function upload(
    content: Buffer,
    options: { apply?: boolean; name?: string; slug?: string; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; body: UploadAnswer }> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(content)]), options.name ?? 'return.xlsx');
    const res = await fetch(
      `${api(options.slug ?? OPEN_SLUG, 'spreadsheet')}${options.apply ? '?apply=true' : ''}`,
      {
        method: 'POST',
        headers: options.headers ?? t.as(OFFICER),
        body: form,
      },
    );
    return { status: res.status, body: (await res.json()) as UploadAnswer };
  }

  /** Uploads a bad file: refused with the problem expected, and nothing written. */
  async function refused(content: Buffer, expected: RegExp, options: Parameters<typeof upload>[1] = {}) {
    const events = await t.eventCount();
    const { status, body } = await upload(content, { apply: true, ...options });
    expect(status).toBeGreaterThanOrEqual(400);
    expect(body.code).toBe('BAD_FILE');
    expect(body.problems!.map((p) => (p as { text?: string }).text ?? p.message).join('\n')).toMatch(
      expected,
    );
    expect(await t.eventCount()).toBe(events);
    return body.problems!;
  }

  const rowsOf = (ws: ExcelJS.Worksheet) => {
    const rows: ExcelJS.Row[] = [];
    ws.eachRow((row, n) => n > 1 && rows.push(row));
    return rows;
  };

  it('gives a prefilled template: instructions first, the current figures, validation lists', async () => {
    const wb = await workbook();
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Instructions',
      'Lists',
      'Actions',
      'Spend',
      'Match funding',
      'Measurements',
    ]);
    expect(wb.worksheets[0].name).toBe('Instructions');
    expect(wb.getWorksheet('Lists')!.state).toBe('hidden');
    const intro = wb.getWorksheet('Instructions')!;
    expect(intro.getCell('B3').value).toBe(BLACKBURN);
    expect(intro.getCell('B4').value).toBe(OPEN);
    const actions = rowsOf(wb.getWorksheet('Actions')!);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.every((r) => r.getCell(1).value === BLACKBURN)).toBe(true);
    expect(actions[0].getCell(4).dataValidation).toMatchObject({ type: 'list' });
    expect(rowsOf(wb.getWorksheet('Spend')!).length).toBe(actions.length);
    expect(wb.getWorksheet('Measurements')!.getCell('C2').dataValidation).toMatchObject({ type: 'list' });
    // The same figures as CSV, one sheet per file.
    const csv = await download(OPEN_SLUG, 'actions.csv');
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const text = Buffer.from(await csv.arrayBuffer()).toString('utf8');
    expect(text.split('\r\n')[0]).toBe(
      '\uFEFFArea code,Action id,Title,Status,Milestone reached,Reason or summary for a status change',
    );
  });

  it('round trip: filled in, previewed (nothing written), applied as commands, recorded; the same file again changes nothing', async () => {
    const wb = await workbook();
    const actions = rowsOf(wb.getWorksheet('Actions')!);
    const renamed = actions.find((r) => !['Completed', 'Cancelled'].includes(String(r.getCell(4).value)))!;
    const actionId = String(renamed.getCell(2).value);
    renamed.getCell(3).value = `${String(renamed.getCell(3).value)} (renamed)`;
    const indicator = String(wb.getWorksheet('Lists')!.getCell('B2').value);
    wb.getWorksheet('Measurements')!.addRow([
      BLACKBURN,
      null,
      indicator,
      OPEN,
      42,
      120,
      'Programme records',
      'https://example.org/evidence',
    ]);
    const file = await bytes(wb);

    const events = await t.eventCount();
    const preview = await upload(file);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      applied: false,
      digest: digestOf(file),
      counts: { new: 1, changed: 1 },
    });
    expect(preview.body.rows.filter((r) => r.kind !== 'unchanged')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          sheet: 'Actions',
          kind: 'changed',
          changes: [expect.stringMatching(/^Title: /)],
        }),
        expect.objectContaining({ sheet: 'Measurements', kind: 'new' }),
      ]),
    );
    expect(await t.eventCount()).toBe(events);

    const applied = await upload(file, { apply: true, name: 'blackburn-q1.xlsx' });
    expect(applied.body).toMatchObject({ applied: true, rowsApplied: 2, operationsRun: 2 });
    expect(applied.status).toBe(200);
    // Two commands and the import's record.
    expect(await t.eventCount()).toBe(events + 3);
    // The activity feed follows the commands' own read models on its own.
    expect(await t.settle()).toBe(true);
    const read = await t.gql<{
      action: { title: string };
      measurements: { nodes: { value: number; sampleSize: number; indicatorCode: string }[] };
      area: {
        spreadsheetImports: { fileName: string; digest: string; rowsApplied: number; actorName: string }[];
      };
      activity: { nodes: { type: string }[] };
    }>(
      `query($id: ID!, $code: String!) {
        action(id: $id) { title }
        measurements(filter: { areaCode: $code, periodFrom: "2021-04-01", periodTo: "2021-06-30" }, first: 100) { nodes { value sampleSize indicatorCode } }
        area(code: $code) { spreadsheetImports { fileName digest rowsApplied actorName } }
        activity(first: 5, areaCode: $code) { nodes { type } }
      }`,
      { id: actionId, code: BLACKBURN },
      t.as(OFFICER),
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.action.title).toMatch(/\(renamed\)$/);
    expect(read.data!.measurements.nodes).toContainEqual({
      value: 42,
      sampleSize: 120,
      indicatorCode: indicator,
    });
    expect(read.data!.area.spreadsheetImports[0]).toEqual({
      fileName: 'blackburn-q1.xlsx',
      digest: digestOf(file),
      rowsApplied: 2,
      actorName: 'Blackburn officer',
    });
    expect(read.data!.activity.nodes.map((n) => n.type)).toContain('SpreadsheetReturnImported');

    // The same file again: every row unchanged, nothing written.
    const again = await upload(file, { apply: true });
    expect(again.body).toMatchObject({
      applied: true,
      counts: { new: 0, changed: 0 },
      rowsApplied: 0,
      operationsRun: 0,
    });
    expect(await t.eventCount()).toBe(events + 3);

    // A freshly downloaded template holds the change and uploads as all unchanged; so does a sheet as CSV.
    const fresh = await upload(await bytes(await workbook()), { apply: true });
    expect(fresh.body.counts).toMatchObject({ new: 0, changed: 0 });
    const csv = Buffer.from(await (await download(OPEN_SLUG, 'measurements.csv')).arrayBuffer());
    const fromCsv = await upload(csv, { name: 'measurements.csv' });
    expect(fromCsv.status).toBe(200);
    expect(fromCsv.body.counts).toMatchObject({ new: 0, changed: 0 });
    expect(fromCsv.body.counts.unchanged).toBeGreaterThan(0);
  });

  it('an upload cut off half way and sent again applies only what is missing', async () => {
    const wb = await workbook();
    const lists = wb.getWorksheet('Lists')!;
    const ws = wb.getWorksheet('Measurements')!;
    for (const [i, value] of [11, 12, 13].entries())
      ws.addRow([
        BLACKBURN,
        null,
        String(lists.getCell(`B${i + 3}`).value),
        OPEN,
        value,
        null,
        'Cut-off test',
        null,
      ]);
    const file = await bytes(wb);
    const digest = digestOf(file);

    // The first attempt dies after two commands (as a process killed mid-upload would).
    const fastify = t.app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
    const graphql = new PageGraphQL(fastify);
    const request = { id: 'cut-off', log: { error: () => undefined } } as unknown as FastifyRequest;
    const actor = {
      subject: 'pilot-e06000008',
      role: 'PILOT' as const,
      area: BLACKBURN,
      name: 'Blackburn officer',
    };
    let sent = 0;
    const dying: Run = (source, variables) => {
      if (source.includes('mutation') && sent++ >= 2) return Promise.reject(new Error('connection lost'));
      return graphql.run(request, actor, source, variables);
    };
    const checked = await checkReturn(
      dying,
      BLACKBURN,
      OPEN,
      { fileName: 'cut.xlsx', content: file },
      digest,
    );
    if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
    expect(checked.plan.operations).toHaveLength(3);
    const events = await t.eventCount();
    await expect(applyReturn(dying, checked, 'cut.xlsx')).rejects.toThrow('connection lost');
    expect(await t.eventCount()).toBe(events + 2);

    // Sent again: the two applied rows are unchanged, the third is applied (with its own commandId), and recorded.
    const again = await upload(file, { apply: true, name: 'cut.xlsx' });
    expect(again.body).toMatchObject({ applied: true, counts: { new: 1 }, rowsApplied: 1, operationsRun: 1 });
    expect(await t.eventCount()).toBe(events + 4);
    const values = await t.gql<{ measurements: { nodes: { value: number; source: string }[] } }>(
      `{ measurements(filter: { areaCode: "${BLACKBURN}", periodFrom: "2021-04-01", periodTo: "2021-06-30" }, first: 100) { nodes { value source } } }`,
      {},
      t.as(OFFICER),
    );
    expect(
      values
        .data!.measurements.nodes.filter((m) => m.source === 'Cut-off test')
        .map((m) => m.value)
        .sort(),
    ).toEqual([11, 12, 13]);
    // A command of the file sent again by itself (its derived commandId) applies once: nothing new.
    const op = checked.plan.operations[0];
    const replay = await t.gql(
      `mutation($input: ${op.inputType}!) { ${op.mutation}(input: $input) { id } }`,
      {
        input: { ...op.input, commandId: commandIdFor(digest, op.key) },
      },
      t.as(OFFICER),
    );
    expect(replay.errors).toBeUndefined();
    expect(await t.eventCount()).toBe(events + 4);
    // And the whole file once more: nothing.
    const third = await upload(file, { apply: true });
    expect(third.body).toMatchObject({ rowsApplied: 0, operationsRun: 0 });
    expect(await t.eventCount()).toBe(events + 4);
  });

  describe('bad files get a clear answer and write nothing', () => {
    it('not a spreadsheet', async () => {
      await refused(
        Buffer.from('%PDF-1.4 not a spreadsheet\u0000\u0001'),
        /must be an XLSX spreadsheet or a CSV file/,
        { name: 'return.pdf' },
      );
      await refused(Buffer.from('name,age\nA,1\n'), /headings of one of the template's sheets/, {
        name: 'other.csv',
      });
    });

    it('too large', async () => {
      const problems = await refused(Buffer.alloc(MAX_BYTES + 10, 0x41), /must be smaller than 0\.3 MB/);
      expect(problems).toHaveLength(1);
    });

    it('macros', async () => {
      const file = await bytes(await workbook());
      await refused(file, /contains macros/, { name: 'return.xlsm' });
      await refused(Buffer.concat([file, Buffer.from('xl/vbaProject.bin')]), /contains macros/);
    });

    it('a formula whose result is not stored', async () => {
      const wb = await workbook();
      wb.getWorksheet('Spend')!.getCell('F2').value = { formula: 'E2/2' } as ExcelJS.CellFormulaValue;
      const problems = await refused(await bytes(wb), /formula whose result is not stored/);
      expect(problems[0]).toMatchObject({ sheet: 'Spend', row: 2, column: 'F (Spend this quarter (£))' });
    });

    it('a sheet missing or renamed', async () => {
      const wb = await workbook();
      wb.getWorksheet('Spend')!.name = 'Spending';
      const problems = await refused(await bytes(wb), /no sheet named “Spend”/);
      expect(problems[0]).toMatchObject({ sheet: 'Spend' });
    });

    it('a locked quarter', async () => {
      await refused(
        await bytes(await workbook(LOCKED_SLUG)),
        /2020-21 Q4 is locked for Blackburn with Darwen/,
        { slug: LOCKED_SLUG },
      );
    });

    it("another area's rows, and a template for another quarter", async () => {
      const wb = await workbook();
      wb.getWorksheet('Actions')!.getCell('A2').value = BRADFORD;
      const problems = await refused(await bytes(wb), /this file may hold only Blackburn with Darwen's/);
      expect(problems[0]).toMatchObject({ sheet: 'Actions', row: 2, column: 'A (Area code)' });
      await refused(await bytes(await workbook()), /this return is for 2021-22 Q1, not 2021-22 Q2/, {
        slug: '2021-22-q2',
      });
    });

    it('rows that break the rules, each named by sheet, row, column and rule', async () => {
      const wb = await workbook();
      wb.getWorksheet('Actions')!.getCell('D2').value = 'Finished';
      wb.getWorksheet('Spend')!.getCell('F2').value = 12.345;
      wb.getWorksheet('Measurements')!.addRow([
        BLACKBURN,
        null,
        'NO_SUCH_INDICATOR',
        OPEN,
        'lots',
        null,
        '',
        'ftp://x',
      ]);
      const problems = await refused(
        await bytes(wb),
        /Actions, row 2, column D \(Status\): must be one of Planned, In progress, Paused, Completed, Cancelled/,
      );
      const text = problems.map((p) => p.text);
      expect(text).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^Spend, row 2, column F \(Spend this quarter \(£\)\): must be an amount in pounds with at most two decimal places/,
          ),
          expect.stringMatching(
            /^Measurements, row \d+, column C \(Indicator code\): is not an indicator in the catalogue/,
          ),
          expect.stringMatching(/^Measurements, row \d+, column E \(Value\): must be a number/),
          expect.stringMatching(
            /^Measurements, row \d+, column G \(Source\): must say where the figure comes from/,
          ),
          expect.stringMatching(
            /^Measurements, row \d+, column H \(Evidence link\): must be blank or a link/,
          ),
        ]),
      );
    });
  });

  it("a value its indicator's unit refuses is a problem of the file, found before any row is applied", async () => {
    const wb = await workbook();
    const sheet = wb.getWorksheet('Measurements')!;
    // A good row first: applied row by row, it would have been recorded before the bad one was refused.
    sheet.addRow([BLACKBURN, null, 'GET_ON_WELL', OPEN, 75, 400, 'Residents survey', null]);
    sheet.addRow([BLACKBURN, null, 'YOUNG_PEOPLE_MIXING', OPEN, -5, null, 'Programme records', null]);
    await refused(
      await bytes(wb),
      /^Measurements, row \d+, column E \(Value\): must not be negative \(the unit is a count\)$/m,
      { apply: true },
    );
  });

  it('only the central team and the area’s own pilot officers may download or upload its template', async () => {
    const file = await bytes(await workbook());
    expect((await download(OPEN_SLUG, 'template.xlsx', t.as({ role: 'CENTRAL' }))).status).toBe(200);
    expect((await download(OPEN_SLUG, 'template.xlsx', t.as({ role: 'PILOT', area: BRADFORD }))).status).toBe(
      403,
    );
    expect(
      (await download(OPEN_SLUG, 'template.xlsx', t.as({ role: 'COUNCIL', area: 'E06000016' }))).status,
    ).toBe(403);
    expect((await download(OPEN_SLUG, 'template.xlsx', {})).status).toBe(401);
    const events = await t.eventCount();
    expect(
      (await upload(file, { apply: true, headers: t.as({ role: 'PILOT', area: BRADFORD }) })).status,
    ).toBe(403);
    expect((await upload(file, { apply: true, headers: {} })).status).toBe(401);
    expect(await t.eventCount()).toBe(events);
    // The import record's mutation has the same rule.
    const other = await t.gql(
      `mutation($input: RecordSpreadsheetImportInput!) { recordSpreadsheetImport(input: $input) { id } }`,
      {
        input: {
          areaCode: BLACKBURN,
          quarter: OPEN,
          fileName: 'x.xlsx',
          digest: 'a'.repeat(64),
          rowsApplied: 1,
        },
      },
      t.as({ role: 'PILOT', area: BRADFORD }),
    );
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await t.eventCount()).toBe(events);
  });
});
