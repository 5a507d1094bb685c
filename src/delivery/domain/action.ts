import { BadUserInputError, ConflictError, NotFoundError } from '@iap/common';
import type { Decider } from '@iap/event-store';
import { type ReturnsState, checkDateOpen } from '../../outcomes/domain/public-api.js';
import { isIsoDate } from '../../shared/periods.js';

/**
 * A pilot's action (intervention, project) in its local integration action plan: planned with themes, a lead
 * partner and milestones, then started, paused and resumed, revised, and finally completed or cancelled.
 * One stream per action.
 */
export function actionStream(actionId: string): string {
  return `action-${actionId}`;
}

export const ACTION_STATUSES = ['PLANNED', 'IN_PROGRESS', 'PAUSED', 'COMPLETED', 'CANCELLED'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export const TERMINAL_STATUSES: readonly ActionStatus[] = ['COMPLETED', 'CANCELLED'];

export interface PlannedMilestone {
  readonly milestoneId: string;
  readonly title: string;
  readonly dueDate: string;
}

/** What a plan says: set when the action is planned, changed by revisions. */
export interface ActionPlan {
  readonly title: string;
  readonly description: string;
  readonly themes: readonly string[];
  readonly leadPartnerId: string;
  readonly partnerIds: readonly string[];
  readonly plannedStart: string;
  readonly plannedEnd: string;
}

export interface ActionPlannedData extends ActionPlan {
  readonly actionId: string;
  readonly areaCode: string;
  readonly milestones: readonly PlannedMilestone[];
}

/** The new values of whatever a revision changed (absent: unchanged). */
export interface ActionChanges extends Partial<ActionPlan> {
  readonly milestonesAdded?: readonly PlannedMilestone[];
}

export type ActionEvent =
  | { readonly type: 'ActionPlanned'; readonly data: ActionPlannedData }
  | { readonly type: 'ActionStarted'; readonly data: { actionId: string; on: string } }
  | {
      readonly type: 'MilestoneReached';
      readonly data: { actionId: string; milestoneId: string; on: string; note: string };
    }
  | {
      readonly type: 'ActionRevised';
      readonly data: { actionId: string; reason: string; changes: ActionChanges };
    }
  | { readonly type: 'ActionCompleted'; readonly data: { actionId: string; on: string; summary: string } }
  | { readonly type: 'ActionPaused'; readonly data: { actionId: string; on: string; reason: string } }
  | { readonly type: 'ActionResumed'; readonly data: { actionId: string; on: string } }
  | { readonly type: 'ActionCancelled'; readonly data: { actionId: string; on: string; reason: string } };

export type ActionEventType = ActionEvent['type'];
export const ACTION_EVENT_TYPES: readonly ActionEventType[] = [
  'ActionPlanned',
  'ActionStarted',
  'MilestoneReached',
  'ActionRevised',
  'ActionCompleted',
  'ActionPaused',
  'ActionResumed',
  'ActionCancelled',
];

/** Facts about the area, loaded by the handler from the areas context. */
export type AreaFacts =
  | { readonly registered: false }
  | {
      readonly registered: true;
      readonly code: string;
      readonly kind: 'PILOT' | 'NON_PILOT';
      readonly partners: ReadonlyMap<string, { readonly name: string }>;
    };

/** The theme catalogue, loaded by the handler from the themes context. */
export type ThemeFacts = ReadonlyMap<string, { readonly retired: boolean }>;

export interface MilestoneDraft {
  readonly milestoneId: string;
  readonly title: string;
  readonly dueDate: string;
}

export interface PlanAction extends ActionPlan {
  readonly type: 'PlanAction';
  readonly actionId: string;
  readonly areaCode: string;
  readonly milestones: readonly MilestoneDraft[];
  readonly area: AreaFacts;
  readonly themeCatalogue: ThemeFacts;
}

/** A revision of the plan: the fields given change (absent: unchanged). */
export interface ReviseAction extends Partial<ActionPlan> {
  readonly type: 'ReviseAction';
  readonly actionId: string;
  readonly reason: string;
  readonly addMilestones?: readonly MilestoneDraft[];
  readonly area: AreaFacts;
  readonly themeCatalogue: ThemeFacts;
}

/**
 * Every status change carries its date and today's date (status changes may not be dated in the future), and
 * the area's periodic returns: a change dated in a quarter whose return is submitted or approved is refused.
 */
interface Dated {
  readonly actionId: string;
  readonly on: string;
  readonly today: string;
  readonly returns: ReturnsState;
}
export interface StartAction extends Dated {
  readonly type: 'StartAction';
}
export interface ReachMilestone extends Dated {
  readonly type: 'ReachMilestone';
  readonly milestoneId: string;
  readonly note: string;
}
export interface CompleteAction extends Dated {
  readonly type: 'CompleteAction';
  readonly summary: string;
}
export interface PauseAction extends Dated {
  readonly type: 'PauseAction';
  readonly reason: string;
}
export interface ResumeAction extends Dated {
  readonly type: 'ResumeAction';
}
export interface CancelAction extends Dated {
  readonly type: 'CancelAction';
  readonly reason: string;
}

export type ActionCommand =
  | PlanAction
  | ReviseAction
  | StartAction
  | ReachMilestone
  | CompleteAction
  | PauseAction
  | ResumeAction
  | CancelAction;

export type DatedActionCommand = Extract<ActionCommand, Dated>;

export interface MilestoneState {
  readonly milestoneId: string;
  readonly title: string;
  readonly dueDate: string;
  readonly reachedOn: string | null;
}

export type ActionState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly actionId: string;
      readonly areaCode: string;
      readonly status: ActionStatus;
      readonly plan: ActionPlan;
      readonly milestones: readonly MilestoneState[];
      readonly startedOn: string | null;
      /** Date of the latest status change: later ones may not be dated before it. */
      readonly lastStatusChangeOn: string | null;
      readonly statusReason: string | null;
    };

type ExistingAction = Extract<ActionState, { exists: true }>;

function withStatus(
  state: ActionState,
  status: ActionStatus,
  on: string,
  extra: Partial<ExistingAction> = {},
): ActionState {
  if (!state.exists) return state;
  return { ...state, status, lastStatusChangeOn: on, ...extra };
}

export const actionDecider: Decider<ActionState, ActionCommand, ActionEvent> = {
  initialState: () => ({ exists: false }),
  evolve(state, event) {
    switch (event.type) {
      case 'ActionPlanned': {
        const { actionId, areaCode, milestones, ...plan } = event.data;
        return {
          exists: true,
          actionId,
          areaCode,
          status: 'PLANNED',
          plan,
          milestones: milestones.map((m) => ({ ...m, reachedOn: null })),
          startedOn: null,
          lastStatusChangeOn: null,
          statusReason: null,
        };
      }
      case 'ActionStarted':
        return withStatus(state, 'IN_PROGRESS', event.data.on, {
          startedOn: event.data.on,
          statusReason: null,
        });
      case 'MilestoneReached':
        if (!state.exists) return state;
        return {
          ...state,
          milestones: state.milestones.map((m) =>
            m.milestoneId === event.data.milestoneId ? { ...m, reachedOn: event.data.on } : m,
          ),
        };
      case 'ActionRevised': {
        if (!state.exists) return state;
        const { milestonesAdded, ...changes } = event.data.changes;
        return {
          ...state,
          plan: { ...state.plan, ...changes },
          milestones: [
            ...state.milestones,
            ...(milestonesAdded ?? []).map((m) => ({ ...m, reachedOn: null })),
          ],
        };
      }
      case 'ActionCompleted':
        return withStatus(state, 'COMPLETED', event.data.on, { statusReason: null });
      case 'ActionPaused':
        return withStatus(state, 'PAUSED', event.data.on, { statusReason: event.data.reason });
      case 'ActionResumed':
        return withStatus(state, 'IN_PROGRESS', event.data.on, { statusReason: null });
      case 'ActionCancelled':
        return withStatus(state, 'CANCELLED', event.data.on, { statusReason: event.data.reason });
    }
  },
  decide(command, state) {
    if (command.type === 'PlanAction') return plan(command, state);
    if (!state.exists) throw new NotFoundError(`No action ${command.actionId}`);
    if (TERMINAL_STATUSES.includes(state.status)) {
      const why = state.statusReason ? `: ${state.statusReason}` : '';
      throw new ConflictError(
        `Action ${state.actionId} is ${state.status} (since ${state.lastStatusChangeOn}${why}); nothing more can happen to a ${state.status.toLowerCase()} action, so ${describeCommand(command)} is refused`,
        { status: state.status },
      );
    }
    if (command.type === 'ReviseAction') return revise(command, state);
    const events = changeStatus(command, state);
    // The action's own rules first (they explain an illegal transition best), then the period lock.
    checkDateOpen(command.returns, state.areaCode, command.on, 'on');
    return events;
  },
};

function changeStatus(command: DatedActionCommand, state: ExistingAction): ActionEvent[] {
  switch (command.type) {
    case 'StartAction':
      return start(command, state);
    case 'ReachMilestone':
      return reachMilestone(command, state);
    case 'CompleteAction':
      return complete(command, state);
    case 'PauseAction':
      return pause(command, state);
    case 'ResumeAction':
      return resume(command, state);
    case 'CancelAction':
      return cancel(command, state);
  }
}

function describeCommand(command: ActionCommand): string {
  const verbs: Record<ActionCommand['type'], string> = {
    PlanAction: 'planning it again',
    ReviseAction: 'revising it',
    StartAction: 'starting it',
    ReachMilestone: 'reaching a milestone',
    CompleteAction: 'completing it',
    PauseAction: 'pausing it',
    ResumeAction: 'resuming it',
    CancelAction: 'cancelling it',
  };
  return verbs[command.type];
}

function illegal(
  state: ExistingAction,
  command: ActionCommand,
  allowed: readonly ActionStatus[],
): ConflictError {
  return new ConflictError(
    `Action ${state.actionId} is ${state.status}: ${describeCommand(command)} needs it to be ${allowed.join(' or ')}`,
    { status: state.status },
  );
}

function requireText(field: string, value: string, why: string): string {
  const text = value.trim();
  if (text.length === 0) throw BadUserInputError.field(field, why);
  return text;
}

function requireDate(field: string, value: string): string {
  if (!isIsoDate(value))
    throw BadUserInputError.field(field, `must be an ISO 8601 date (YYYY-MM-DD), got "${value}"`);
  return value;
}

/** A status change's date: a real date, not in the future, and not before the previous status change. */
function requireStatusDate(command: DatedActionCommand, state: ExistingAction): string {
  const on = requireDate('on', command.on);
  if (on > command.today)
    throw BadUserInputError.field('on', `must not be in the future (today is ${command.today}), got ${on}`);
  if (state.lastStatusChangeOn && on < state.lastStatusChangeOn) {
    throw new ConflictError(
      `Action ${state.actionId} has been ${state.status} since ${state.lastStatusChangeOn}: ${describeCommand(command)} cannot be dated before that (${on})`,
      { field: 'on', status: state.status },
    );
  }
  return on;
}

function checkThemes(catalogue: ThemeFacts, themes: readonly string[], field = 'themes'): readonly string[] {
  if (themes.length === 0) throw BadUserInputError.field(field, 'must name at least one theme');
  for (const code of themes) {
    const theme = catalogue.get(code);
    if (!theme) throw BadUserInputError.field(field, `"${code}" is not a theme in the catalogue`);
    if (theme.retired) throw BadUserInputError.field(field, `theme "${code}" has been retired`);
  }
  if (new Set(themes).size !== themes.length) throw BadUserInputError.field(field, 'must not repeat a theme');
  return themes;
}

function requirePartner(
  area: Extract<AreaFacts, { registered: true }>,
  field: string,
  partnerId: string,
): void {
  if (!area.partners.has(partnerId)) {
    throw BadUserInputError.field(field, `"${partnerId}" is not a registered partner of ${area.code}`);
  }
}

function checkPartners(
  area: AreaFacts,
  leadPartnerId: string,
  partnerIds: readonly string[],
  check: { lead: boolean; others: boolean },
): void {
  if (!area.registered) throw new NotFoundError("The action's area is not registered");
  if (check.lead) requirePartner(area, 'leadPartnerId', leadPartnerId);
  if (check.others) {
    partnerIds.forEach((id, i) => requirePartner(area, `partnerIds.${i}`, id));
    if (new Set(partnerIds).size !== partnerIds.length)
      throw BadUserInputError.field('partnerIds', 'must not repeat a partner');
  }
  if (partnerIds.includes(leadPartnerId)) {
    throw BadUserInputError.field(
      check.others ? 'partnerIds' : 'leadPartnerId',
      'the lead partner is listed among the other partners: name it once, as the lead',
    );
  }
}

function checkMilestones(
  drafts: readonly MilestoneDraft[],
  field: string,
  existing: readonly MilestoneState[],
): PlannedMilestone[] {
  const ids = new Set(existing.map((m) => m.milestoneId));
  return drafts.map((m, i) => {
    const title = requireText(`${field}.${i}.title`, m.title, 'must not be blank');
    const dueDate = requireDate(`${field}.${i}.dueDate`, m.dueDate);
    if (ids.has(m.milestoneId))
      throw BadUserInputError.field(`${field}.${i}`, `milestone id ${m.milestoneId} is already used`);
    ids.add(m.milestoneId);
    return { milestoneId: m.milestoneId, title, dueDate };
  });
}

/** Planned dates in order, and every milestone due within them. */
function checkSchedule(
  plannedStart: string,
  plannedEnd: string,
  milestones: readonly { dueDate: string; title: string }[],
  fields: { end: string; milestone: (i: number, side: 'start' | 'end') => string },
): void {
  if (plannedEnd < plannedStart) {
    throw BadUserInputError.field(
      fields.end,
      `must not be before the planned start ${plannedStart}, got ${plannedEnd}`,
    );
  }
  milestones.forEach((m, i) => {
    if (m.dueDate < plannedStart || m.dueDate > plannedEnd) {
      throw BadUserInputError.field(
        fields.milestone(i, m.dueDate < plannedStart ? 'start' : 'end'),
        `milestone "${m.title}" is due ${m.dueDate}, outside the planned period ${plannedStart} to ${plannedEnd}`,
      );
    }
  });
}

function plan(command: PlanAction, state: ActionState): ActionEvent[] {
  if (state.exists)
    throw new ConflictError(`Action ${command.actionId} is already planned`, { field: 'actionId' });
  const { area } = command;
  if (!area.registered)
    throw BadUserInputError.field('areaCode', `${command.areaCode} is not a registered area`);
  if (area.kind !== 'PILOT') {
    throw BadUserInputError.field(
      'areaCode',
      `${command.areaCode} is not a pilot area: only the programme's pilots plan actions`,
    );
  }
  const title = requireText('title', command.title, 'must not be blank');
  const themes = checkThemes(command.themeCatalogue, command.themes);
  checkPartners(area, command.leadPartnerId, command.partnerIds, { lead: true, others: true });
  const plannedStart = requireDate('plannedStart', command.plannedStart);
  const plannedEnd = requireDate('plannedEnd', command.plannedEnd);
  const milestones = checkMilestones(command.milestones, 'milestones', []);
  checkSchedule(plannedStart, plannedEnd, milestones, {
    end: 'plannedEnd',
    milestone: (i) => `milestones.${i}.dueDate`,
  });
  return [
    {
      type: 'ActionPlanned',
      data: {
        actionId: command.actionId,
        areaCode: command.areaCode,
        title,
        description: command.description.trim(),
        themes: [...themes],
        leadPartnerId: command.leadPartnerId,
        partnerIds: [...command.partnerIds],
        plannedStart,
        plannedEnd,
        milestones,
      },
    },
  ];
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function revise(command: ReviseAction, state: ExistingAction): ActionEvent[] {
  const reason = requireText('reason', command.reason, 'must say why the action is revised');
  const current = state.plan;
  const changes: {
    -readonly [K in keyof ActionChanges]: ActionChanges[K];
  } = {};
  if (command.title !== undefined) {
    const title = requireText('title', command.title, 'must not be blank');
    if (title !== current.title) changes.title = title;
  }
  if (command.description !== undefined && command.description.trim() !== current.description) {
    changes.description = command.description.trim();
  }
  if (command.themes !== undefined && !sameList(command.themes, current.themes)) {
    changes.themes = [...checkThemes(command.themeCatalogue, command.themes)];
  }
  if (command.leadPartnerId !== undefined && command.leadPartnerId !== current.leadPartnerId) {
    changes.leadPartnerId = command.leadPartnerId;
  }
  if (command.partnerIds !== undefined && !sameList(command.partnerIds, current.partnerIds)) {
    changes.partnerIds = [...command.partnerIds];
  }
  if (changes.leadPartnerId !== undefined || changes.partnerIds !== undefined) {
    checkPartners(
      command.area,
      changes.leadPartnerId ?? current.leadPartnerId,
      changes.partnerIds ?? current.partnerIds,
      {
        lead: changes.leadPartnerId !== undefined,
        others: changes.partnerIds !== undefined,
      },
    );
  }
  if (
    command.plannedStart !== undefined &&
    requireDate('plannedStart', command.plannedStart) !== current.plannedStart
  ) {
    changes.plannedStart = command.plannedStart;
  }
  if (
    command.plannedEnd !== undefined &&
    requireDate('plannedEnd', command.plannedEnd) !== current.plannedEnd
  ) {
    changes.plannedEnd = command.plannedEnd;
  }
  const added = checkMilestones(command.addMilestones ?? [], 'addMilestones', state.milestones);
  if (added.length > 0) changes.milestonesAdded = added;

  if (changes.plannedStart !== undefined || changes.plannedEnd !== undefined || added.length > 0) {
    const start = changes.plannedStart ?? current.plannedStart;
    const end = changes.plannedEnd ?? current.plannedEnd;
    const all = [...state.milestones, ...added];
    const existing = state.milestones.length;
    checkSchedule(start, end, all, {
      end: changes.plannedEnd !== undefined ? 'plannedEnd' : 'plannedStart',
      milestone: (i, side) =>
        i >= existing
          ? `addMilestones.${i - existing}.dueDate`
          : side === 'start'
            ? 'plannedStart'
            : 'plannedEnd',
    });
  }
  if (Object.keys(changes).length === 0) return []; // nothing differs from the current plan: nothing to record
  return [{ type: 'ActionRevised', data: { actionId: state.actionId, reason, changes } }];
}

function start(command: StartAction, state: ExistingAction): ActionEvent[] {
  if (state.status !== 'PLANNED') throw illegal(state, command, ['PLANNED']);
  const on = requireStatusDate(command, state);
  if (on < state.plan.plannedStart) {
    throw new ConflictError(
      `Action ${state.actionId} is planned to start on ${state.plan.plannedStart}: to start it earlier (${on}), revise plannedStart first`,
      { field: 'on', status: state.status },
    );
  }
  return [{ type: 'ActionStarted', data: { actionId: state.actionId, on } }];
}

function reachMilestone(command: ReachMilestone, state: ExistingAction): ActionEvent[] {
  if (state.status !== 'IN_PROGRESS') throw illegal(state, command, ['IN_PROGRESS']);
  const milestone = state.milestones.find((m) => m.milestoneId === command.milestoneId);
  if (!milestone)
    throw BadUserInputError.field(
      'milestoneId',
      `${command.milestoneId} is not a milestone of action ${state.actionId}`,
    );
  if (milestone.reachedOn) {
    throw new ConflictError(`Milestone "${milestone.title}" was already reached on ${milestone.reachedOn}`, {
      field: 'milestoneId',
    });
  }
  const on = requireDate('on', command.on);
  if (on > command.today)
    throw BadUserInputError.field('on', `must not be in the future (today is ${command.today}), got ${on}`);
  if (state.startedOn && on < state.startedOn) {
    throw new ConflictError(
      `Action ${state.actionId} started on ${state.startedOn}: a milestone cannot be reached before that (${on})`,
      {
        field: 'on',
      },
    );
  }
  return [
    {
      type: 'MilestoneReached',
      data: { actionId: state.actionId, milestoneId: milestone.milestoneId, on, note: command.note.trim() },
    },
  ];
}

function complete(command: CompleteAction, state: ExistingAction): ActionEvent[] {
  if (state.status !== 'IN_PROGRESS') throw illegal(state, command, ['IN_PROGRESS']);
  const summary = requireText('summary', command.summary, 'must summarise what the action achieved');
  const on = requireStatusDate(command, state); // not before the start (nor a later resumption)
  return [{ type: 'ActionCompleted', data: { actionId: state.actionId, on, summary } }];
}

function pause(command: PauseAction, state: ExistingAction): ActionEvent[] {
  if (state.status !== 'IN_PROGRESS') throw illegal(state, command, ['IN_PROGRESS']);
  const reason = requireText('reason', command.reason, 'must say why the action is paused');
  const on = requireStatusDate(command, state);
  return [{ type: 'ActionPaused', data: { actionId: state.actionId, on, reason } }];
}

function resume(command: ResumeAction, state: ExistingAction): ActionEvent[] {
  if (state.status !== 'PAUSED') throw illegal(state, command, ['PAUSED']);
  const on = requireStatusDate(command, state);
  return [{ type: 'ActionResumed', data: { actionId: state.actionId, on } }];
}

/** From PLANNED, IN_PROGRESS or PAUSED: every status but the terminal ones, which `decide` has already refused. */
function cancel(command: CancelAction, state: ExistingAction): ActionEvent[] {
  const reason = requireText('reason', command.reason, 'must say why the action is cancelled');
  const on = requireStatusDate(command, state);
  return [{ type: 'ActionCancelled', data: { actionId: state.actionId, on, reason } }];
}
