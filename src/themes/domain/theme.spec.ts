import { describe, expect, it } from '@jest/globals';
import { AppError } from '@iap/common';
import { DEFAULT_THEMES, type ThemeCommand, type ThemeEvent, checkThemes, themeDecider } from './theme.js';

const given = (events: ThemeEvent[]) => events.reduce(themeDecider.evolve, themeDecider.initialState);
const defined: ThemeEvent = { type: 'ThemeDefined', data: DEFAULT_THEMES[0] };

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as AppError).code;
  }
  return undefined;
}

describe('theme catalogue', () => {
  it('defines, revises and retires themes', () => {
    const define: ThemeCommand = { type: 'DefineTheme', ...DEFAULT_THEMES[0] };
    expect(themeDecider.decide(define, given([]))).toEqual([defined]);
    expect(
      themeDecider.decide(
        { type: 'ReviseTheme', code: 'LEADERSHIP', name: 'Leadership', description: 'd' },
        given([defined]),
      ),
    ).toEqual([{ type: 'ThemeRevised', data: { code: 'LEADERSHIP', name: 'Leadership', description: 'd' } }]);
    expect(
      themeDecider.decide({ type: 'RetireTheme', code: 'LEADERSHIP', reason: 'merged' }, given([defined])),
    ).toEqual([{ type: 'ThemeRetired', data: { code: 'LEADERSHIP', reason: 'merged' } }]);
  });

  it('refuses duplicates, unknown themes and a second retirement', () => {
    expect(
      code(() => themeDecider.decide({ type: 'DefineTheme', ...DEFAULT_THEMES[0] }, given([defined]))),
    ).toBe('CONFLICT');
    expect(
      code(() => themeDecider.decide({ type: 'RetireTheme', code: 'NOPE', reason: 'x' }, given([]))),
    ).toBe('NOT_FOUND');
    const retired = given([defined, { type: 'ThemeRetired', data: { code: 'LEADERSHIP', reason: 'x' } }]);
    expect(
      code(() => themeDecider.decide({ type: 'RetireTheme', code: 'LEADERSHIP', reason: 'x' }, retired)),
    ).toBe('CONFLICT');
    expect(
      code(() =>
        themeDecider.decide({ type: 'DefineTheme', ...DEFAULT_THEMES[1], code: 'bad code' }, given([])),
      ),
    ).toBe('BAD_USER_INPUT');
  });

  it('checks tags against the catalogue: known, in use, not repeated, at least one', () => {
    const cat = given([defined, { type: 'ThemeDefined', data: DEFAULT_THEMES[7] }]);
    expect(() => checkThemes(cat, ['LEADERSHIP', 'COMMON_GROUND'])).not.toThrow();
    expect(() => checkThemes(cat, [])).toThrow('at least one');
    expect(() => checkThemes(cat, ['UNKNOWN'])).toThrow('not a theme');
    expect(() => checkThemes(cat, ['LEADERSHIP', 'LEADERSHIP'])).toThrow('repeat');
    const retired = themeDecider.evolve(cat, {
      type: 'ThemeRetired',
      data: { code: 'LEADERSHIP', reason: 'x' },
    });
    expect(() => checkThemes(retired, ['LEADERSHIP'])).toThrow('retired');
  });
});
