import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ThemeCatalogueHandler } from './commands/theme.commands.js';
import { ThemeResolver } from './graphql/theme.graphql.js';
import {
  CreateThemes1732500002000,
  ThemesHistory1732500010200,
  ThemesProjection,
} from './projections/themes.projection.js';
import { ThemesSeed } from './themes.seed.js';

export const THEMES_MIGRATIONS = [CreateThemes1732500002000, ThemesHistory1732500010200];

@Module({
  imports: [CqrsModule],
  providers: [ThemeCatalogueHandler, ThemesProjection, ThemeResolver, ThemesSeed],
})
export class ThemesModule {}
