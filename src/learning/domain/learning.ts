import { BadUserInputError, ConflictError, NotFoundError, UUID, requireAreaCode } from '@iap/common';
import type { Decider } from '@iap/event-store';
import { INDICATOR_CODE } from '../../outcomes/domain/public-api.js';
import { type ThemeCatalogue, checkThemes } from '../../themes/domain/public-api.js';

/**
 * The learning library: what pilots (and the central team, on a pilot's behalf) learned, written up as case
 * studies, lessons learned, evaluations, toolkits and guidance, so that every council can find and adopt it.
 * One stream per item holds its drafting, revisions, publication, retraction and the adoptions recorded against
 * it: adoptions live in the item's stream so that "adopt once per council" and "adopt only what is published"
 * are decided against one consistent state, and so that an item's history (asOf) includes who had adopted it.
 */

export const LEARNING_TYPES = ['CASE_STUDY', 'LESSON_LEARNED', 'EVALUATION', 'TOOLKIT', 'GUIDANCE'] as const;
export type LearningType = (typeof LEARNING_TYPES)[number];

export const LEARNING_STATUSES = ['DRAFT', 'PUBLISHED', 'RETRACTED'] as const;
export type LearningStatus = (typeof LEARNING_STATUSES)[number];

/** Maximum lengths and counts (characters, items). */
export const LEARNING_LIMITS = {
  title: 200,
  summary: 1000,
  body: 50_000,
  evidenceLinks: 20,
  evidenceTitle: 200,
  url: 2000,
  actionIds: 50,
  indicatorCodes: 50,
  reason: 1000,
  note: 500,
} as const;

/** C0 controls (bar tab, line feed and carriage return), DEL and C1 controls: never wanted in prose. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LINE_BREAKS_OR_TABS = /[\t\n\r\u2028\u2029]/;

export function learningStream(itemId: string): string {
  return `learning-${itemId}`;
}

export interface EvidenceLink {
  readonly title: string;
  readonly url: string;
}

/** What an author writes, and may revise. */
export interface LearningContent {
  readonly type: LearningType;
  readonly title: string;
  readonly summary: string;
  /** Markdown. */
  readonly body: string;
  readonly themes: readonly string[];
  readonly actionIds: readonly string[];
  readonly indicatorCodes: readonly string[];
  readonly evidenceLinks: readonly EvidenceLink[];
}

export const CONTENT_FIELDS = [
  'type',
  'title',
  'summary',
  'body',
  'themes',
  'actionIds',
  'indicatorCodes',
  'evidenceLinks',
] as const satisfies readonly (keyof LearningContent)[];

export type LearningEvent =
  | {
      readonly type: 'LearningDrafted';
      readonly data: { readonly itemId: string; readonly areaCode: string } & LearningContent;
    }
  | {
      readonly type: 'LearningRevised';
      /** Only the fields that changed, and why (when the author said). */
      readonly data: { readonly itemId: string; readonly reason?: string } & Partial<LearningContent>;
    }
  | { readonly type: 'LearningPublished'; readonly data: { readonly itemId: string; readonly on: string } }
  | {
      readonly type: 'LearningRetracted';
      readonly data: { readonly itemId: string; readonly reason: string };
    }
  | {
      readonly type: 'LearningAdopted';
      readonly data: {
        readonly itemId: string;
        readonly adoptingAreaCode: string;
        readonly note: string;
        readonly on: string;
      };
    };

export type LearningEventType = LearningEvent['type'];
export const LEARNING_EVENT_TYPES: readonly LearningEventType[] = [
  'LearningDrafted',
  'LearningRevised',
  'LearningPublished',
  'LearningRetracted',
  'LearningAdopted',
];

/** Facts about an area, loaded by the handler from the areas context (its `loadArea` answers this shape). */
export type AreaFacts =
  { readonly registered: false } | { readonly registered: true; readonly kind: 'PILOT' | 'NON_PILOT' };

/** Facts about linked actions, by id, loaded by the handler from the delivery context. */
export type ActionFacts = ReadonlyMap<
  string,
  { readonly exists: false } | { readonly exists: true; readonly areaCode: string }
>;

export interface DraftLearning {
  readonly type: 'DraftLearning';
  readonly itemId: string;
  readonly areaCode: string;
  readonly content: LearningContent;
  readonly area: AreaFacts;
  readonly themeCatalogue: ThemeCatalogue;
  readonly actions: ActionFacts;
}

export interface ReviseLearning {
  readonly type: 'ReviseLearning';
  readonly itemId: string;
  readonly changes: Partial<LearningContent>;
  readonly reason?: string;
  /** Needed when the themes change. */
  readonly themeCatalogue: ThemeCatalogue;
  /** Needed when the linked actions change. */
  readonly actions: ActionFacts;
}

export interface PublishLearning {
  readonly type: 'PublishLearning';
  readonly itemId: string;
  readonly today: string;
}

export interface RetractLearning {
  readonly type: 'RetractLearning';
  readonly itemId: string;
  readonly reason: string;
}

export interface AdoptLearning {
  readonly type: 'AdoptLearning';
  readonly itemId: string;
  readonly adoptingAreaCode: string;
  readonly note: string;
  readonly adoptingArea: AreaFacts;
  readonly today: string;
}

export type LearningCommand =
  DraftLearning | ReviseLearning | PublishLearning | RetractLearning | AdoptLearning;

export interface Adopter {
  readonly note: string;
  readonly on: string;
}

export type LearningState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly itemId: string;
      readonly areaCode: string;
      readonly content: LearningContent;
      readonly status: LearningStatus;
      readonly publishedOn: string | null;
      readonly retractedReason: string | null;
      /** Adopting area code → what it said and when. */
      readonly adopters: ReadonlyMap<string, Adopter>;
    };

type ExistingItem = Extract<LearningState, { exists: true }>;

/** The content after a revision's changes (a pure function shared by the decider and the history view). */
export function revisedContent(content: LearningContent, changes: Partial<LearningContent>): LearningContent {
  const next: Record<string, unknown> = { ...content };
  for (const field of CONTENT_FIELDS) {
    if (changes[field] !== undefined) next[field] = changes[field];
  }
  return next as unknown as LearningContent;
}

/** A revision brings a retracted item back to DRAFT (to be checked and published again); otherwise keeps the status. */
export function statusAfterRevision(status: LearningStatus): LearningStatus {
  return status === 'RETRACTED' ? 'DRAFT' : status;
}

export const learningDecider: Decider<LearningState, LearningCommand, LearningEvent> = {
  initialState: () => ({ exists: false }),
  evolve(state, event) {
    if (event.type === 'LearningDrafted') {
      const { itemId, areaCode, ...content } = event.data;
      return {
        exists: true,
        itemId,
        areaCode,
        content,
        status: 'DRAFT',
        publishedOn: null,
        retractedReason: null,
        adopters: new Map(),
      };
    }
    if (!state.exists) return state;
    switch (event.type) {
      case 'LearningRevised': {
        const { itemId: _itemId, reason: _reason, ...changes } = event.data;
        return {
          ...state,
          content: revisedContent(state.content, changes),
          status: statusAfterRevision(state.status),
          retractedReason: null,
        };
      }
      case 'LearningPublished':
        return { ...state, status: 'PUBLISHED', publishedOn: event.data.on, retractedReason: null };
      case 'LearningRetracted':
        return { ...state, status: 'RETRACTED', retractedReason: event.data.reason };
      case 'LearningAdopted': {
        const adopters = new Map(state.adopters);
        adopters.set(event.data.adoptingAreaCode, { note: event.data.note, on: event.data.on });
        return { ...state, adopters };
      }
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'DraftLearning':
        return draft(command, state);
      case 'ReviseLearning':
        return revise(command, requireItem(state, command.itemId));
      case 'PublishLearning':
        return publish(command, requireItem(state, command.itemId));
      case 'RetractLearning':
        return retract(command, requireItem(state, command.itemId));
      case 'AdoptLearning':
        return adopt(command, requireItem(state, command.itemId));
    }
  },
};

function requireItem(state: LearningState, itemId: string): ExistingItem {
  if (!state.exists) throw new NotFoundError(`No learning item ${itemId}`);
  return state;
}

function draft(command: DraftLearning, state: LearningState): LearningEvent[] {
  if (state.exists)
    throw new ConflictError(`Learning item ${command.itemId} already exists`, { field: 'id' });
  requireAreaCode(command.areaCode, 'areaCode');
  if (!command.area.registered)
    throw BadUserInputError.field('areaCode', `${command.areaCode} is not a registered area`);
  if (command.area.kind !== 'PILOT') {
    throw BadUserInputError.field(
      'areaCode',
      `${command.areaCode} is not a pilot area: the library holds the pilots' learning (other councils adopt it)`,
    );
  }
  const content = checkContent(command.content, {
    areaCode: command.areaCode,
    themeCatalogue: command.themeCatalogue,
    actions: command.actions,
  }) as LearningContent;
  return [
    { type: 'LearningDrafted', data: { itemId: command.itemId, areaCode: command.areaCode, ...content } },
  ];
}

function revise(command: ReviseLearning, state: ExistingItem): LearningEvent[] {
  const checked = checkContent(command.changes, {
    areaCode: state.areaCode,
    themeCatalogue: command.themeCatalogue,
    actions: command.actions,
  });
  const changes: Record<string, unknown> = {};
  for (const field of CONTENT_FIELDS) {
    const value = checked[field];
    if (value !== undefined && JSON.stringify(value) !== JSON.stringify(state.content[field]))
      changes[field] = value;
  }
  const reason = optionalText('reason', command.reason, LEARNING_LIMITS.reason);
  // The same text again is nothing to record (a repeated save is not a revision).
  if (Object.keys(changes).length === 0) return [];
  return [
    {
      type: 'LearningRevised',
      data: { itemId: state.itemId, ...(changes as Partial<LearningContent>), ...(reason ? { reason } : {}) },
    },
  ];
}

function publish(command: PublishLearning, state: ExistingItem): LearningEvent[] {
  if (state.status === 'PUBLISHED')
    throw new ConflictError(`Learning item ${state.itemId} is already published`);
  if (state.status === 'RETRACTED') {
    throw new ConflictError(
      `Learning item ${state.itemId} was retracted (${state.retractedReason}): revise it to correct it, then publish the revision`,
    );
  }
  return [{ type: 'LearningPublished', data: { itemId: state.itemId, on: command.today } }];
}

function retract(command: RetractLearning, state: ExistingItem): LearningEvent[] {
  if (state.status !== 'PUBLISHED') {
    throw new ConflictError(
      `Only a published item can be retracted; learning item ${state.itemId} is ${state.status.toLowerCase()}`,
    );
  }
  const reason = requiredText(
    'reason',
    command.reason,
    LEARNING_LIMITS.reason,
    'must say why the item is retracted',
  );
  return [{ type: 'LearningRetracted', data: { itemId: state.itemId, reason } }];
}

function adopt(command: AdoptLearning, state: ExistingItem): LearningEvent[] {
  if (state.status !== 'PUBLISHED') {
    throw new ConflictError(
      `Only a published item can be adopted; learning item ${state.itemId} is ${state.status.toLowerCase()}`,
    );
  }
  requireAreaCode(command.adoptingAreaCode, 'adoptingAreaCode');
  if (!command.adoptingArea.registered) {
    throw BadUserInputError.field('adoptingAreaCode', `${command.adoptingAreaCode} is not a registered area`);
  }
  if (command.adoptingAreaCode === state.areaCode) {
    throw BadUserInputError.field(
      'adoptingAreaCode',
      `${command.adoptingAreaCode} wrote this item: adoption is by other councils`,
    );
  }
  const previous = state.adopters.get(command.adoptingAreaCode);
  if (previous) {
    throw new ConflictError(
      `${command.adoptingAreaCode} already recorded adopting learning item ${state.itemId} on ${previous.on}`,
      { field: 'adoptingAreaCode' },
    );
  }
  const note = requiredText(
    'note',
    command.note,
    LEARNING_LIMITS.note,
    'must say briefly how the council is adopting it',
  );
  return [
    {
      type: 'LearningAdopted',
      data: { itemId: state.itemId, adoptingAreaCode: command.adoptingAreaCode, note, on: command.today },
    },
  ];
}

/** Checks and normalises the content fields present (all of them for a draft; the changed ones for a revision). */
function checkContent(
  content: Partial<LearningContent>,
  facts: { areaCode: string; themeCatalogue: ThemeCatalogue; actions: ActionFacts },
): Partial<LearningContent> {
  const out: Record<string, unknown> = {};
  if (content.type !== undefined) {
    if (!(LEARNING_TYPES as readonly string[]).includes(content.type)) {
      throw BadUserInputError.field('type', `must be one of ${LEARNING_TYPES.join(', ')}`);
    }
    out.type = content.type;
  }
  if (content.title !== undefined) {
    const title = requiredText('title', content.title, LEARNING_LIMITS.title);
    if (LINE_BREAKS_OR_TABS.test(title))
      throw BadUserInputError.field('title', 'must be one line (no line breaks or tabs)');
    out.title = title;
  }
  if (content.summary !== undefined)
    out.summary = requiredText('summary', content.summary, LEARNING_LIMITS.summary);
  if (content.body !== undefined) out.body = requiredText('body', content.body, LEARNING_LIMITS.body);
  if (content.themes !== undefined) {
    checkThemes(facts.themeCatalogue, content.themes, 'themes');
    out.themes = [...content.themes];
  }
  if (content.actionIds !== undefined)
    out.actionIds = checkActions(content.actionIds, facts.areaCode, facts.actions);
  if (content.indicatorCodes !== undefined) out.indicatorCodes = checkIndicatorCodes(content.indicatorCodes);
  if (content.evidenceLinks !== undefined) out.evidenceLinks = checkEvidenceLinks(content.evidenceLinks);
  return out as Partial<LearningContent>;
}

function requiredText(field: string, value: string, max: number, blankMessage = 'must not be blank'): string {
  const text = value.trim();
  if (text.length === 0) throw BadUserInputError.field(field, blankMessage);
  if (text.length > max)
    throw BadUserInputError.field(field, `must be at most ${max} characters (it is ${text.length})`);
  if (CONTROL_CHARACTERS.test(text))
    throw BadUserInputError.field(field, 'must not contain control characters');
  return text;
}

function optionalText(field: string, value: string | undefined, max: number): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return requiredText(field, value, max);
}

function checkActions(ids: readonly string[], areaCode: string, actions: ActionFacts): string[] {
  if (ids.length > LEARNING_LIMITS.actionIds) {
    throw BadUserInputError.field('actionIds', `must link at most ${LEARNING_LIMITS.actionIds} actions`);
  }
  const out: string[] = [];
  for (const raw of ids) {
    if (!UUID.test(raw)) throw BadUserInputError.field('actionIds', `"${raw}" is not an action id (a UUID)`);
    const id = raw.toLowerCase();
    if (out.includes(id)) throw BadUserInputError.field('actionIds', `must not repeat an action (${id})`);
    const action = actions.get(id);
    if (!action?.exists) throw BadUserInputError.field('actionIds', `there is no action ${id}`);
    if (action.areaCode !== areaCode) {
      throw BadUserInputError.field(
        'actionIds',
        `action ${id} belongs to ${action.areaCode}, not to ${areaCode}`,
      );
    }
    out.push(id);
  }
  return out;
}

function checkIndicatorCodes(codes: readonly string[]): string[] {
  if (codes.length > LEARNING_LIMITS.indicatorCodes) {
    throw BadUserInputError.field(
      'indicatorCodes',
      `must name at most ${LEARNING_LIMITS.indicatorCodes} indicators`,
    );
  }
  for (const code of codes) {
    if (!INDICATOR_CODE.test(code)) {
      throw BadUserInputError.field(
        'indicatorCodes',
        `"${code}" is not an indicator code such as ESOL_ENROLMENTS`,
      );
    }
  }
  if (new Set(codes).size !== codes.length)
    throw BadUserInputError.field('indicatorCodes', 'must not repeat an indicator');
  return [...codes];
}

function checkEvidenceLinks(links: readonly EvidenceLink[]): EvidenceLink[] {
  if (links.length > LEARNING_LIMITS.evidenceLinks) {
    throw BadUserInputError.field(
      'evidenceLinks',
      `must have at most ${LEARNING_LIMITS.evidenceLinks} links`,
    );
  }
  const seen = new Set<string>();
  return links.map((link, i) => {
    const title = requiredText(`evidenceLinks.${i}.title`, link.title, LEARNING_LIMITS.evidenceTitle);
    const url = checkUrl(`evidenceLinks.${i}.url`, link.url);
    if (seen.has(url)) throw BadUserInputError.field(`evidenceLinks.${i}.url`, 'repeats an earlier link');
    seen.add(url);
    return { title, url };
  });
}

/** An absolute http(s) URL (so it has a host), no spaces and no embedded credentials. Returned as written (trimmed). */
export function checkUrl(field: string, value: string): string {
  const url = value.trim();
  if (url.length > LEARNING_LIMITS.url) {
    throw BadUserInputError.field(field, `must be at most ${LEARNING_LIMITS.url} characters`);
  }
  if (/\s/.test(url)) throw BadUserInputError.field(field, 'must not contain spaces');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw BadUserInputError.field(field, `must be an absolute http or https URL, got "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw BadUserInputError.field(
      field,
      `must be an http or https URL, not ${parsed.protocol.replace(/:$/, '')}`,
    );
  }
  if (parsed.username || parsed.password)
    throw BadUserInputError.field(field, 'must not contain a user name or password');
  return url;
}

/** Whether someone may see an item: CENTRAL and PILOT users any item, everyone else published ones only. */
export function mayReadItem(role: string | undefined, item: { readonly status: LearningStatus }): boolean {
  return role === 'CENTRAL' || role === 'PILOT' || item.status === 'PUBLISHED';
}
