import { describe, expect, it } from '@jest/globals';
import { refusal } from '@iap/common/testing';
import { deciderSpecification } from '@iap/event-store/testing';
import { DEFAULT_THEMES, type ThemeCommand, type ThemeEvent, checkThemes, themeDecider } from './theme.js';

const given = deciderSpecification(themeDecider);
const defined: ThemeEvent = { type: 'ThemeDefined', data: DEFAULT_THEMES[0] };
const retiredEvent: ThemeEvent = { type: 'ThemeRetired', data: { code: 'LEADERSHIP', reason: 'x' } };

describe('theme catalogue', () => {
  it('defines, revises and retires themes', () => {
    const define: ThemeCommand = { type: 'DefineTheme', ...DEFAULT_THEMES[0] };
    given([]).when(define).then([defined]);
    given([defined])
      .when({ type: 'ReviseTheme', code: 'LEADERSHIP', name: 'Leadership', description: 'd' })
      .then([{ type: 'ThemeRevised', data: { code: 'LEADERSHIP', name: 'Leadership', description: 'd' } }]);
    given([defined])
      .when({ type: 'RetireTheme', code: 'LEADERSHIP', reason: 'merged' })
      .then([{ type: 'ThemeRetired', data: { code: 'LEADERSHIP', reason: 'merged' } }]);
  });

  it('refuses duplicates, unknown themes and a second retirement', () => {
    given([defined])
      .when({ type: 'DefineTheme', ...DEFAULT_THEMES[0] })
      .thenThrows(refusal('CONFLICT'));
    given([]).when({ type: 'RetireTheme', code: 'NOPE', reason: 'x' }).thenThrows(refusal('NOT_FOUND'));
    given([defined, retiredEvent])
      .when({ type: 'RetireTheme', code: 'LEADERSHIP', reason: 'x' })
      .thenThrows(refusal('CONFLICT'));
    given([])
      .when({ type: 'DefineTheme', ...DEFAULT_THEMES[1], code: 'bad code' })
      .thenThrows(refusal('BAD_USER_INPUT'));
  });

  it('checks tags against the catalogue: known, in use, not repeated, at least one', () => {
    const cat = given([defined, { type: 'ThemeDefined', data: DEFAULT_THEMES[7] }]).state;
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
