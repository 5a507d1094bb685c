import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ThemeCatalogueHandler } from './commands/theme.commands.js';
import { ThemeResolver } from './graphql/theme.graphql.js';
import {
  CreateThemes1732500002000,
  THEMES_TABLE,
  ThemesHistory1732500010200,
  ThemesProjection,
} from './projections/themes.projection.js';
import { currentVersionsMigration } from '@iap/projections';
import { ThemesSeed } from './themes.seed.js';

export const THEMES_MIGRATIONS = [
  CreateThemes1732500002000,
  ThemesHistory1732500010200,
  currentVersionsMigration('ThemesCurrentVersions1732500011200', [THEMES_TABLE]),
];

@Module({
  imports: [CqrsModule],
  providers: [ThemeCatalogueHandler, ThemesProjection, ThemeResolver, ThemesSeed],
})
export class ThemesModule {}
