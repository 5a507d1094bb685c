import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ThemeCatalogueHandler } from './commands/theme.commands.js';
import { ThemeResolver } from './graphql/theme.resolver.js';
import { ThemesProjection } from './projections/themes.projection.js';
import { ThemesSeed } from './themes.seed.js';

@Module({
  imports: [CqrsModule],
  providers: [ThemeCatalogueHandler, ThemesProjection, ThemeResolver, ThemesSeed],
})
export class ThemesModule {}
