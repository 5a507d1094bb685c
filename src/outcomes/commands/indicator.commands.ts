import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore, type HandleResult, fold, loadStream } from '@iap/event-store';
import { decideAndAppend } from '../../shared/commands.js';
import { loadThemeCatalogue } from '../../themes/public-api.js';
import {
  INDICATOR_CATALOGUE_STREAM,
  type IndicatorCatalogue,
  type IndicatorCommand,
  indicatorDecider,
} from '../domain/indicator.js';
import { IndicatorCatalogueCommand } from './indicator.command.js';

@CommandHandler(IndicatorCatalogueCommand)
export class IndicatorCatalogueHandler implements ICommandHandler<
  IndicatorCatalogueCommand,
  HandleResult<IndicatorCatalogue>
> {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async execute({ request, envelope }: IndicatorCatalogueCommand): Promise<HandleResult<IndicatorCatalogue>> {
    const command: IndicatorCommand =
      request.type === 'RetireIndicator'
        ? request
        : { ...request, themes: await loadThemeCatalogue(this.store) };
    return decideAndAppend(
      this.store,
      INDICATOR_CATALOGUE_STREAM,
      indicatorDecider,
      command,
      envelope,
      request,
    );
  }
}

/** The current catalogue from its stream (strongly consistent: for validating other commands). */
export async function loadIndicatorCatalogue(store: EventStore): Promise<IndicatorCatalogue> {
  return fold(indicatorDecider, await loadStream(store, INDICATOR_CATALOGUE_STREAM));
}
