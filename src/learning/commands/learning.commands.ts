import { Inject } from '@nestjs/common';
import { ONS_LOCAL_AUTHORITY_CODE, UUID } from '@iap/common';
import { Clock } from '../../shared/clock.js';
import { todayInEngland } from '../../shared/periods.js';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore, type HandleResult } from '@iap/event-store';
import { loadArea } from '../../areas/public-api.js';
import { loadActionSummary } from '../../delivery/public-api.js';
import { decideAndAppend } from '../../shared/commands.js';
import { loadThemeCatalogue } from '../../themes/public-api.js';
import {
  type ActionFacts,
  type AreaFacts,
  LEARNING_LIMITS,
  type LearningCommand,
  type LearningState,
  learningDecider,
  learningStream,
} from '../domain/learning.js';
import { LearningItemCommand, type LearningRequest } from './learning.command.js';

@CommandHandler(LearningItemCommand)
export class LearningCommandHandler implements ICommandHandler<
  LearningItemCommand,
  HandleResult<LearningState>
> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ request, envelope }: LearningItemCommand): Promise<HandleResult<LearningState>> {
    const command = await this.withFacts(request);
    return decideAndAppend(
      this.store,
      learningStream(request.itemId),
      learningDecider,
      command,
      envelope,
      request,
    );
  }

  /** Loads, through the other contexts' public APIs, the facts the decider needs. */
  private async withFacts(request: LearningRequest): Promise<LearningCommand> {
    switch (request.type) {
      case 'DraftLearning':
        return {
          ...request,
          area: await this.area(request.areaCode),
          themeCatalogue: await loadThemeCatalogue(this.store),
          actions: await this.actions(request.content.actionIds),
        };
      case 'ReviseLearning':
        return {
          ...request,
          themeCatalogue: request.changes.themes ? await loadThemeCatalogue(this.store) : new Map(),
          actions: await this.actions(request.changes.actionIds ?? []),
        };
      case 'PublishLearning':
        return { ...request, today: todayInEngland(this.clock.now()) };
      case 'RetractLearning':
        return request;
      case 'AdoptLearning':
        return {
          ...request,
          adoptingArea: await this.area(request.adoptingAreaCode),
          today: todayInEngland(this.clock.now()),
        };
    }
  }

  private async area(code: string): Promise<AreaFacts> {
    // A malformed code is refused by the decider, naming the field; it is not looked up.
    return ONS_LOCAL_AUTHORITY_CODE.test(code) ? loadArea(this.store, code) : { registered: false };
  }

  private async actions(ids: readonly string[]): Promise<ActionFacts> {
    const facts = new Map<string, { exists: false } | { exists: true; areaCode: string }>();
    // Too many, or malformed, ids are refused by the decider: no need to look them up.
    if (ids.length > LEARNING_LIMITS.actionIds) return facts;
    for (const id of new Set(ids.filter((i) => UUID.test(i)).map((i) => i.toLowerCase()))) {
      const action = await loadActionSummary(this.store, id);
      facts.set(id, action.exists ? { exists: true, areaCode: action.areaCode } : { exists: false });
    }
    return facts;
  }
}
