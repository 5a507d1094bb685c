import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore, type HandleResult } from '@iap/event-store';
import { loadArea } from '../../areas/public-api.js';
import { loadActionSummary } from '../../delivery/public-api.js';
import { loadReturns } from '../../outcomes/public-api.js';
import { Clock } from '../../shared/clock.js';
import { decideAndAppend } from '../../shared/commands.js';
import { todayInEngland } from '../../shared/periods.js';
import {
  type ActionFacts,
  type AreaFacts,
  type FundingCommand,
  type FundingState,
  fundingDecider,
  fundingStreamId,
} from '../domain/funding.js';
import { AreaFundingCommand, type FundingRequest } from './funding.command.js';

@CommandHandler(AreaFundingCommand)
export class FundingCommandHandler implements ICommandHandler<
  AreaFundingCommand,
  HandleResult<FundingState>
> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ command, envelope }: AreaFundingCommand): Promise<HandleResult<FundingState>> {
    const full = await this.withFacts(command);
    return decideAndAppend(
      this.store,
      fundingStreamId(command.areaCode),
      fundingDecider,
      full,
      envelope,
      command,
    );
  }

  /** Loads what the decider needs from the areas, delivery and outcomes contexts. */
  private async withFacts(command: FundingRequest): Promise<FundingCommand> {
    switch (command.type) {
      case 'AllocateGrant':
        return {
          ...command,
          today: todayInEngland(this.clock.now()),
          area: await this.areaFacts(command.areaCode),
        };
      case 'CommitFunds':
        return { ...command, action: await this.actionFacts(command.actionId) };
      case 'RecordMatchFunding': {
        const area = await loadArea(this.store, command.areaCode);
        const partner = area.registered ? area.partners.get(command.partnerId) : undefined;
        return {
          ...command,
          area: area.registered ? { registered: true, kind: area.kind } : { registered: false },
          partner: partner ? { name: partner.name } : null,
          action: command.actionId === null ? null : await this.actionFacts(command.actionId),
        };
      }
      case 'ReportSpend':
      case 'CorrectSpend':
        // For the period lock: a quarter whose return is submitted or approved is locked.
        return { ...command, returns: await loadReturns(this.store, command.areaCode) };
      default:
        return command;
    }
  }

  private async areaFacts(code: string): Promise<AreaFacts> {
    const area = await loadArea(this.store, code);
    return area.registered ? { registered: true, kind: area.kind } : { registered: false };
  }

  private async actionFacts(actionId: string): Promise<ActionFacts> {
    const action = await loadActionSummary(this.store, actionId);
    return action.exists
      ? { exists: true, areaCode: action.areaCode, status: action.status, title: action.title }
      : { exists: false };
  }
}
