import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore, type HandleResult } from '@iap/event-store';
import { loadArea } from '../../areas/public-api.js';
import { decideAndAppend } from '../../shared/commands.js';
import { loadReturns } from '../public-api.js';
import {
  type AreaOutcomes,
  type OutcomeCommand,
  outcomesDecider,
  outcomesStream,
} from '../domain/area-outcomes.js';
import { loadIndicatorCatalogue } from './indicator.commands.js';
import { AreaOutcomesCommand } from './area-outcomes.command.js';

/**
 * Loads the facts the decider needs from elsewhere (the area from the areas context, the indicator
 * catalogue, the area's periodic returns for the period lock) and runs the command on the area's stream.
 */
@CommandHandler(AreaOutcomesCommand)
export class AreaOutcomesHandler implements ICommandHandler<AreaOutcomesCommand, HandleResult<AreaOutcomes>> {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async execute({ request, envelope }: AreaOutcomesCommand): Promise<HandleResult<AreaOutcomes>> {
    const [area, indicators, returns] = await Promise.all([
      loadArea(this.store, request.areaCode),
      loadIndicatorCatalogue(this.store),
      loadReturns(this.store, request.areaCode),
    ]);
    const command = { ...request, facts: { area, indicators, returns } } as OutcomeCommand;
    return decideAndAppend(
      this.store,
      outcomesStream(request.areaCode),
      outcomesDecider,
      command,
      envelope,
      request,
    );
  }
}
