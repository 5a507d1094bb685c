import { idFromCommand } from '@iap/event-store';
import { type AreaCommand, areaStream } from '../areas/public-api.js';
import {
  type ChooseComparatorsRequest,
  DEFAULT_NEIGHBOURS,
  comparatorsStream,
} from '../comparators/public-api.js';
import { type ActionRequest, actionStream } from '../delivery/public-api.js';
import { type FundingRequest, fundingStreamId } from '../funding/public-api.js';
import { type LearningRequest, learningStream } from '../learning/public-api.js';
import {
  INDICATOR_CATALOGUE_STREAM,
  type IndicatorRequest,
  type OutcomeRequest,
  type ReturnRequest,
  outcomesStream,
  returnStream,
} from '../outcomes/public-api.js';
import { financialQuarterOf, financialYearOf, parseFinancialQuarter } from '../shared/periods.js';
import {
  CENTRAL,
  DEMO_COUNCILS,
  DEMO_INDICATORS,
  DEMO_PILOTS,
  type DemoAction,
  type DemoActor,
  type DemoCouncil,
  type DemoPilot,
  ILLUSTRATIVE,
  ILLUSTRATIVE_RECORD,
  QUARTERS,
  WAVES,
  type WaveKey,
  YEARS,
} from './demo-data.js';
import { DEMO_LEARNING, type DemoLearningItem } from './demo-learning.js';

/**
 * Turns the demo data into the ordered list of commands that load it, each with its actor, a readable key
 * (its commandId is derived from the key, so a re-run applies nothing twice) and the seeded item it belongs to
 * (its correlation id). Pure: the seeder sends each command through the real command bus.
 *
 * The order is the programme's calendar: areas, partners and the indicator catalogue first, baselines and
 * targets, then quarter by quarter for every pilot (allocations, plans, commitments, status changes, spend,
 * measurements, then the quarter's return and its review), the learning library, and finally the comparators
 * (the illustrative sample of public values, then each pilot's nearest neighbours in it). A `sync` step
 * before each return lets the read models catch up, because a return's snapshot is read from them.
 */

export type DemoCommand =
  | { readonly context: 'area'; readonly command: AreaCommand }
  | { readonly context: 'indicator'; readonly request: IndicatorRequest }
  | { readonly context: 'action'; readonly request: ActionRequest }
  | { readonly context: 'funding'; readonly request: FundingRequest }
  | { readonly context: 'outcomes'; readonly request: OutcomeRequest }
  | { readonly context: 'return'; readonly request: ReturnRequest }
  | { readonly context: 'learning'; readonly request: LearningRequest }
  /** A file of public indicator values, by its path from the project's root (the seeder reads it). */
  | { readonly context: 'public-values'; readonly file: string }
  | { readonly context: 'comparators'; readonly request: ChooseComparatorsRequest };

export interface DemoCommandStep {
  readonly kind: 'command';
  /** Unique and readable, e.g. `E06000008/action/youth-ambassadors/start`; the commandId is derived from it. */
  readonly key: string;
  /** The seeded item (its correlation id), e.g. `demo:action:E06000008:youth-ambassadors`. */
  readonly item: string;
  readonly actor: DemoActor;
  readonly command: DemoCommand;
}

export interface DemoSyncStep {
  readonly kind: 'sync';
  readonly key: string;
}

export type DemoStep = DemoCommandStep | DemoSyncStep;

/** The type of a demo command (`RegisterArea`, `PlanAction`, …, `ImportPublicValues`, `ChooseComparators`). */
export function commandType(command: DemoCommand): string {
  switch (command.context) {
    case 'area':
      return command.command.type;
    case 'public-values':
      return 'ImportPublicValues';
    case 'comparators':
      return 'ChooseComparators';
    default:
      return command.request.type;
  }
}

/** The demo's idempotency key for a step. */
export function demoCommandId(key: string): string {
  return idFromCommand(key, 'demo-seed-v1');
}

/** Deterministic ids of what the demo creates. */
export const demoIds = {
  partner: (area: string, key: string) => idFromCommand(`${area}/${key}`, 'demo-partner'),
  action: (area: string, key: string) => idFromCommand(`${area}/${key}`, 'demo-action'),
  milestone: (area: string, action: string, key: string) =>
    idFromCommand(`${area}/${action}/${key}`, 'demo-milestone'),
  match: (area: string, key: string) => idFromCommand(`${area}/${key}`, 'demo-match'),
  measurement: (area: string, indicator: string, period: string) =>
    idFromCommand(`${area}/${indicator}/${period}`, 'demo-measurement'),
  learning: (key: string) => idFromCommand(key, 'demo-learning'),
};

export function pence(pounds: number): number {
  return Math.round(pounds * 100);
}

export function pilotActor(pilot: Pick<DemoPilot, 'code' | 'team'>): DemoActor {
  return { subject: `demo-${pilot.code}`, name: pilot.team, role: 'PILOT', area: pilot.code };
}

export function councilActor(council: DemoCouncil): DemoActor {
  return { subject: `demo-${council.code}`, name: council.team, role: 'COUNCIL', area: council.code };
}

/**
 * The stream a demo command lands on (to check whether its commandId has already been applied). A file of public
 * values lands on a stream named by its digest: the seeder, which reads the file, names it.
 */
export function streamOf(command: Exclude<DemoCommand, { context: 'public-values' }>): string {
  switch (command.context) {
    case 'area':
      return areaStream(
        command.command.type === 'RegisterArea' ? command.command.code : command.command.areaCode,
      );
    case 'indicator':
      return INDICATOR_CATALOGUE_STREAM;
    case 'action':
      return actionStream(command.request.actionId);
    case 'funding':
      return fundingStreamId(command.request.areaCode);
    case 'outcomes':
      return outcomesStream(command.request.areaCode);
    case 'return':
      return returnStream(command.request.areaCode);
    case 'learning':
      return learningStream(command.request.itemId);
    case 'comparators':
      return comparatorsStream(command.request.pilotCode);
  }
}

function itemId(...parts: string[]): string {
  return `demo:${parts.join(':')}`.replace(/[^A-Za-z0-9._:-]/g, '-');
}

function yearOfQuarter(quarter: string): string {
  return quarter.slice(0, 7);
}

function quarterNumber(quarter: string): number {
  return Number(quarter.slice(-1));
}

function quarterOf(date: string): string {
  return financialQuarterOf(date).name;
}

/** The quarter in which funds are committed to an action for a year: Q1, or the quarter it is planned in. */
export function commitQuarter(action: DemoAction, year: string): string {
  const first = `${year} Q1`;
  return action.plannedIn > first ? action.plannedIn : first;
}

/** A dated event of an action (a status change or a milestone reached). */
type Dated =
  | {
      readonly on: string;
      readonly action: DemoAction;
      readonly transition: DemoAction['transitions'][number];
    }
  | {
      readonly on: string;
      readonly action: DemoAction;
      readonly milestone: { key: string; note: string };
    };

function datedEvents(pilot: DemoPilot): Dated[] {
  const all: Dated[] = [];
  for (const action of pilot.actions) {
    for (const transition of action.transitions) all.push({ on: transition.on, action, transition });
    for (const m of action.milestones) {
      if (m.reached) all.push({ on: m.reached.on, action, milestone: { key: m.key, note: m.reached.note } });
    }
  }
  // By date; the sort is stable, so a status change and a milestone on the same day keep the declared order.
  return all.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
}

class PlanBuilder {
  readonly steps: DemoStep[] = [];
  private syncs = 0;

  command(key: string, item: string, actor: DemoActor, command: DemoCommand): void {
    this.steps.push({ kind: 'command', key, item, actor, command });
  }

  sync(): void {
    this.steps.push({ kind: 'sync', key: `sync/${++this.syncs}` });
  }
}

function registerAreas(b: PlanBuilder): void {
  for (const p of DEMO_PILOTS) {
    b.command(`${p.code}/area/register`, itemId('area', p.code), CENTRAL, {
      context: 'area',
      command: { type: 'RegisterArea', code: p.code, name: p.name, kind: 'PILOT', region: p.region },
    });
  }
  for (const c of DEMO_COUNCILS) {
    b.command(`${c.code}/area/register`, itemId('area', c.code), CENTRAL, {
      context: 'area',
      command: { type: 'RegisterArea', code: c.code, name: c.name, kind: 'NON_PILOT', region: c.region },
    });
  }
  for (const p of DEMO_PILOTS) {
    for (const partner of p.partners) {
      b.command(`${p.code}/area/partner/${partner.key}`, itemId('area', p.code), pilotActor(p), {
        context: 'area',
        command: {
          type: 'RegisterPartner',
          areaCode: p.code,
          partnerId: demoIds.partner(p.code, partner.key),
          name: partner.name,
          sector: partner.sector,
        },
      });
    }
  }
}

function defineIndicators(b: PlanBuilder): void {
  for (const i of DEMO_INDICATORS) {
    b.command(`indicator/${i.code}`, itemId('indicator', i.code), CENTRAL, {
      context: 'indicator',
      request: { type: 'DefineIndicator', ...i },
    });
  }
}

function baselinesAndTargets(b: PlanBuilder, p: DemoPilot): void {
  const actor = pilotActor(p);
  for (const o of p.outcomes) {
    const item = itemId('outcomes', p.code, o.indicator);
    b.command(`${p.code}/outcomes/${o.indicator}/baseline`, item, actor, {
      context: 'outcomes',
      request: { type: 'SetBaseline', areaCode: p.code, indicatorCode: o.indicator, ...o.baseline },
    });
    for (const t of o.targets) {
      b.command(`${p.code}/outcomes/${o.indicator}/target/${t.date}`, item, actor, {
        context: 'outcomes',
        request: {
          type: 'SetTarget',
          areaCode: p.code,
          indicatorCode: o.indicator,
          value: t.value,
          date: t.date,
        },
      });
    }
  }
}

/** Everything a pilot does in one quarter, ending with the quarter's return and its review. */
function pilotQuarter(b: PlanBuilder, p: DemoPilot, quarter: string, index: number): void {
  const actor = pilotActor(p);
  const year = yearOfQuarter(quarter);
  const q = quarterNumber(quarter);
  const fundingItem = itemId('funding', p.code, year);
  const actionItem = (a: DemoAction) => itemId('action', p.code, a.key);
  const actionId = (a: DemoAction) => demoIds.action(p.code, a.key);

  // The central team allocates the year's grant (and approves any overspend) before the area commits it.
  if (q === 1) {
    for (const a of p.allocations.filter((x) => x.year === year)) {
      b.command(`${p.code}/funding/${year}/allocate/${a.stream}`, fundingItem, CENTRAL, {
        context: 'funding',
        request: {
          type: 'AllocateGrant',
          areaCode: p.code,
          year,
          fundingStream: a.stream,
          amountPence: pence(a.amount),
          note: a.note,
          awardedOn: a.awardedOn,
        },
      });
    }
  }
  for (const c of p.fundingChanges) {
    if (c.type === 'overspend' && c.quarter === quarter) {
      b.command(`${p.code}/funding/${c.year}/overspend/${quarter}`, fundingItem, CENTRAL, {
        context: 'funding',
        request: {
          type: 'ApproveOverspend',
          areaCode: p.code,
          year: c.year,
          amountPence: pence(c.amount),
          reason: c.reason,
        },
      });
    }
  }

  // New actions in the plan, and revisions of existing ones.
  for (const a of p.actions.filter((x) => x.plannedIn === quarter)) {
    b.command(`${p.code}/action/${a.key}/plan`, actionItem(a), actor, {
      context: 'action',
      request: {
        type: 'PlanAction',
        actionId: actionId(a),
        areaCode: p.code,
        title: a.title,
        description: `${a.description} ${ILLUSTRATIVE_RECORD}`,
        themes: a.themes,
        leadPartnerId: demoIds.partner(p.code, a.lead),
        partnerIds: a.partners.map((k) => demoIds.partner(p.code, k)),
        plannedStart: a.plannedStart,
        plannedEnd: a.plannedEnd,
        milestones: a.milestones.map((m) => ({
          milestoneId: demoIds.milestone(p.code, a.key, m.key),
          title: m.title,
          dueDate: m.due,
        })),
      },
    });
  }
  for (const a of p.actions) {
    (a.revisions ?? []).forEach((r, i) => {
      if (r.quarter !== quarter) return;
      b.command(`${p.code}/action/${a.key}/revise/${i + 1}`, actionItem(a), actor, {
        context: 'action',
        request: {
          type: 'ReviseAction',
          actionId: actionId(a),
          reason: r.reason,
          ...(r.plannedStart ? { plannedStart: r.plannedStart } : {}),
          ...(r.plannedEnd ? { plannedEnd: r.plannedEnd } : {}),
        },
      });
    });
  }

  // Commitments for the year, then partners' match funding.
  for (const a of p.actions) {
    for (const f of a.funding.filter((x) => x.year === year && commitQuarter(a, year) === quarter)) {
      b.command(`${p.code}/funding/${year}/commit/${a.key}`, fundingItem, actor, {
        context: 'funding',
        request: {
          type: 'CommitFunds',
          areaCode: p.code,
          actionId: actionId(a),
          year,
          amountPence: pence(f.commit),
          note: `${a.title}: committed for ${year} ${ILLUSTRATIVE}`,
        },
      });
    }
  }
  for (const m of p.match.filter((x) => x.quarter === quarter)) {
    const a = m.action === null ? null : p.actions.find((x) => x.key === m.action)!;
    b.command(`${p.code}/funding/${m.year}/match/${m.key}`, fundingItem, actor, {
      context: 'funding',
      request: {
        type: 'RecordMatchFunding',
        areaCode: p.code,
        matchId: demoIds.match(p.code, m.key),
        partnerId: demoIds.partner(p.code, m.partner),
        actionId: a ? actionId(a) : null,
        year: m.year,
        kind: m.kind,
        amountPence: pence(m.amount),
        description: m.description,
      },
    });
  }

  // Status changes and milestones dated in the quarter, in date order.
  for (const d of datedEvents(p).filter((x) => quarterOf(x.on) === quarter)) {
    const a = d.action;
    if ('milestone' in d) {
      b.command(`${p.code}/action/${a.key}/milestone/${d.milestone.key}`, actionItem(a), actor, {
        context: 'action',
        request: {
          type: 'ReachMilestone',
          actionId: actionId(a),
          milestoneId: demoIds.milestone(p.code, a.key, d.milestone.key),
          note: d.milestone.note,
          on: d.on,
        },
      });
      continue;
    }
    const t = d.transition;
    const key = `${p.code}/action/${a.key}/${t.type}/${t.on}`;
    const base = { actionId: actionId(a), on: t.on };
    const request: ActionRequest =
      t.type === 'start'
        ? { type: 'StartAction', ...base }
        : t.type === 'resume'
          ? { type: 'ResumeAction', ...base }
          : t.type === 'pause'
            ? { type: 'PauseAction', ...base, reason: t.reason }
            : t.type === 'cancel'
              ? { type: 'CancelAction', ...base, reason: t.reason }
              : { type: 'CompleteAction', ...base, summary: t.summary };
    b.command(key, actionItem(a), actor, { context: 'action', request });
  }

  // The quarter's spend, as first reported.
  for (const a of p.actions) {
    const f = a.funding.find((x) => x.year === year);
    const amount = f?.spend[q - 1] ?? 0;
    if (amount <= 0) continue;
    b.command(`${p.code}/funding/${quarter}/spend/${a.key}`, fundingItem, actor, {
      context: 'funding',
      request: {
        type: 'ReportSpend',
        areaCode: p.code,
        actionId: actionId(a),
        quarter,
        amountPence: pence(amount),
        note: `${a.title}: spend in ${quarter} ${ILLUSTRATIVE}`,
      },
    });
  }

  // Measurements whose period ends in the quarter.
  for (const o of p.outcomes) {
    const item = itemId('outcomes', p.code, o.indicator);
    const value = o.quarterly?.values[index];
    if (o.quarterly && value !== null && value !== undefined) {
      const period = parseFinancialQuarter(quarter)!;
      b.command(`${p.code}/outcomes/${o.indicator}/measure/${quarter}`, item, actor, {
        context: 'outcomes',
        request: {
          type: 'RecordMeasurement',
          areaCode: p.code,
          measurementId: demoIds.measurement(p.code, o.indicator, quarter),
          indicatorCode: o.indicator,
          periodLabel: quarter,
          periodStart: period.start,
          periodEnd: period.end,
          value,
          source: o.quarterly.source,
          note: 'Illustrative figure for the demo programme',
        },
      });
    }
    for (const w of o.waves ?? []) {
      const wave = WAVES[w.wave];
      if (quarterOf(wave.end) !== quarter) continue;
      b.command(`${p.code}/outcomes/${o.indicator}/measure/${w.wave}`, item, actor, {
        context: 'outcomes',
        request: {
          type: 'RecordMeasurement',
          areaCode: p.code,
          measurementId: demoIds.measurement(p.code, o.indicator, w.wave),
          indicatorCode: o.indicator,
          periodLabel: wave.label,
          periodStart: wave.start,
          periodEnd: wave.end,
          value: w.value,
          ...(w.sampleSize ? { sampleSize: w.sampleSize } : {}),
          source: w.source,
          note: 'Illustrative figure for the demo programme',
        },
      });
    }
  }

  const corrections = (afterSendBack: boolean) => {
    for (const c of p.spendCorrections.filter(
      (x) => x.quarter === quarter && x.afterSendBack === afterSendBack,
    )) {
      const a = p.actions.find((x) => x.key === c.action)!;
      b.command(`${p.code}/funding/${quarter}/correct-spend/${a.key}`, fundingItem, actor, {
        context: 'funding',
        request: {
          type: 'CorrectSpend',
          areaCode: p.code,
          actionId: actionId(a),
          quarter,
          amountPence: pence(c.amount),
          reason: c.reason,
        },
      });
    }
    for (const c of p.measurementCorrections.filter(
      (x) => correctionQuarter(x.period) === quarter && x.afterSendBack === afterSendBack,
    )) {
      b.command(
        `${p.code}/outcomes/${c.indicator}/correct/${c.period}`,
        itemId('outcomes', p.code, c.indicator),
        actor,
        {
          context: 'outcomes',
          request: {
            type: 'CorrectMeasurement',
            areaCode: p.code,
            measurementId: demoIds.measurement(p.code, c.indicator, c.period),
            value: c.value,
            reason: c.reason,
          },
        },
      );
    }
  };
  corrections(false);

  // Reprofiling and clawback, once the quarter's commitments are known.
  for (const c of p.fundingChanges.filter((x) => x.quarter === quarter)) {
    if (c.type === 'reprofile') {
      b.command(`${p.code}/funding/${c.from}/reprofile/${quarter}`, fundingItem, CENTRAL, {
        context: 'funding',
        request: {
          type: 'ReprofileAllocation',
          areaCode: p.code,
          fromYear: c.from,
          toYear: c.to,
          fundingStream: p.allocations[0].stream,
          amountPence: pence(c.amount),
          reason: c.reason,
        },
      });
    } else if (c.type === 'reduce') {
      b.command(`${p.code}/funding/${c.year}/reduce/${quarter}`, fundingItem, CENTRAL, {
        context: 'funding',
        request: {
          type: 'ReduceAllocation',
          areaCode: p.code,
          year: c.year,
          fundingStream: p.allocations[0].stream,
          amountPence: pence(c.amount),
          reason: c.reason,
        },
      });
    }
  }

  // The quarter's return: submitted by the pilot, reviewed by the central team.
  const returnItem = itemId('return', p.code, quarter);
  const submit = (suffix: string, note: string) => {
    b.sync();
    b.command(`${p.code}/return/${quarter}/${suffix}`, returnItem, actor, {
      context: 'return',
      request: { type: 'SubmitReturn', areaCode: p.code, quarter, note },
    });
  };
  submit('submit', `Quarterly return for ${quarter} ${ILLUSTRATIVE}`);
  const approve = () =>
    b.command(`${p.code}/return/${quarter}/approve`, returnItem, CENTRAL, {
      context: 'return',
      request: {
        type: 'ApproveReturn',
        areaCode: p.code,
        quarter,
        comments: `Checked and approved ${ILLUSTRATIVE}`,
      },
    });
  const sentBack = p.returns.sentBack;
  if (sentBack?.quarter === quarter) {
    b.command(`${p.code}/return/${quarter}/send-back`, returnItem, CENTRAL, {
      context: 'return',
      request: { type: 'SendBackReturn', areaCode: p.code, quarter, comments: sentBack.comments },
    });
    corrections(true);
    submit('resubmit', sentBack.resubmissionNote);
    approve();
  } else if (p.returns.awaitingReview !== quarter) {
    approve();
  }
}

/** The quarter in which a measurement correction is made: its quarter, or the quarter its wave ends in. */
export function correctionQuarter(period: string): string {
  return period in WAVES ? quarterOf(WAVES[period as WaveKey].end) : period;
}

function learning(b: PlanBuilder): void {
  const pilotOf = (code: string) => DEMO_PILOTS.find((p) => p.code === code)!;
  const itemKey = (i: DemoLearningItem) => itemId('learning', i.key);
  for (const i of DEMO_LEARNING) {
    const pilot = pilotOf(i.area);
    const id = demoIds.learning(i.key);
    b.command(`learning/${i.key}/draft`, itemKey(i), pilotActor(pilot), {
      context: 'learning',
      request: {
        type: 'DraftLearning',
        itemId: id,
        areaCode: i.area,
        content: {
          type: i.type,
          title: i.title,
          summary: i.summary,
          body: i.body,
          themes: i.themes,
          actionIds: i.actions.map((k) => demoIds.action(i.area, k)),
          indicatorCodes: i.indicators,
          evidenceLinks: i.evidence,
        },
      },
    });
    if (!i.publish) continue;
    b.command(`learning/${i.key}/publish`, itemKey(i), CENTRAL, {
      context: 'learning',
      request: { type: 'PublishLearning', itemId: id },
    });
    if (i.revision) {
      b.command(`learning/${i.key}/revise`, itemKey(i), pilotActor(pilot), {
        context: 'learning',
        request: {
          type: 'ReviseLearning',
          itemId: id,
          changes: { body: i.revision.body },
          reason: i.revision.reason,
        },
      });
    }
  }
  for (const i of DEMO_LEARNING) {
    for (const a of i.adoptions) {
      const council = DEMO_COUNCILS.find((c) => c.code === a.council)!;
      b.command(`learning/${i.key}/adopt/${a.council}`, itemKey(i), councilActor(council), {
        context: 'learning',
        request: {
          type: 'AdoptLearning',
          itemId: demoIds.learning(i.key),
          adoptingAreaCode: a.council,
          note: a.note,
        },
      });
    }
  }
}

/** The sample of public indicator values the demo imports (invented figures in the shape ONS publishes). */
export const DEMO_PUBLIC_VALUES = 'data/comparators/illustrative-public-indicators.csv';
/** The sample's characteristics of councils (2017-18), on which each pilot's nearest neighbours are found. */
export const DEMO_CHARACTERISTICS = [
  'IMD_AVERAGE_SCORE',
  'PCT_BORN_OUTSIDE_UK',
  'PCT_ETHNIC_MINORITY',
  'POPULATION_DENSITY',
] as const;

/**
 * The comparators: the illustrative sample of public values for 52 councils, then each pilot's nearest neighbours
 * (CIPFA's method, its 15 by default) on the sample's four characteristics, so that the comparison pages show
 * something from the first start. The sample says on every row that its figures are invented, and the pages say so.
 */
function comparators(b: PlanBuilder): void {
  b.command(
    'comparators/public-values/illustrative-sample',
    itemId('comparators', 'public-values'),
    CENTRAL,
    {
      context: 'public-values',
      file: DEMO_PUBLIC_VALUES,
    },
  );
  b.sync();
  for (const p of DEMO_PILOTS) {
    b.command(`${p.code}/comparators/choose`, itemId('comparators', p.code), CENTRAL, {
      context: 'comparators',
      request: {
        pilotCode: p.code,
        method: 'NEAREST_NEIGHBOURS',
        characteristics: [...DEMO_CHARACTERISTICS],
        period: '2017-18',
        count: DEFAULT_NEIGHBOURS,
        areaCodes: [],
        reason:
          'Illustrative: chosen by the demo loader as the nearest neighbours on deprivation, residents born outside ' +
          'the UK, ethnic minorities and population density in the invented sample of public values.',
      },
    });
  }
  b.sync();
}

/**
 * This financial year's grant for every pilot, as a pilot would have it today: the demo's own years are closed by
 * their approved returns, so without it a pilot officer finds no open quarter to report spend in or commit funds
 * to. The year is the one `today` falls in (April to March); each pilot is allocated what it had for the demo's
 * last year, on the year's first day. Its key names the year, so loading the demo again that year adds nothing.
 */
function thisYearsGrant(b: PlanBuilder, today: string): void {
  const year = financialYearOf(today);
  if ((YEARS as readonly string[]).includes(year.name)) return;
  const last = YEARS[YEARS.length - 1];
  for (const p of DEMO_PILOTS) {
    const stream = p.allocations[0].stream;
    const amount = p.allocations
      .filter((a) => a.year === last && a.stream === stream)
      .reduce((s, a) => s + a.amount, 0);
    b.command(
      `${p.code}/funding/${year.name}/allocate/${stream}`,
      itemId('funding', p.code, year.name),
      CENTRAL,
      {
        context: 'funding',
        request: {
          type: 'AllocateGrant',
          areaCode: p.code,
          year: year.name,
          fundingStream: stream,
          amountPence: pence(amount),
          note: `This year's allocation, the same as ${last}'s ${ILLUSTRATIVE}`,
          awardedOn: year.start,
        },
      },
    );
  }
}

/** The whole demo, in order, as loaded on `today` (an ISO date in England: see thisYearsGrant). */
export function demoPlan(today: string): DemoStep[] {
  const b = new PlanBuilder();
  registerAreas(b);
  defineIndicators(b);
  for (const p of DEMO_PILOTS) baselinesAndTargets(b, p);
  QUARTERS.forEach((quarter, index) => {
    for (const p of DEMO_PILOTS) pilotQuarter(b, p, quarter, index);
  });
  thisYearsGrant(b, today);
  learning(b);
  b.sync();
  comparators(b);
  return b.steps;
}
