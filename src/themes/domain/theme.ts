import { BadUserInputError, ConflictError, NotFoundError } from '@iap/common';
import type { Decider } from '@iap/event-store';

/**
 * The programme's themes: the Integrated Communities Strategy's chapters and the 2012 approach's five
 * integration factors. Reference data kept as events in one catalogue stream, so it is versioned and
 * auditable, never a hard-coded enum.
 */
export const THEME_CATALOGUE_STREAM = 'themes-catalogue';
export const THEME_KINDS = ['STRATEGY_THEME', 'INTEGRATION_FACTOR'] as const;
export type ThemeKind = (typeof THEME_KINDS)[number];
export const THEME_CODE = /^[A-Z][A-Z0-9_]{1,39}$/;

export interface ThemeData {
  readonly code: string;
  readonly name: string;
  readonly kind: ThemeKind;
  readonly description: string;
}

export type ThemeEvent =
  | { type: 'ThemeDefined'; data: ThemeData }
  | { type: 'ThemeRevised'; data: { code: string; name: string; description: string } }
  | { type: 'ThemeRetired'; data: { code: string; reason: string } };

export type ThemeCommand =
  | ({ type: 'DefineTheme' } & ThemeData)
  | { type: 'ReviseTheme'; code: string; name: string; description: string }
  | { type: 'RetireTheme'; code: string; reason: string };

export interface ThemeEntry extends ThemeData {
  readonly retired: boolean;
}
export type ThemeCatalogue = ReadonlyMap<string, ThemeEntry>;

export const themeDecider: Decider<ThemeCatalogue, ThemeCommand, ThemeEvent> = {
  initialState: () => new Map(),
  evolve(state, event) {
    const next = new Map(state);
    switch (event.type) {
      case 'ThemeDefined':
        next.set(event.data.code, { ...event.data, retired: false });
        break;
      case 'ThemeRevised': {
        const t = next.get(event.data.code)!;
        next.set(t.code, { ...t, name: event.data.name, description: event.data.description });
        break;
      }
      case 'ThemeRetired':
        next.set(event.data.code, { ...next.get(event.data.code)!, retired: true });
        break;
    }
    return next;
  },
  decide(command, state) {
    if (!THEME_CODE.test(command.code)) {
      throw BadUserInputError.field(
        'code',
        'must be 2-40 capitals, digits or underscores, starting with a letter',
      );
    }
    const existing = state.get(command.code);
    switch (command.type) {
      case 'DefineTheme':
        if (existing) throw new ConflictError(`Theme ${command.code} is already defined`, { field: 'code' });
        if (!command.name.trim()) throw BadUserInputError.field('name', 'must not be blank');
        return [
          {
            type: 'ThemeDefined',
            data: {
              code: command.code,
              name: command.name.trim(),
              kind: command.kind,
              description: command.description.trim(),
            },
          },
        ];
      case 'ReviseTheme':
        if (!existing) throw new NotFoundError(`No theme ${command.code}`);
        if (!command.name.trim()) throw BadUserInputError.field('name', 'must not be blank');
        return [
          {
            type: 'ThemeRevised',
            data: { code: command.code, name: command.name.trim(), description: command.description.trim() },
          },
        ];
      case 'RetireTheme':
        if (!existing) throw new NotFoundError(`No theme ${command.code}`);
        if (existing.retired) throw new ConflictError(`Theme ${command.code} is already retired`);
        if (!command.reason.trim())
          throw BadUserInputError.field('reason', 'must say why the theme is retired');
        return [{ type: 'ThemeRetired', data: { code: command.code, reason: command.reason.trim() } }];
    }
  },
};

/** Checks theme codes against the catalogue: each must exist and be in use. */
export function checkThemes(catalogue: ThemeCatalogue, codes: readonly string[], field = 'themes'): void {
  if (codes.length === 0) throw BadUserInputError.field(field, 'must name at least one theme');
  for (const code of codes) {
    const t = catalogue.get(code);
    if (!t) throw BadUserInputError.field(field, `"${code}" is not a theme in the catalogue`);
    if (t.retired) throw BadUserInputError.field(field, `theme "${code}" has been retired`);
  }
  if (new Set(codes).size !== codes.length) throw BadUserInputError.field(field, 'must not repeat a theme');
}

/** The catalogue the programme starts with (see DOMAIN.md). */
export const DEFAULT_THEMES: readonly ThemeData[] = [
  {
    code: 'LEADERSHIP',
    kind: 'STRATEGY_THEME',
    name: 'Strengthening leadership',
    description: 'Leaders in every sector championing integration.',
  },
  {
    code: 'MIGRANTS_AND_RESIDENTS',
    kind: 'STRATEGY_THEME',
    name: 'Supporting recent migrants and resident communities',
    description: 'Helping new arrivals and settled residents to get on and take part.',
  },
  {
    code: 'EDUCATION_AND_YOUNG_PEOPLE',
    kind: 'STRATEGY_THEME',
    name: 'Education and young people',
    description: 'School mixing and linking, and preparing young people for life in modern Britain.',
  },
  {
    code: 'ENGLISH_LANGUAGE',
    kind: 'STRATEGY_THEME',
    name: 'Boosting English language',
    description: 'ESOL and other ways to learn and practise English.',
  },
  {
    code: 'PLACES_AND_COMMUNITY',
    kind: 'STRATEGY_THEME',
    name: 'Places and community',
    description: 'Social mixing, community spaces, sport and volunteering.',
  },
  {
    code: 'ECONOMIC_OPPORTUNITY',
    kind: 'STRATEGY_THEME',
    name: 'Increasing economic opportunity',
    description: 'Work, skills and routes into employment.',
  },
  {
    code: 'RIGHTS_AND_FREEDOMS',
    kind: 'STRATEGY_THEME',
    name: 'Rights and freedoms',
    description: 'Tackling hate crime and the factors that hold integration back.',
  },
  {
    code: 'COMMON_GROUND',
    kind: 'INTEGRATION_FACTOR',
    name: 'Common ground',
    description: 'Shared aspirations and values.',
  },
  {
    code: 'RESPONSIBILITY',
    kind: 'INTEGRATION_FACTOR',
    name: 'Responsibility',
    description: 'Mutual commitment and obligation.',
  },
  {
    code: 'SOCIAL_MOBILITY',
    kind: 'INTEGRATION_FACTOR',
    name: 'Social mobility',
    description: 'People able to realise their potential.',
  },
  {
    code: 'PARTICIPATION_AND_EMPOWERMENT',
    kind: 'INTEGRATION_FACTOR',
    name: 'Participation and empowerment',
    description: 'People of all backgrounds take part, are heard and take decisions.',
  },
  {
    code: 'TACKLING_INTOLERANCE_AND_EXTREMISM',
    kind: 'INTEGRATION_FACTOR',
    name: 'Tackling intolerance and extremism',
    description: 'Standing up to prejudice, hatred and extremism.',
  },
];
