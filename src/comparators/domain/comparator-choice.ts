import { BadUserInputError, ONS_LOCAL_AUTHORITY_CODE, ONS_LOCAL_AUTHORITY_CODE_MESSAGE } from '@iap/common';
import type { Decider } from '@iap/event-store';
import { INDICATOR_CODE } from '../../outcomes/domain/public-api.js';
import { type Profile, nearestNeighbours } from './nearest-neighbours.js';

/**
 * The councils each pilot is compared with: its nearest neighbours on chosen characteristics (CIPFA's method, see
 * nearest-neighbours.ts), or councils picked by hand by the central team. One stream per pilot; each choice
 * replaces the one before, with the revision the chooser read.
 */
export const comparatorsStream = (pilotCode: string) => `comparators-${pilotCode}`;

export const CHOICE_METHODS = ['NEAREST_NEIGHBOURS', 'BY_HAND'] as const;
export type ChoiceMethod = (typeof CHOICE_METHODS)[number];

/** CIPFA's model gives each council its 15 nearest neighbours: the default here too. */
export const DEFAULT_NEIGHBOURS = 15;
export const MAX_COMPARATORS = 30;
export const MAX_CHARACTERISTICS = 10;

export interface Comparator {
  readonly areaCode: string;
  readonly areaName: string;
  /** Standardised Euclidean distance from the pilot (nearest neighbours only). */
  readonly distance: number | null;
}

export interface ComparatorsChosenData {
  readonly pilotCode: string;
  readonly method: ChoiceMethod;
  /** Indicator codes whose values at `period` placed the councils (nearest neighbours only). */
  readonly characteristics: readonly string[];
  readonly period: string | null;
  readonly comparators: readonly Comparator[];
  readonly reason: string;
}

export type ComparatorsEvent = { type: 'ComparatorsChosen'; data: ComparatorsChosenData };

/** What the handler looks up for a choice: the pilot, the councils with public data, their characteristics. */
export interface ChoiceFacts {
  /** Whether `pilotCode` is registered as a pilot area. */
  readonly isPilot: boolean;
  /** Every pilot's code: pilots are never another pilot's comparators (they are treated too). */
  readonly pilots: ReadonlySet<string>;
  /** Councils with public indicator values, by code, with their names. */
  readonly councils: ReadonlyMap<string, string>;
  /** Each council's value of each chosen characteristic at `period`: council → indicator → value. */
  readonly characteristicValues: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

export type ComparatorsCommand = {
  readonly type: 'ChooseComparators';
  readonly pilotCode: string;
  readonly method: ChoiceMethod;
  readonly characteristics: readonly string[];
  readonly period: string | null;
  readonly count: number;
  readonly areaCodes: readonly string[];
  readonly reason: string;
  readonly facts: ChoiceFacts;
};

export interface ComparatorsState {
  readonly choice: ComparatorsChosenData | null;
}

function sameChoice(a: ComparatorsChosenData | null, b: ComparatorsChosenData): boolean {
  return a !== null && JSON.stringify(a) === JSON.stringify(b);
}

export const comparatorsDecider: Decider<ComparatorsState, ComparatorsCommand, ComparatorsEvent> = {
  initialState: () => ({ choice: null }),
  evolve: (_state, event) => ({ choice: event.data }),
  decide(command, state) {
    const { facts } = command;
    if (!facts.isPilot)
      throw BadUserInputError.field('pilotCode', `${command.pilotCode} is not a pilot area`);
    const reason = command.reason.trim();
    if (reason.length > 2000) throw BadUserInputError.field('reason', 'must be at most 2000 characters');
    const data =
      command.method === 'BY_HAND' ? byHand(command, reason) : byNearestNeighbours(command, reason);
    return sameChoice(state.choice, data) ? [] : [{ type: 'ComparatorsChosen', data }];
  },
};

function byHand(command: ComparatorsCommand, reason: string): ComparatorsChosenData {
  const { facts, areaCodes } = command;
  if (areaCodes.length === 0) throw BadUserInputError.field('areaCodes', 'must name at least one council');
  if (areaCodes.length > MAX_COMPARATORS)
    throw BadUserInputError.field('areaCodes', `must name at most ${MAX_COMPARATORS} councils`);
  if (new Set(areaCodes).size !== areaCodes.length)
    throw BadUserInputError.field('areaCodes', 'must not name a council twice');
  for (const code of areaCodes) {
    if (!ONS_LOCAL_AUTHORITY_CODE.test(code))
      throw BadUserInputError.field('areaCodes', `"${code}" ${ONS_LOCAL_AUTHORITY_CODE_MESSAGE}`);
    if (code === command.pilotCode)
      throw BadUserInputError.field('areaCodes', 'must not include the pilot itself');
    if (facts.pilots.has(code))
      throw BadUserInputError.field('areaCodes', `${code} is a pilot area too, so it cannot be a comparator`);
    if (!facts.councils.has(code))
      throw BadUserInputError.field('areaCodes', `${code} has no public indicator values: import them first`);
  }
  return {
    pilotCode: command.pilotCode,
    method: 'BY_HAND',
    characteristics: [],
    period: null,
    comparators: areaCodes.map((code) => ({
      areaCode: code,
      areaName: facts.councils.get(code)!,
      distance: null,
    })),
    reason,
  };
}

function byNearestNeighbours(command: ComparatorsCommand, reason: string): ComparatorsChosenData {
  const { facts, characteristics, pilotCode } = command;
  if (characteristics.length === 0)
    throw BadUserInputError.field('characteristics', 'must name at least one characteristic');
  if (characteristics.length > MAX_CHARACTERISTICS)
    throw BadUserInputError.field('characteristics', `must name at most ${MAX_CHARACTERISTICS}`);
  if (new Set(characteristics).size !== characteristics.length)
    throw BadUserInputError.field('characteristics', 'must not name a characteristic twice');
  for (const c of characteristics)
    if (!INDICATOR_CODE.test(c))
      throw BadUserInputError.field('characteristics', `"${c}" is not an indicator code`);
  if (!command.period)
    throw BadUserInputError.field('period', 'must say which period the characteristics are of');
  if (!Number.isInteger(command.count) || command.count < 1 || command.count > MAX_COMPARATORS)
    throw BadUserInputError.field('count', `must be a whole number from 1 to ${MAX_COMPARATORS}`);
  const profileOf = (code: string): Profile | null => {
    const values = facts.characteristicValues.get(code);
    const list = characteristics.map((c) => values?.get(c));
    return list.every((v) => v !== undefined) ? { areaCode: code, values: list as number[] } : null;
  };
  const mine = profileOf(pilotCode);
  if (!mine) {
    const values = facts.characteristicValues.get(pilotCode);
    const lacking = characteristics.filter((c) => values?.get(c) === undefined);
    throw BadUserInputError.field(
      'characteristics',
      `${pilotCode} has no ${command.period} value of ${lacking.join(', ')}: choose other characteristics or another period`,
    );
  }
  // Standardised over every council with all the characteristics (the pilots included); other pilots never chosen.
  const profiles = [...facts.characteristicValues.keys()]
    .map(profileOf)
    .filter((p): p is Profile => p !== null);
  const candidates = new Set(
    profiles.map((p) => p.areaCode).filter((c) => c !== pilotCode && !facts.pilots.has(c)),
  );
  if (candidates.size === 0)
    throw BadUserInputError.field(
      'characteristics',
      `no council other than the pilots has ${command.period} values of all of ${characteristics.join(', ')}`,
    );
  const { neighbours, constant } = nearestNeighbours(pilotCode, profiles, candidates, command.count);
  if (constant.length > 0)
    throw BadUserInputError.field(
      'characteristics',
      `${characteristics[constant[0]]} has the same ${command.period} value for every council, so it cannot tell councils apart`,
    );
  return {
    pilotCode,
    method: 'NEAREST_NEIGHBOURS',
    characteristics: [...characteristics],
    period: command.period,
    comparators: neighbours.map((n) => ({
      areaCode: n.areaCode,
      areaName: facts.councils.get(n.areaCode) ?? n.areaCode,
      distance: Math.round(n.distance * 1e6) / 1e6,
    })),
    reason,
  };
}
