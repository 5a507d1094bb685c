import { Inject } from '@nestjs/common';
import { Clock } from '../../shared/clock.js';
import { todayInEngland } from '../../shared/periods.js';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore, type HandleResult, fold, loadStream } from '@iap/event-store';
import { loadArea } from '../../areas/public-api.js';
import { loadReturns } from '../../outcomes/public-api.js';
import { decideAndAppend } from '../../shared/commands.js';
import { loadThemeCatalogue } from '../../themes/public-api.js';
import { type ActionCommand, type ActionState, actionDecider, actionStream } from '../domain/action.js';
import { ActionLifecycleCommand, type ActionRequest } from './action.command.js';

@CommandHandler(ActionLifecycleCommand)
export class ActionCommandHandler implements ICommandHandler<
  ActionLifecycleCommand,
  HandleResult<ActionState>
> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ request, envelope }: ActionLifecycleCommand): Promise<HandleResult<ActionState>> {
    const streamId = actionStream(request.actionId);
    const state = fold(actionDecider, await loadStream(this.store, streamId));
    const command = await this.withFacts(request, state);
    return decideAndAppend(this.store, streamId, actionDecider, command, envelope, request);
  }

  private async withFacts(request: ActionRequest, state: ActionState): Promise<ActionCommand> {
    switch (request.type) {
      case 'PlanAction':
        return {
          ...request,
          area: await loadArea(this.store, request.areaCode),
          themeCatalogue: await loadThemeCatalogue(this.store),
        };
      case 'ReviseAction':
        return {
          ...request,
          area: state.exists ? await loadArea(this.store, state.areaCode) : { registered: false },
          themeCatalogue: await loadThemeCatalogue(this.store),
        };
      default: {
        const today = todayInEngland(this.clock.now());
        // The area's returns, for the period lock (no area: the decider refuses the unknown action first).
        const returns = state.exists ? await loadReturns(this.store, state.areaCode) : new Map();
        return { ...request, on: request.on ?? today, today, returns };
      }
    }
  }
}
