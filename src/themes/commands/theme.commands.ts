import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore, type HandleResult, fold, loadStream } from '@iap/event-store';
import { type CommandEnvelope, decideAndAppend } from '../../shared/commands.js';
import {
  THEME_CATALOGUE_STREAM,
  type ThemeCatalogue,
  type ThemeCommand,
  themeDecider,
} from '../domain/theme.js';

/** Any command on the theme catalogue (one handler per aggregate; the domain command says which). */
export class ThemeCatalogueCommand {
  constructor(
    readonly command: ThemeCommand,
    readonly envelope: CommandEnvelope,
  ) {}
}

@CommandHandler(ThemeCatalogueCommand)
export class ThemeCatalogueHandler implements ICommandHandler<
  ThemeCatalogueCommand,
  HandleResult<ThemeCatalogue>
> {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  execute({ command, envelope }: ThemeCatalogueCommand): Promise<HandleResult<ThemeCatalogue>> {
    return decideAndAppend(this.store, THEME_CATALOGUE_STREAM, themeDecider, command, envelope);
  }
}

/** The current catalogue, read from its stream (strongly consistent: for validating other commands). */
export async function loadThemeCatalogue(store: EventStore): Promise<ThemeCatalogue> {
  return fold(themeDecider, await loadStream(store, THEME_CATALOGUE_STREAM));
}
