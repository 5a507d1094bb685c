import { v5 as uuidv5 } from 'uuid';
import type { OperationError, OperationResult } from '../graphql.js';
import { parseFinancialQuarter } from '../../../../src/shared/periods.js';
import {
  type CurrentFigures,
  type FileProblem,
  type ReturnPlan,
  readReturn,
  readReturnFile,
} from '../../../../src/spreadsheets/public-api.js';

/**
 * A spreadsheet return from upload to applied, for the web page and the script endpoint alike: the area's
 * figures read through the API, the file read and checked against them, and the plan run as the API's own
 * mutations, each with a commandId derived from the file's digest and its row (so that the same file applies
 * once, and a cut-off upload sent again applies only what is missing).
 */

/** Runs one GraphQL operation as the person uploading (Page.run, or the same gate for a bearer token). */
export type Run = <T>(source: string, variables?: Record<string, unknown>) => Promise<OperationResult<T>>;

/** The namespace of the commandIds a spreadsheet return's rows are sent with (UUID v5). */
export const RETURN_COMMAND_NAMESPACE = '6c1f2d4e-3b7a-5e8c-9d0f-a1b2c3d4e5f6';

/** The commandId of one operation of a file: the same file and row always give the same id. */
export function commandIdFor(digest: string, key: string): string {
  return uuidv5(`${digest}|${key}`, RETURN_COMMAND_NAMESPACE);
}

const FIGURES = `query ReturnFigures($code: String!, $year: String!, $from: String!, $to: String!) {
  area(code: $code) {
    code name
    partners { id name }
    actions(first: 100) { nodes { id title status milestones { id title reachedOn } } }
    funding(year: $year) {
      commitments { actionId committedPence }
      spend { actionId quarter amountPence }
      match { matchId partnerId actionId year kind amountPence description }
    }
    returns(year: $year) { quarter locked }
  }
  measurements(filter: { areaCode: $code, periodFrom: $from, periodTo: $to }, first: 100) {
    nodes { id indicatorCode periodLabel value sampleSize source evidenceUrl }
  }
  indicatorCatalogue { code name unit }
}`;

interface FiguresData {
  area: {
    code: string;
    name: string;
    partners: { id: string; name: string }[];
    actions: { nodes: CurrentFigures['actions'][number][] };
    funding: {
      commitments: { actionId: string; committedPence: number }[];
      spend: { actionId: string; quarter: string; amountPence: number }[];
      match: CurrentFigures['matchFunding'][number][];
    } | null;
    returns: { quarter: string; locked: boolean }[];
  } | null;
  measurements: { nodes: CurrentFigures['measurements'][number][] };
  indicatorCatalogue: { code: string; name: string; unit: CurrentFigures['indicatorUnits'][string] }[];
}

export class ReturnRefused extends Error {
  constructor(readonly errors: readonly OperationError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}

/** The area's figures for a quarter, as the template shows them; null for an unknown area. Refusals throw. */
export async function figuresFor(
  run: Run,
  areaCode: string,
  quarter: string,
): Promise<CurrentFigures | null> {
  const q = parseFinancialQuarter(quarter);
  if (!q) return null;
  const result = await run<FiguresData>(FIGURES, {
    code: areaCode,
    year: q.year.name,
    from: q.start,
    to: q.end,
  });
  if (result.errors.length > 0 || !result.data) throw new ReturnRefused(result.errors);
  const { area, measurements, indicatorCatalogue } = result.data;
  if (!area) return null;
  const committed: Record<string, number> = {};
  for (const c of area.funding?.commitments ?? [])
    committed[c.actionId] = (committed[c.actionId] ?? 0) + c.committedPence;
  const spend: Record<string, number> = {};
  for (const s of area.funding?.spend ?? [])
    if (s.quarter === quarter) spend[s.actionId] = (spend[s.actionId] ?? 0) + s.amountPence;
  return {
    areaCode: area.code,
    areaName: area.name,
    quarter,
    locked: area.returns.find((r) => r.quarter === quarter)?.locked ?? false,
    actions: area.actions.nodes,
    committedPence: committed,
    spendPence: spend,
    partners: area.partners,
    matchFunding: area.funding?.match ?? [],
    measurements: measurements.nodes,
    indicatorCodes: indicatorCatalogue.map((i) => i.code),
    indicatorUnits: Object.fromEntries(indicatorCatalogue.map((i) => [i.code, i.unit])),
    indicatorNames: Object.fromEntries(indicatorCatalogue.map((i) => [i.code, i.name])),
  };
}

/** An uploaded file, as the page or the endpoint received it. */
export interface UploadedFile {
  readonly fileName: string;
  readonly content: Buffer;
}

export type Checked =
  | {
      readonly ok: true;
      readonly plan: ReturnPlan;
      readonly digest: string;
      readonly figures: CurrentFigures;
    }
  | { readonly ok: false; readonly problems: readonly FileProblem[] };

/** Reads and checks an upload against the area's current figures: every problem, or what would change. */
export async function checkReturn(
  run: Run,
  areaCode: string,
  quarter: string,
  file: UploadedFile,
  digest: string,
): Promise<Checked> {
  const figures = await figuresFor(run, areaCode, quarter);
  if (!figures) return { ok: false, problems: [{ message: `Area ${areaCode} was not found` }] };
  const read = await readReturnFile(file.fileName, file.content, { areaCode, quarter });
  if (!read.ok) return read;
  const result = readReturn(read.sheets, figures, digest);
  return result.ok ? { ok: true, plan: result.plan, digest, figures } : result;
}

export interface Applied {
  /** Rows whose every change was applied by this upload. */
  readonly rowsApplied: number;
  readonly operationsRun: number;
  /** The refusal that stopped the upload part way, naming its row; undefined when every row was applied. */
  readonly stoppedAt?: { readonly sheet: string; readonly row: number; readonly message: string };
}

/**
 * Runs the plan's operations in order, each as the API's own mutation with its derived commandId, then records
 * the import (who, when, file name, digest, rows applied) when it applied anything. A refusal stops it there:
 * what ran stays applied, and the same file sent again applies the rest.
 */
export async function applyReturn(
  run: Run,
  checked: Extract<Checked, { ok: true }>,
  fileName: string,
): Promise<Applied> {
  const { plan, digest, figures } = checked;
  const rowOf = new Map(plan.rows.flatMap((r) => r.operations.map((o) => [o.key, r] as const)));
  const done = new Map<object, number>();
  let operationsRun = 0;
  let stoppedAt: Applied['stoppedAt'];
  for (const op of plan.operations) {
    const result = await run(
      `mutation Apply($input: ${op.inputType}!) { ${op.mutation}(input: $input) { __typename } }`,
      {
        input: { ...op.input, commandId: commandIdFor(digest, op.key) },
      },
    );
    const row = rowOf.get(op.key)!;
    if (result.errors.length > 0) {
      stoppedAt = { sheet: row.sheet, row: row.row, message: result.errors.map((e) => e.message).join('; ') };
      break;
    }
    operationsRun += 1;
    done.set(row, (done.get(row) ?? 0) + 1);
  }
  const rowsApplied = plan.rows.filter(
    (r) => r.operations.length > 0 && done.get(r) === r.operations.length,
  ).length;
  if (rowsApplied > 0) {
    const recorded = await run(
      `mutation Recorded($input: RecordSpreadsheetImportInput!) { recordSpreadsheetImport(input: $input) { id } }`,
      {
        input: {
          areaCode: figures.areaCode,
          quarter: figures.quarter,
          fileName: fileName.slice(0, 255) || 'return',
          digest,
          rowsApplied,
          commandId: commandIdFor(digest, `import:${operationsRun}:${plan.operations.length}`),
        },
      },
    );
    if (recorded.errors.length > 0) throw new ReturnRefused(recorded.errors);
  }
  return { rowsApplied, operationsRun, ...(stoppedAt ? { stoppedAt } : {}) };
}
