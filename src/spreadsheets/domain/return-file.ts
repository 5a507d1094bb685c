import { type Unit, checkValue } from '../../outcomes/domain/public-api.js';
import { parseFinancialQuarter } from '../../shared/periods.js';
import {
  ACTIONS_SHEET,
  type CellValue,
  DATA_SHEETS,
  type FileProblem,
  KIND_WORDS,
  MATCH_SHEET,
  MEASUREMENTS_SHEET,
  MONEY_RULE,
  SPEND_SHEET,
  STATUS_WORDS,
  type SheetData,
  type SheetDefinition,
  type SheetRow,
  columnName,
  penceOf,
  poundsOf,
  textOf,
} from './sheets.js';

/**
 * A quarterly return read from a spreadsheet: every row checked against the area's current figures, then what
 * would change (new, changed, unchanged rows) and the product's own commands that make each change. Nothing
 * here writes: the caller previews the plan, and on confirmation runs its operations through the API.
 */

/** The area's figures for one quarter, as the API answers them (the template is filled from these). */
export interface CurrentFigures {
  readonly areaCode: string;
  readonly areaName: string;
  /** `2019-20 Q3`. */
  readonly quarter: string;
  /** Whether the quarter's return is submitted or approved (changes to it are refused). */
  readonly locked: boolean;
  readonly actions: readonly {
    readonly id: string;
    readonly title: string;
    readonly status: string;
    readonly milestones: readonly {
      readonly id: string;
      readonly title: string;
      readonly reachedOn: string | null;
    }[];
  }[];
  /** Funds committed to each action in the quarter's financial year, by action id. */
  readonly committedPence: Readonly<Record<string, number>>;
  /** Spend reported for each action in the quarter, by action id. */
  readonly spendPence: Readonly<Record<string, number>>;
  readonly partners: readonly { readonly id: string; readonly name: string }[];
  /** Match funding recorded for the quarter's financial year. */
  readonly matchFunding: readonly {
    readonly matchId: string;
    readonly partnerId: string;
    readonly actionId: string | null;
    readonly year: string;
    readonly kind: string;
    readonly amountPence: number;
    readonly description: string;
  }[];
  /** Measurements whose period ends in the quarter. */
  readonly measurements: readonly {
    readonly id: string;
    readonly indicatorCode: string;
    readonly periodLabel: string;
    readonly value: number;
    readonly sampleSize: number | null;
    readonly source: string;
    readonly evidenceUrl: string | null;
  }[];
  /** Indicator codes a measurement may be recorded against (the catalogue's active ones). */
  readonly indicatorCodes: readonly string[];
  /** Each indicator's unit, whose rule a value must keep (a count not negative, a percentage 0 to 100, …). */
  readonly indicatorUnits: Readonly<Record<string, Unit>>;
  /** Each indicator's name, by which the check names it to people (its code, which the sheet holds, after it). */
  readonly indicatorNames: Readonly<Record<string, string>>;
}

/** One of the product's commands, as the API's mutation and its input (commandId added when it runs). */
export interface Operation {
  readonly mutation: string;
  readonly inputType: string;
  readonly input: Readonly<Record<string, unknown>>;
  /** Names the operation within the file (sheet, row, what): with the file's digest, its commandId. */
  readonly key: string;
}

export type RowKind = 'new' | 'changed' | 'unchanged';

export interface RowChange {
  readonly sheet: string;
  readonly row: number;
  readonly kind: RowKind;
  /** What the row is about, e.g. the action's title. */
  readonly label: string;
  /** What changes, in words ("Status: Planned → In progress"). */
  readonly changes: readonly string[];
  readonly operations: readonly Operation[];
}

export interface ReturnPlan {
  readonly rows: readonly RowChange[];
  /** Every operation, in the order they must run. */
  readonly operations: readonly Operation[];
  readonly counts: Readonly<Record<RowKind, number>>;
}

export type ReadResult =
  | { readonly ok: true; readonly plan: ReturnPlan }
  | { readonly ok: false; readonly problems: readonly FileProblem[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The reason given with corrections a return makes (the same for the same file, so commands repeat exactly). */
export function correctionReason(digest: string): string {
  return `Corrected by a spreadsheet return (file ${digest.slice(0, 12)})`;
}

/** Reads every data sheet's rows against the current figures: every problem, or the plan. */
export function readReturn(
  sheets: readonly SheetData[],
  figures: CurrentFigures,
  digest: string,
): ReadResult {
  const problems: FileProblem[] = [];
  if (figures.locked)
    problems.push({
      message: `${figures.quarter} is locked for ${figures.areaName}: its return has been submitted. Ask the central team to send it back before uploading changes.`,
    });
  const byName = new Map(sheets.map((s) => [s.name, s]));
  const reader = new RowReader(figures, digest, problems);
  const rows: RowChange[] = [];
  for (const def of DATA_SHEETS) {
    const sheet = byName.get(def.name);
    if (!sheet) continue; // the file readers report a missing sheet
    for (const row of sheet.rows) {
      const change = reader.read(def, row);
      if (change) rows.push(change);
    }
  }
  rows.push(...reader.finish());
  if (problems.length > 0) return { ok: false, problems };
  // Commands run sheet by sheet in order, and within the spend sheet every commitment before any spend.
  const operations = [...rows.flatMap((r) => r.operations)].sort(
    (a, b) => phaseOf(a.mutation) - phaseOf(b.mutation),
  );
  const counts = { new: 0, changed: 0, unchanged: 0 };
  for (const r of rows) counts[r.kind] += 1;
  return { ok: true, plan: { rows, operations, counts } };
}

const PHASES = [
  ['startAction', 'resumeAction', 'reviseAction', 'reachMilestone'],
  ['pauseAction', 'completeAction', 'cancelAction'],
  ['commitFunds'],
  ['reportSpend', 'correctSpend'],
  ['recordMatchFunding'],
  ['recordMeasurement', 'correctMeasurement'],
];

function phaseOf(mutation: string): number {
  return PHASES.findIndex((p) => p.includes(mutation));
}

type Cells = Readonly<Record<string, CellValue>>;

/** Reads rows one by one, collecting problems; remembers what rows refer to, to find duplicates. */
class RowReader {
  private readonly actions: Map<string, CurrentFigures['actions'][number]>;
  private readonly seen = new Map<string, number>();
  /** Existing records a row without an id matched (each may be matched once). */
  private readonly matched = new Set<string>();
  private readonly pendingNew: {
    def: SheetDefinition;
    row: SheetRow;
    change: () => RowChange | undefined;
  }[] = [];

  constructor(
    private readonly figures: CurrentFigures,
    private readonly digest: string,
    private readonly problems: FileProblem[],
  ) {
    this.actions = new Map(figures.actions.map((a) => [a.id, a]));
  }

  read(def: SheetDefinition, row: SheetRow): RowChange | undefined {
    const cells = row.cells;
    if (def.columns.every((c) => textOf(cells[c.key] ?? null) === '')) return undefined; // a blank row
    const before = this.problems.length;
    const area = textOf(cells.area ?? null);
    if (area !== this.figures.areaCode)
      this.problem(
        def,
        row,
        'area',
        area === ''
          ? `must be ${this.figures.areaCode} (${this.figures.areaName})`
          : `is ${area}: this file may hold only ${this.figures.areaName}'s (${this.figures.areaCode}) rows`,
      );
    if (this.problems.length > before) return undefined;
    switch (def) {
      case ACTIONS_SHEET:
        return this.action(row, cells);
      case SPEND_SHEET:
        return this.spend(row, cells);
      case MATCH_SHEET:
        return this.deferNew(def, row, () => this.match(row, cells));
      default:
        return this.deferNew(def, row, () => this.measurement(row, cells));
    }
  }

  /** Rows that refer to records by id first, so that rows without one match only records no id names. */
  finish(): RowChange[] {
    return this.pendingNew.map((p) => p.change()).filter((c): c is RowChange => c !== undefined);
  }

  private deferNew(
    def: SheetDefinition,
    row: SheetRow,
    read: () => RowChange | undefined,
  ): RowChange | undefined {
    if (textOf(row.cells.id ?? null) === '') {
      this.pendingNew.push({ def, row, change: read });
      return undefined;
    }
    return read();
  }

  private problem(def: SheetDefinition, row: SheetRow, key: string, message: string): void {
    this.problems.push({ sheet: def.name, row: row.row, column: columnName(def, key), message });
  }

  private once(def: SheetDefinition, row: SheetRow, key: string, identity: string, what: string): boolean {
    const earlier = this.seen.get(`${def.name}|${identity}`);
    if (earlier !== undefined) {
      this.problem(def, row, key, `${what} is already in row ${earlier}: give each one row only`);
      return false;
    }
    this.seen.set(`${def.name}|${identity}`, row.row);
    return true;
  }

  /** The area's action a cell names, or a problem. */
  /**
   * A value against its indicator's unit, by the outcomes context's own rule: found here, the file changes
   * nothing; found only when its row is applied, the rows before it would already be recorded.
   */
  private checkUnit(def: SheetDefinition, row: SheetRow, unit: Unit | undefined, value: number) {
    if (!unit) return;
    try {
      checkValue(unit, value);
    } catch (err) {
      const problem = (err as { problems?: readonly { message: string }[] }).problems?.[0];
      if (!problem) throw err;
      this.problem(def, row, 'value', problem.message);
    }
  }

  private actionIn(def: SheetDefinition, row: SheetRow, key: string, value: string) {
    const action = this.actions.get(value.toLowerCase());
    if (action) return action;
    this.problem(
      def,
      row,
      key,
      value === ''
        ? "must be the id of one of the area's actions"
        : UUID.test(value)
          ? `is not one of ${this.figures.areaName}'s actions (another area's action, or none)`
          : "must be the id of one of the area's actions, as the template gives it",
    );
    return undefined;
  }

  private key(def: SheetDefinition, row: SheetRow, what: string): string {
    return `${def.slug}:${row.row}:${what}`;
  }

  // ---------------------------------------------------------------------------------------------- actions

  private action(row: SheetRow, cells: Cells): RowChange | undefined {
    const def = ACTIONS_SHEET;
    const id = textOf(cells.id ?? null);
    if (id === '') {
      this.problem(
        def,
        row,
        'id',
        "must be an action's id: plan new actions on the area's page, then download the template again",
      );
      return undefined;
    }
    const action = this.actionIn(def, row, 'id', id);
    if (!action || !this.once(def, row, 'id', action.id, 'This action')) return undefined;
    const before = this.problems.length;
    const title = textOf(cells.title ?? null);
    if (title === '') this.problem(def, row, 'title', 'must not be blank');
    else if (title.length > 200) this.problem(def, row, 'title', 'must be at most 200 characters');
    const statusText = textOf(cells.status ?? null);
    const status = Object.keys(STATUS_WORDS).find(
      (s) => STATUS_WORDS[s].toLowerCase() === statusText.toLowerCase() || s === statusText.toUpperCase(),
    );
    if (!status) this.problem(def, row, 'status', `must be one of ${Object.values(STATUS_WORDS).join(', ')}`);
    const milestoneText = textOf(cells.milestone ?? null);
    const milestone =
      milestoneText === ''
        ? undefined
        : action.milestones.find((m) => m.title.toLowerCase() === milestoneText.toLowerCase());
    if (milestoneText !== '' && !milestone)
      this.problem(
        def,
        row,
        'milestone',
        action.milestones.length === 0
          ? 'must be blank: the action has no milestones'
          : `must be one of the action's milestones: ${action.milestones.map((m) => m.title).join('; ')}`,
      );
    const note = textOf(cells.note ?? null);
    if (note.length > 2000) this.problem(def, row, 'note', 'must be at most 2000 characters');
    if (this.problems.length > before || !status) return undefined;

    const ops: Operation[] = [];
    const changes: string[] = [];
    const terminal = action.status === 'COMPLETED' || action.status === 'CANCELLED';
    const reaching = milestone && milestone.reachedOn === null ? milestone : undefined;
    const changing = title !== action.title || status !== action.status || reaching !== undefined;
    if (changing && terminal) {
      this.problem(
        def,
        row,
        status !== action.status ? 'status' : title !== action.title ? 'title' : 'milestone',
        `cannot change: the action is ${STATUS_WORDS[action.status].toLowerCase()}`,
      );
      return undefined;
    }
    const op = (mutation: string, inputType: string, input: Record<string, unknown>) =>
      ops.push({
        mutation,
        inputType,
        input: { actionId: action.id, ...input },
        key: this.key(def, row, mutation),
      });
    if (status !== action.status) {
      changes.push(`Status: ${STATUS_WORDS[action.status]} → ${STATUS_WORDS[status]}`);
      const from = action.status;
      const needNote = (what: string) => {
        if (note === '') this.problem(def, row, 'note', `must say ${what}`);
      };
      if (status === 'IN_PROGRESS' && from === 'PLANNED') op('startAction', 'StartActionInput', {});
      else if (status === 'IN_PROGRESS' && from === 'PAUSED') op('resumeAction', 'ResumeActionInput', {});
      else if (status === 'PAUSED' && from === 'IN_PROGRESS') {
        needNote('why the action is paused');
        op('pauseAction', 'PauseActionInput', { reason: note });
      } else if (status === 'COMPLETED' && from === 'IN_PROGRESS') {
        needNote('what the action achieved');
        op('completeAction', 'CompleteActionInput', { summary: note });
      } else if (status === 'CANCELLED') {
        needNote('why the action is cancelled');
        op('cancelAction', 'CancelActionInput', { reason: note });
      } else
        this.problem(
          def,
          row,
          'status',
          `cannot go from ${STATUS_WORDS[from]} to ${STATUS_WORDS[status]}` +
            (status === 'COMPLETED' ? ': only an action in progress can be completed' : ''),
        );
    }
    if (title !== action.title) {
      changes.push(`Title: “${action.title}” → “${title}”`);
      op('reviseAction', 'ReviseActionInput', { title, reason: note || correctionReason(this.digest) });
    }
    if (reaching) {
      const inProgressThen =
        status === 'IN_PROGRESS' || (action.status === 'IN_PROGRESS' && status !== 'PLANNED');
      if (!inProgressThen)
        this.problem(def, row, 'milestone', 'can be reached only while the action is in progress');
      changes.push(`Milestone reached: ${reaching.title}`);
      op('reachMilestone', 'ReachMilestoneInput', { milestoneId: reaching.id });
    }
    if (this.problems.length > before) return undefined;
    return {
      sheet: def.name,
      row: row.row,
      kind: ops.length ? 'changed' : 'unchanged',
      label: title,
      changes,
      operations: ops,
    };
  }

  // ------------------------------------------------------------------------------------------------ spend

  private spend(row: SheetRow, cells: Cells): RowChange | undefined {
    const def = SPEND_SHEET;
    const action = this.actionIn(def, row, 'actionId', textOf(cells.actionId ?? null));
    if (!action || !this.once(def, row, 'actionId', action.id, 'This action')) return undefined;
    const before = this.problems.length;
    const quarter = textOf(cells.quarter ?? null);
    if (quarter !== this.figures.quarter)
      this.problem(def, row, 'quarter', `must be ${this.figures.quarter}, the quarter this return is for`);
    const committed = penceOf(cells.committed ?? null);
    const spend = penceOf(cells.spend ?? null);
    if (committed === undefined || (committed ?? 0) < 0) this.problem(def, row, 'committed', MONEY_RULE);
    if (spend === undefined || (spend ?? 0) < 0) this.problem(def, row, 'spend', MONEY_RULE);
    if (this.problems.length > before) return undefined;
    const year = parseFinancialQuarter(this.figures.quarter)!.year.name;
    const nowCommitted = this.figures.committedPence[action.id] ?? 0;
    const wantCommitted = committed ?? 0;
    const nowSpend = this.figures.spendPence[action.id];
    const wantSpend = spend ?? 0;
    const ops: Operation[] = [];
    const changes: string[] = [];
    if (wantCommitted < nowCommitted)
      this.problem(
        def,
        row,
        'committed',
        `cannot be less than the ${pounds(nowCommitted)} already committed in ${year}: a commitment is never reduced in a return`,
      );
    else if (wantCommitted > nowCommitted) {
      changes.push(`Committed in ${year}: ${pounds(nowCommitted)} → ${pounds(wantCommitted)}`);
      ops.push({
        mutation: 'commitFunds',
        inputType: 'CommitFundsInput',
        input: {
          areaCode: this.figures.areaCode,
          actionId: action.id,
          year,
          amountPence: wantCommitted - nowCommitted,
        },
        key: this.key(def, row, 'commitFunds'),
      });
    }
    if (wantSpend > 0 && wantCommitted === 0)
      this.problem(
        def,
        row,
        'spend',
        `needs funds committed to the action in ${year} (column ${columnName(def, 'committed')})`,
      );
    if (nowSpend === undefined && wantSpend > 0) {
      changes.push(`Spend in ${this.figures.quarter}: ${pounds(wantSpend)}`);
      ops.push({
        mutation: 'reportSpend',
        inputType: 'ReportSpendInput',
        input: {
          areaCode: this.figures.areaCode,
          actionId: action.id,
          quarter: this.figures.quarter,
          amountPence: wantSpend,
        },
        key: this.key(def, row, 'reportSpend'),
      });
    } else if (nowSpend !== undefined && wantSpend !== nowSpend) {
      changes.push(`Spend in ${this.figures.quarter}: ${pounds(nowSpend)} → ${pounds(wantSpend)}`);
      ops.push({
        mutation: 'correctSpend',
        inputType: 'CorrectSpendInput',
        input: {
          areaCode: this.figures.areaCode,
          actionId: action.id,
          quarter: this.figures.quarter,
          amountPence: wantSpend,
          reason: correctionReason(this.digest),
        },
        key: this.key(def, row, 'correctSpend'),
      });
    }
    if (this.problems.length > before) return undefined;
    const isNew = nowCommitted === 0 && nowSpend === undefined && ops.length > 0;
    return {
      sheet: def.name,
      row: row.row,
      kind: isNew ? 'new' : ops.length ? 'changed' : 'unchanged',
      label: action.title,
      changes,
      operations: ops,
    };
  }

  // ---------------------------------------------------------------------------------------- match funding

  private match(row: SheetRow, cells: Cells): RowChange | undefined {
    const def = MATCH_SHEET;
    const before = this.problems.length;
    const id = textOf(cells.id ?? null);
    const partnerText = textOf(cells.partner ?? null);
    const partner = this.figures.partners.find((p) => p.name.toLowerCase() === partnerText.toLowerCase());
    if (!partner)
      this.problem(
        def,
        row,
        'partner',
        partnerText === ''
          ? "must name one of the area's partners"
          : `is not one of ${this.figures.areaName}'s partners`,
      );
    const actionText = textOf(cells.actionId ?? null);
    const action = actionText === '' ? null : this.actionIn(def, row, 'actionId', actionText);
    const year = parseFinancialQuarter(this.figures.quarter)!.year.name;
    if (textOf(cells.year ?? null) !== year)
      this.problem(def, row, 'year', `must be ${year}, the year of ${this.figures.quarter}`);
    const kindText = textOf(cells.kind ?? null);
    const kind = Object.keys(KIND_WORDS).find(
      (k) => KIND_WORDS[k].toLowerCase() === kindText.toLowerCase() || k === kindText.toUpperCase(),
    );
    if (!kind) this.problem(def, row, 'kind', `must be ${Object.values(KIND_WORDS).join(' or ')}`);
    const amount = penceOf(cells.amount ?? null);
    if (amount === undefined || amount === null || amount <= 0)
      this.problem(def, row, 'amount', `must be more than £0: it ${MONEY_RULE}`);
    const description = textOf(cells.description ?? null);
    if (description === '')
      this.problem(def, row, 'description', 'must say what the partner is contributing');
    else if (description.length > 2000)
      this.problem(def, row, 'description', 'must be at most 2000 characters');
    if (this.problems.length > before || !partner || !kind || !amount) return undefined;
    const same = (m: CurrentFigures['matchFunding'][number]) =>
      m.partnerId === partner.id &&
      (m.actionId ?? null) === (action?.id ?? null) &&
      m.kind === kind &&
      m.amountPence === amount &&
      m.description === description;
    const label = `${partner.name}: ${description}`;
    if (id !== '') {
      const existing = this.figures.matchFunding.find((m) => m.matchId.toLowerCase() === id.toLowerCase());
      if (!existing) {
        this.problem(def, row, 'id', `is not match funding recorded for ${this.figures.areaName} in ${year}`);
        return undefined;
      }
      if (!this.once(def, row, 'id', existing.matchId, 'This match funding')) return undefined;
      this.matched.add(existing.matchId);
      if (!same(existing)) {
        this.problem(
          def,
          row,
          'id',
          'names match funding already recorded, which a return cannot change: leave its row as it is, or clear the id to record new match funding',
        );
        return undefined;
      }
      return { sheet: def.name, row: row.row, kind: 'unchanged', label, changes: [], operations: [] };
    }
    const existing = this.figures.matchFunding.find((m) => !this.matched.has(m.matchId) && same(m));
    if (existing) {
      this.matched.add(existing.matchId);
      return { sheet: def.name, row: row.row, kind: 'unchanged', label, changes: [], operations: [] };
    }
    return {
      sheet: def.name,
      row: row.row,
      kind: 'new',
      label,
      changes: [`${KIND_WORDS[kind]} ${pounds(amount)} from ${partner.name}`],
      operations: [
        {
          mutation: 'recordMatchFunding',
          inputType: 'RecordMatchFundingInput',
          input: {
            areaCode: this.figures.areaCode,
            partnerId: partner.id,
            actionId: action?.id ?? null,
            year,
            kind,
            amountPence: amount,
            description,
          },
          key: this.key(def, row, 'recordMatchFunding'),
        },
      ],
    };
  }

  // ----------------------------------------------------------------------------------------- measurements

  /** An indicator as people read it: its name, its code (which the sheet holds) in brackets. */
  private indicatorInWords(code: string): string {
    const name = this.figures.indicatorNames[code];
    return name ? `${name} (${code})` : code;
  }

  private measurement(row: SheetRow, cells: Cells): RowChange | undefined {
    const def = MEASUREMENTS_SHEET;
    const before = this.problems.length;
    const id = textOf(cells.id ?? null);
    const indicator = textOf(cells.indicator ?? null);
    if (!this.figures.indicatorCodes.includes(indicator))
      this.problem(
        def,
        row,
        'indicator',
        indicator === ''
          ? 'must be an indicator code from the catalogue'
          : `is not an indicator in the catalogue: choose one from the list`,
      );
    const period = textOf(cells.period ?? null);
    const rawValue = cells.value ?? null;
    const value =
      typeof rawValue === 'number'
        ? rawValue
        : textOf(rawValue) === ''
          ? NaN
          : Number(textOf(rawValue).replace(/,/g, ''));
    if (!Number.isFinite(value)) this.problem(def, row, 'value', 'must be a number');
    else this.checkUnit(def, row, this.figures.indicatorUnits[indicator], value);
    const sampleText = textOf(cells.sampleSize ?? null);
    const sampleSize = sampleText === '' ? null : Number(sampleText);
    if (sampleSize !== null && (!Number.isInteger(sampleSize) || sampleSize < 1 || sampleSize > 2147483647))
      this.problem(def, row, 'sampleSize', 'must be blank or a whole number of at least 1');
    const source = textOf(cells.source ?? null);
    if (source === '') this.problem(def, row, 'source', 'must say where the figure comes from');
    else if (source.length > 500) this.problem(def, row, 'source', 'must be at most 500 characters');
    const evidence = textOf(cells.evidence ?? null);
    if (evidence !== '' && (!/^https?:\/\/\S+$/i.test(evidence) || evidence.length > 2000))
      this.problem(def, row, 'evidence', 'must be blank or a link starting http:// or https://');
    const named = this.indicatorInWords(indicator);
    const label = `${named}, ${period}`;
    if (id !== '') {
      const existing = this.figures.measurements.find((m) => m.id.toLowerCase() === id.toLowerCase());
      if (!existing) {
        this.problem(
          def,
          row,
          'id',
          `is not a measurement ${this.figures.areaName} recorded for ${this.figures.quarter}`,
        );
        return undefined;
      }
      if (!this.once(def, row, 'id', existing.id, 'This measurement')) return undefined;
      this.matched.add(existing.id);
      if (this.problems.length > before) return undefined;
      const fixed: [string, string, string][] = [
        ['indicator', existing.indicatorCode, indicator],
        ['period', existing.periodLabel, period],
        ['source', existing.source, source],
        ['evidence', existing.evidenceUrl ?? '', evidence],
      ];
      for (const [key, was, now] of fixed)
        if (was !== now)
          this.problem(
            def,
            row,
            key,
            `cannot change on a recorded measurement (it is “${was}”): only Value and Sample size can be corrected`,
          );
      if (this.problems.length > before) return undefined;
      const changes: string[] = [];
      if (value !== existing.value) changes.push(`Value: ${existing.value} → ${value}`);
      if (sampleSize !== existing.sampleSize && sampleSize !== null)
        changes.push(`Sample size: ${existing.sampleSize ?? 'none'} → ${sampleSize}`);
      if (sampleSize === null && existing.sampleSize !== null)
        this.problem(
          def,
          row,
          'sampleSize',
          `cannot be cleared on a recorded measurement (it is ${existing.sampleSize})`,
        );
      if (this.problems.length > before) return undefined;
      return {
        sheet: def.name,
        row: row.row,
        kind: changes.length ? 'changed' : 'unchanged',
        label,
        changes,
        operations: changes.length
          ? [
              {
                mutation: 'correctMeasurement',
                inputType: 'CorrectMeasurementInput',
                input: {
                  areaCode: this.figures.areaCode,
                  measurementId: existing.id,
                  value,
                  ...(sampleSize !== null ? { sampleSize } : {}),
                  reason: correctionReason(this.digest),
                },
                key: this.key(def, row, 'correctMeasurement'),
              },
            ]
          : [],
      };
    }
    const quarter = parseFinancialQuarter(this.figures.quarter)!;
    if (period !== quarter.name)
      this.problem(
        def,
        row,
        'period',
        `must be ${quarter.name}: a new measurement is for the return's quarter`,
      );
    if (this.problems.length > before) return undefined;
    const existing = this.figures.measurements.find(
      (m) =>
        !this.matched.has(m.id) &&
        m.indicatorCode === indicator &&
        m.periodLabel === period &&
        m.value === value &&
        m.sampleSize === sampleSize &&
        m.source === source &&
        (m.evidenceUrl ?? '') === evidence,
    );
    if (existing) {
      this.matched.add(existing.id);
      return { sheet: def.name, row: row.row, kind: 'unchanged', label, changes: [], operations: [] };
    }
    const recorded = this.figures.measurements.find(
      (m) => m.indicatorCode === indicator && m.periodLabel === period,
    );
    if (recorded) {
      this.problem(
        def,
        row,
        'indicator',
        `already has a measurement for ${period} (id ${recorded.id}): correct the value in that measurement's row instead of adding one`,
      );
      return undefined;
    }
    if (
      !this.once(
        def,
        row,
        'indicator',
        `new|${indicator}|${period}`,
        `A new measurement of ${named} for ${period}`,
      )
    )
      return undefined;
    return {
      sheet: def.name,
      row: row.row,
      kind: 'new',
      label,
      changes: [`Value: ${value}${sampleSize === null ? '' : `, sample size ${sampleSize}`}`],
      operations: [
        {
          mutation: 'recordMeasurement',
          inputType: 'RecordMeasurementInput',
          input: {
            areaCode: this.figures.areaCode,
            indicatorCode: indicator,
            periodLabel: period,
            periodStart: quarter.start,
            periodEnd: quarter.end,
            value,
            ...(sampleSize !== null ? { sampleSize } : {}),
            source,
            ...(evidence !== '' ? { evidenceUrl: evidence } : {}),
          },
          key: this.key(def, row, 'recordMeasurement'),
        },
      ],
    };
  }
}

const POUNDS = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });

function pounds(pence: number): string {
  return POUNDS.format(pence / 100);
}

/** The rows of each data sheet, filled with the current figures (the template). Money in pounds (pence / 100). */
export function templateRows(figures: CurrentFigures): ReadonlyMap<SheetDefinition, CellValue[][]> {
  const year = parseFinancialQuarter(figures.quarter)!.year.name;
  const partnerName = new Map(figures.partners.map((p) => [p.id, p.name]));
  const lastReached = (a: CurrentFigures['actions'][number]) =>
    [...a.milestones]
      .filter((m) => m.reachedOn !== null)
      .sort((x, y) => x.reachedOn!.localeCompare(y.reachedOn!))
      .at(-1)?.title ?? null;
  return new Map<SheetDefinition, CellValue[][]>([
    [
      ACTIONS_SHEET,
      figures.actions.map((a) => [
        figures.areaCode,
        a.id,
        a.title,
        STATUS_WORDS[a.status] ?? a.status,
        lastReached(a),
        null,
      ]),
    ],
    [
      SPEND_SHEET,
      figures.actions.map((a) => [
        figures.areaCode,
        a.id,
        a.title,
        figures.quarter,
        poundsOf(figures.committedPence[a.id] ?? 0),
        figures.spendPence[a.id] === undefined ? null : poundsOf(figures.spendPence[a.id]),
      ]),
    ],
    [
      MATCH_SHEET,
      figures.matchFunding.map((m) => [
        figures.areaCode,
        m.matchId,
        partnerName.get(m.partnerId) ?? m.partnerId,
        m.actionId,
        year,
        KIND_WORDS[m.kind] ?? m.kind,
        poundsOf(m.amountPence),
        m.description,
      ]),
    ],
    [
      MEASUREMENTS_SHEET,
      figures.measurements.map((m) => [
        figures.areaCode,
        m.id,
        m.indicatorCode,
        m.periodLabel,
        m.value,
        m.sampleSize,
        m.source,
        m.evidenceUrl,
      ]),
    ],
  ]);
}
