import { BadUserInputError, ConflictError, NotFoundError } from '@iap/common';
import type { Decider } from '@iap/event-store';

/**
 * The indicator catalogue: what the programme measures. Each indicator has a unit, a direction (is a higher
 * value better or worse?), a strategy theme, an Indicators of Integration domain (Home Office, 2019), and
 * optionally one of the 2012 integration factors. Reference data kept as events in one stream.
 */
export const INDICATOR_CATALOGUE_STREAM = 'indicator-catalogue';

export const INDICATOR_CODE = /^[A-Z][A-Z0-9_]{1,39}$/;
export const INDICATOR_CODE_MESSAGE =
  'must be 2-40 capitals, digits or underscores starting with a letter, such as ESOL_ENROLMENTS';

export const UNITS = ['COUNT', 'PERCENTAGE', 'RATE_PER_1000', 'POUNDS'] as const;
export type Unit = (typeof UNITS)[number];

export const DIRECTIONS = ['HIGHER_IS_BETTER', 'LOWER_IS_BETTER'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** The 14 domains of the Home Office Indicators of Integration framework (2019). */
export const INTEGRATION_DOMAINS = [
  'WORK',
  'HOUSING',
  'EDUCATION',
  'HEALTH_AND_SOCIAL_CARE',
  'LEISURE',
  'SOCIAL_BONDS',
  'SOCIAL_BRIDGES',
  'SOCIAL_LINKS',
  'LANGUAGE_AND_COMMUNICATION',
  'CULTURE',
  'DIGITAL_SKILLS',
  'SAFETY',
  'STABILITY',
  'RIGHTS_AND_RESPONSIBILITIES',
] as const;
export type IntegrationDomain = (typeof INTEGRATION_DOMAINS)[number];

/** Units whose incremental values add up to a meaningful cumulative figure. */
export function isAdditive(unit: Unit): boolean {
  return unit === 'COUNT' || unit === 'POUNDS';
}

/**
 * Checks a value (baseline, target or measurement) against the indicator's unit: counts are whole and not
 * negative, percentages lie between 0 and 100, rates per 1,000 are not negative, money is whole pence.
 */
export function checkValue(unit: Unit, value: number, field = 'value'): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw BadUserInputError.field(field, 'must be a number');
  switch (unit) {
    case 'COUNT':
      if (!Number.isSafeInteger(value))
        throw BadUserInputError.field(field, 'must be a whole number (the unit is a count)');
      if (value < 0) throw BadUserInputError.field(field, 'must not be negative (the unit is a count)');
      break;
    case 'PERCENTAGE':
      if (value < 0 || value > 100)
        throw BadUserInputError.field(field, 'must be between 0 and 100 (the unit is a percentage)');
      break;
    case 'RATE_PER_1000':
      if (value < 0)
        throw BadUserInputError.field(field, 'must not be negative (the unit is a rate per 1,000)');
      break;
    case 'POUNDS':
      if (!Number.isSafeInteger(value))
        throw BadUserInputError.field(field, 'must be a whole number of pence (the unit is money)');
      if (value < 0) throw BadUserInputError.field(field, 'must not be negative (the unit is money)');
      break;
  }
  return value;
}

/** What the handler passes in from the theme catalogue (structurally, the themes context's ThemeCatalogue). */
export type ThemeFacts = ReadonlyMap<string, { readonly kind: string; readonly retired: boolean }>;

export interface IndicatorData {
  readonly code: string;
  readonly name: string;
  readonly unit: Unit;
  readonly direction: Direction;
  /** A strategy theme code from the theme catalogue, e.g. ENGLISH_LANGUAGE. */
  readonly theme: string;
  readonly domain: IntegrationDomain;
  /** Optionally, one of the 2012 integration factors (a theme code of kind INTEGRATION_FACTOR). */
  readonly integrationFactor?: string;
  readonly definition: string;
  /** Where the figures come from: a survey, administrative data, programme records. */
  readonly source: string;
}

export type IndicatorRevision = Omit<IndicatorData, 'unit' | 'direction'>;

export type IndicatorEvent =
  | { type: 'IndicatorDefined'; data: IndicatorData }
  | { type: 'IndicatorRevised'; data: IndicatorRevision }
  | { type: 'IndicatorRetired'; data: { code: string; reason: string } };

export type IndicatorCommand =
  | ({ type: 'DefineIndicator'; themes: ThemeFacts } & IndicatorData)
  /** Unit and direction are fixed once defined: measurements already recorded depend on them. */
  | ({ type: 'ReviseIndicator'; themes: ThemeFacts } & IndicatorRevision)
  | { type: 'RetireIndicator'; code: string; reason: string };

export interface IndicatorEntry extends IndicatorData {
  readonly retired: boolean;
}
export type IndicatorCatalogue = ReadonlyMap<string, IndicatorEntry>;

function text(field: string, value: string, max: number, required = true): string {
  const v = (value ?? '').trim();
  if (required && v.length === 0) throw BadUserInputError.field(field, 'must not be blank');
  if (v.length > max) throw BadUserInputError.field(field, `must be at most ${max} characters`);
  return v;
}

function checkTheme(themes: ThemeFacts, code: string, field: string, kind: string, what: string): void {
  const t = themes.get(code);
  if (!t) throw BadUserInputError.field(field, `"${code}" is not a theme in the catalogue`);
  if (t.kind !== kind) throw BadUserInputError.field(field, `"${code}" is not ${what}`);
  if (t.retired) throw BadUserInputError.field(field, `theme "${code}" has been retired`);
}

/** Validates and normalises the descriptive fields shared by definition and revision. */
function described(command: IndicatorRevision & { themes: ThemeFacts }): IndicatorRevision {
  const name = text('name', command.name, 200);
  if (!(INTEGRATION_DOMAINS as readonly string[]).includes(command.domain)) {
    throw BadUserInputError.field(
      'domain',
      `must be one of the Indicators of Integration domains: ${INTEGRATION_DOMAINS.join(', ')}`,
    );
  }
  checkTheme(command.themes, command.theme, 'theme', 'STRATEGY_THEME', 'a strategy theme');
  const factor = command.integrationFactor?.trim() || undefined;
  if (factor)
    checkTheme(
      command.themes,
      factor,
      'integrationFactor',
      'INTEGRATION_FACTOR',
      'one of the 2012 integration factors',
    );
  const definition = text('definition', command.definition, 4000);
  const source = text('source', command.source, 500);
  return {
    code: command.code,
    name,
    theme: command.theme,
    domain: command.domain,
    ...(factor ? { integrationFactor: factor } : {}),
    definition,
    source,
  };
}

export const indicatorDecider: Decider<IndicatorCatalogue, IndicatorCommand, IndicatorEvent> = {
  initialState: () => new Map(),
  evolve(state, event) {
    const next = new Map(state);
    switch (event.type) {
      case 'IndicatorDefined':
        next.set(event.data.code, { ...event.data, retired: false });
        break;
      case 'IndicatorRevised': {
        const { unit, direction, retired } = next.get(event.data.code)!;
        next.set(event.data.code, { ...event.data, unit, direction, retired });
        break;
      }
      case 'IndicatorRetired':
        next.set(event.data.code, { ...next.get(event.data.code)!, retired: true });
        break;
    }
    return next;
  },
  decide(command, state) {
    if (!INDICATOR_CODE.test(command.code)) throw BadUserInputError.field('code', INDICATOR_CODE_MESSAGE);
    const existing = state.get(command.code);
    switch (command.type) {
      case 'DefineIndicator': {
        if (existing)
          throw new ConflictError(`Indicator ${command.code} is already defined`, { field: 'code' });
        if (!(UNITS as readonly string[]).includes(command.unit)) {
          throw BadUserInputError.field('unit', `must be one of ${UNITS.join(', ')}`);
        }
        if (!(DIRECTIONS as readonly string[]).includes(command.direction)) {
          throw BadUserInputError.field('direction', `must be one of ${DIRECTIONS.join(', ')}`);
        }
        const d = described(command);
        return [
          {
            type: 'IndicatorDefined',
            data: {
              code: d.code,
              name: d.name,
              unit: command.unit,
              direction: command.direction,
              theme: d.theme,
              domain: d.domain,
              ...(d.integrationFactor ? { integrationFactor: d.integrationFactor } : {}),
              definition: d.definition,
              source: d.source,
            },
          },
        ];
      }
      case 'ReviseIndicator': {
        if (!existing) throw new NotFoundError(`No indicator ${command.code}`);
        if (existing.retired)
          throw new ConflictError(`Indicator ${command.code} is retired and can no longer be revised`, {
            field: 'code',
          });
        const d = described(command);
        const unchanged =
          d.name === existing.name &&
          d.theme === existing.theme &&
          d.domain === existing.domain &&
          d.integrationFactor === existing.integrationFactor &&
          d.definition === existing.definition &&
          d.source === existing.source;
        return unchanged ? [] : [{ type: 'IndicatorRevised', data: d }];
      }
      case 'RetireIndicator': {
        if (!existing) throw new NotFoundError(`No indicator ${command.code}`);
        if (existing.retired)
          throw new ConflictError(`Indicator ${command.code} is already retired`, { field: 'code' });
        const reason = text('reason', command.reason, 2000);
        return [{ type: 'IndicatorRetired', data: { code: command.code, reason } }];
      }
    }
  },
};
