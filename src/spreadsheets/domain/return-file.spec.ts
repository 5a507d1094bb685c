import { describe, expect, it } from '@jest/globals';
import { BadUserInputError, NotFoundError } from '@iap/common';
import { deciderSpecification } from '@iap/event-store/testing';
import { type CurrentFigures, readReturn, templateRows } from './return-file.js';
import {
  ACTIONS_SHEET,
  type CellValue,
  MATCH_SHEET,
  MEASUREMENTS_SHEET,
  SPEND_SHEET,
  type SheetData,
  type SheetDefinition,
  describeProblem,
  penceOf,
} from './sheets.js';
import { importDecider } from './spreadsheet-import.js';

const AREA = 'E06000008';
const A1 = '11111111-1111-4111-8111-111111111111';
const A2 = '22222222-2222-4222-8222-222222222222';
const P1 = '33333333-3333-4333-8333-333333333333';
const M1 = '44444444-4444-4444-8444-444444444444';
const MF1 = '55555555-5555-4555-8555-555555555555';
const DIGEST = 'ab'.repeat(32);

const FIGURES: CurrentFigures = {
  areaCode: AREA,
  areaName: 'Blackburn with Darwen',
  quarter: '2021-22 Q1',
  locked: false,
  actions: [
    {
      id: A1,
      title: 'Schools Linking',
      status: 'IN_PROGRESS',
      milestones: [{ id: 'ms-1', title: 'First link', reachedOn: null }],
    },
    { id: A2, title: 'Welcome pack', status: 'PLANNED', milestones: [] },
  ],
  committedPence: { [A1]: 500_000 },
  spendPence: { [A1]: 12_345 },
  partners: [{ id: P1, name: 'Blackburn College' }],
  matchFunding: [
    {
      matchId: MF1,
      partnerId: P1,
      actionId: null,
      year: '2021-22',
      kind: 'CASH',
      amountPence: 100_000,
      description: 'Rooms',
    },
  ],
  measurements: [
    {
      id: M1,
      indicatorCode: 'ESOL_ENROLMENTS',
      periodLabel: '2021-22 Q1',
      value: 40,
      sampleSize: null,
      source: 'Programme records',
      evidenceUrl: null,
    },
  ],
  indicatorCodes: ['ESOL_ENROLMENTS', 'MIXING_MONTHLY'],
  indicatorUnits: { ESOL_ENROLMENTS: 'COUNT', MIXING_MONTHLY: 'PERCENTAGE' },
  indicatorNames: {
    ESOL_ENROLMENTS: 'Adults enrolled on ESOL courses',
    MIXING_MONTHLY: 'Mixing socially each month',
  },
};

/** The template's own sheets, with some cells changed: `{ Actions: { 2: { title: 'x' } } }`. */
function sheets(
  changes: Partial<Record<string, Record<number, Record<string, CellValue>>>> = {},
  extra: Partial<Record<string, CellValue[][]>> = {},
): SheetData[] {
  const rows = templateRows(FIGURES);
  return [...rows.entries()].map(([def, data]: [SheetDefinition, CellValue[][]]) => ({
    name: def.name,
    rows: [...data, ...(extra[def.name] ?? [])].map((cellsIn, i) => {
      const cells = Object.fromEntries(def.columns.map((c, j) => [c.key, cellsIn[j] ?? null]));
      return { row: i + 2, cells: { ...cells, ...(changes[def.name]?.[i + 2] ?? {}) } };
    }),
  }));
}

function problemsOf(data: SheetData[], figures = FIGURES): string[] {
  const result = readReturn(data, figures, DIGEST);
  return result.ok ? [] : result.problems.map(describeProblem);
}

function planOf(data: SheetData[]) {
  const result = readReturn(data, FIGURES, DIGEST);
  if (!result.ok) throw new Error(result.problems.map(describeProblem).join('\n'));
  return result.plan;
}

describe('penceOf: pounds in a cell to integer pence, exactly', () => {
  it.each([
    [1250, 125_000],
    [1250.5, 125_050],
    [0.29, 29],
    ['£1,234.56', 123_456],
    ['12', 1_200],
    [null, null],
    ['  ', null],
  ])('%p is %p', (cell, pence) => expect(penceOf(cell as CellValue)).toBe(pence));

  it.each([[12.345], [1.005 * 100], ['12.3.4'], ['ten'], [1e21], ['1,23']])('%p is refused', (cell) =>
    expect(penceOf(cell as CellValue)).toBeUndefined(),
  );
});

describe('readReturn', () => {
  it('the template as downloaded changes nothing', () => {
    const plan = planOf(sheets());
    expect(plan.operations).toEqual([]);
    expect(plan.counts).toEqual({ new: 0, changed: 0, unchanged: 6 });
  });

  it('turns changes into the API’s commands, in the order they must run', () => {
    const plan = planOf(
      sheets(
        {
          [ACTIONS_SHEET.name]: {
            2: { milestone: 'First link' },
            3: { status: 'In progress', title: 'Welcome packs' },
          },
          [SPEND_SHEET.name]: { 2: { spend: 200 }, 3: { committed: 1000, spend: 100.5 } },
          [MEASUREMENTS_SHEET.name]: { 2: { value: 41 } },
        },
        {
          [MATCH_SHEET.name]: [[AREA, null, 'Blackburn College', A2, '2021-22', 'In kind', 50, 'Volunteers']],
          [MEASUREMENTS_SHEET.name]: [
            [AREA, null, 'MIXING_MONTHLY', '2021-22 Q1', 61.5, 800, 'Survey', 'https://example.org/s'],
          ],
        },
      ),
    );
    expect(plan.operations.map((o) => o.mutation)).toEqual([
      'reachMilestone',
      'startAction',
      'reviseAction',
      'commitFunds',
      'correctSpend',
      'reportSpend',
      'recordMatchFunding',
      'correctMeasurement',
      'recordMeasurement',
    ]);
    const by = Object.fromEntries(plan.operations.map((o) => [o.mutation, o.input]));
    expect(by.commitFunds).toEqual({ areaCode: AREA, actionId: A2, year: '2021-22', amountPence: 100_000 });
    expect(by.reportSpend).toMatchObject({ actionId: A2, quarter: '2021-22 Q1', amountPence: 10_050 });
    expect(by.correctSpend).toMatchObject({ actionId: A1, amountPence: 20_000 });
    expect(by.recordMatchFunding).toMatchObject({
      kind: 'IN_KIND',
      amountPence: 5_000,
      partnerId: P1,
      actionId: A2,
    });
    expect(by.recordMeasurement).toMatchObject({
      indicatorCode: 'MIXING_MONTHLY',
      periodStart: '2021-04-01',
      periodEnd: '2021-06-30',
      sampleSize: 800,
    });
    expect(plan.counts).toEqual({ new: 3, changed: 4, unchanged: 1 });
    // Measurements are named by their indicator's name, the code the sheet holds in brackets.
    const measured = plan.rows.filter((r) => r.sheet === MEASUREMENTS_SHEET.name);
    expect(measured.map((r) => r.label)).toEqual([
      'Adults enrolled on ESOL courses (ESOL_ENROLMENTS), 2021-22 Q1',
      'Mixing socially each month (MIXING_MONTHLY), 2021-22 Q1',
    ]);
    expect(measured[1]!.changes).toEqual(['Value: 61.5, sample size 800']);
    // Every key is unique within the file (the commandId is derived from it).
    expect(new Set(plan.operations.map((o) => o.key)).size).toBe(plan.operations.length);
  });

  it('a new row equal to a record already held is unchanged (a file applied once applies nothing again)', () => {
    const plan = planOf(
      sheets(
        {},
        { [MATCH_SHEET.name]: [[AREA, null, 'Blackburn College', null, '2021-22', 'Cash', 1000, 'Rooms']] },
      ),
    );
    // The prefilled row matched it by id; the copy without an id is new (the record is matched once).
    expect(plan.counts.new).toBe(1);
    const withoutId = sheets({ [MATCH_SHEET.name]: { 2: { id: null } } });
    expect(planOf(withoutId).counts).toEqual({ new: 0, changed: 0, unchanged: 6 });
  });

  it('names every problem by sheet, row, column and rule, and plans nothing', () => {
    const problems = problemsOf(
      sheets(
        {
          [ACTIONS_SHEET.name]: { 2: { status: 'Completed' }, 3: { area: 'E08000032' } },
          [SPEND_SHEET.name]: { 2: { committed: 100, spend: 12.345 } },
          [MATCH_SHEET.name]: { 2: { amount: 2000 } },
          [MEASUREMENTS_SHEET.name]: { 2: { source: 'Another' } },
        },
        { [MEASUREMENTS_SHEET.name]: [[AREA, null, 'ESOL_ENROLMENTS', '2021-22 Q1', 1, null, 'x', null]] },
      ),
    );
    expect(problems).toEqual([
      'Actions, row 2, column F (Reason or summary for a status change): must say what the action achieved',
      "Actions, row 3, column A (Area code): is E08000032: this file may hold only Blackburn with Darwen's (E06000008) rows",
      'Spend, row 2, column F (Spend this quarter (£)): must be an amount in pounds with at most two decimal places, such as 1250 or 1250.50 (no formulas, no text)',
      'Match funding, row 2, column B (Match funding id): names match funding already recorded, which a return cannot change: leave its row as it is, or clear the id to record new match funding',
      'Measurements, row 2, column G (Source): cannot change on a recorded measurement (it is “Programme records”): only Value and Sample size can be corrected',
      `Measurements, row 3, column C (Indicator code): already has a measurement for 2021-22 Q1 (id ${M1}): correct the value in that measurement's row instead of adding one`,
    ]);
    expect(problemsOf(sheets({ [SPEND_SHEET.name]: { 2: { committed: 100 } } }))).toEqual([
      'Spend, row 2, column E (Committed in the year (£)): cannot be less than the £5,000.00 already committed in 2021-22: a commitment is never reduced in a return',
    ]);
  });

  it("checks a measurement's value against its indicator's unit before anything is applied", () => {
    const problems = problemsOf(
      sheets(
        { [MEASUREMENTS_SHEET.name]: { 2: { value: -5 } } },
        {
          [MEASUREMENTS_SHEET.name]: [
            [AREA, null, 'MIXING_MONTHLY', '2021-22 Q1', 140, null, 'Residents survey', null],
            [AREA, null, 'ESOL_ENROLMENTS', '2021-22 Q1', 2.5, null, 'Programme records', null],
          ],
        },
      ),
    );
    expect(problems).toEqual([
      'Measurements, row 2, column E (Value): must not be negative (the unit is a count)',
      'Measurements, row 3, column E (Value): must be between 0 and 100 (the unit is a percentage)',
      'Measurements, row 4, column E (Value): must be a whole number (the unit is a count)',
    ]);
  });

  it('refuses a locked quarter, unknown and repeated actions, illegal changes of status', () => {
    expect(problemsOf(sheets(), { ...FIGURES, locked: true })).toEqual([
      '2021-22 Q1 is locked for Blackburn with Darwen: its return has been submitted. Ask the central team to send it back before uploading changes.',
    ]);
    const other = '99999999-9999-4999-8999-999999999999';
    expect(
      problemsOf(
        sheets(
          { [ACTIONS_SHEET.name]: { 3: { status: 'Completed', note: 'Done' } } },
          {
            [ACTIONS_SHEET.name]: [
              [AREA, other, 'x', 'Planned', null, null],
              [AREA, A1, 'Schools Linking', 'In progress', null, null],
            ],
          },
        ),
      ),
    ).toEqual([
      'Actions, row 3, column D (Status): cannot go from Planned to Completed: only an action in progress can be completed',
      "Actions, row 4, column B (Action id): is not one of Blackburn with Darwen's actions (another area's action, or none)",
      'Actions, row 5, column B (Action id): This action is already in row 2: give each one row only',
    ]);
  });
});

describe('recording an import', () => {
  const given = deciderSpecification(importDecider);
  const record = {
    type: 'RecordImport' as const,
    areaCode: AREA,
    quarter: '2021-22 Q1',
    fileName: 'return.xlsx',
    digest: DIGEST,
    rowsApplied: 3,
    areaRegistered: true,
  };

  it('records the file, its digest and the rows applied', () =>
    given([])
      .when(record)
      .then([
        {
          type: 'SpreadsheetReturnImported',
          data: {
            areaCode: AREA,
            quarter: '2021-22 Q1',
            fileName: 'return.xlsx',
            digest: DIGEST,
            rowsApplied: 3,
          },
        },
      ]));

  it('refuses a digest that is not SHA-256, and an unknown area', () => {
    given([])
      .when({ ...record, digest: 'abc' })
      .thenThrows(BadUserInputError);
    given([])
      .when({ ...record, areaRegistered: false })
      .thenThrows(NotFoundError);
  });
});
