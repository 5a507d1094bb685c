/** What other contexts may use from the themes context (their domain code: ./domain/public-api.ts). */
export { loadThemeCatalogue } from './commands/theme.commands.js';
export {
  DEFAULT_THEMES,
  THEME_CATALOGUE_STREAM,
  THEME_CODE,
  checkThemes,
  themeDecider,
  type ThemeCatalogue,
} from './domain/public-api.js';
