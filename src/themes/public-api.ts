/** What other contexts may use from the themes context. */
export { loadThemeCatalogue } from './commands/theme.commands.js';
export { checkThemes, type ThemeCatalogue } from './domain/theme.js';
