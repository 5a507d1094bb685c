/**
 * What other contexts' domain code may use from the themes context: plain TypeScript, as their domain is.
 * Every other layer uses ../public-api.ts, which re-exports this beside what needs the event store.
 */
export {
  DEFAULT_THEMES,
  THEME_CATALOGUE_STREAM,
  THEME_CODE,
  checkThemes,
  themeDecider,
  type ThemeCatalogue,
} from './theme.js';
