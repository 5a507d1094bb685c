import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore, type HandleResult } from '@iap/event-store';
import { DataSource } from 'typeorm';
import { loadArea } from '../../areas/public-api.js';
import { actionStatusCountsAtHead } from '../../delivery/public-api.js';
import { loadSpendForQuarter } from '../../funding/public-api.js';
import { decideAndAppend } from '../../shared/commands.js';
import { loadMeasurementCount } from '../public-api.js';
import { Clock } from '../../shared/clock.js';
import { requireFinancialQuarter, todayInEngland } from '../../shared/periods.js';
import {
  type ReturnCommand,
  type ReturnSnapshot,
  type ReturnsState,
  returnDecider,
  returnStream,
} from '../domain/periodic-return.js';
import { PeriodicReturnCommand } from './return.command.js';

@CommandHandler(PeriodicReturnCommand)
export class PeriodicReturnHandler implements ICommandHandler<
  PeriodicReturnCommand,
  HandleResult<ReturnsState>
> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ request, envelope }: PeriodicReturnCommand): Promise<HandleResult<ReturnsState>> {
    let command: ReturnCommand;
    if (request.type === 'SubmitReturn') {
      requireFinancialQuarter('quarter', request.quarter);
      const [area, snapshot] = await Promise.all([
        loadArea(this.store, request.areaCode),
        returnSnapshot(this.store, this.db, request.areaCode, request.quarter),
      ]);
      command = { ...request, snapshot, today: todayInEngland(this.clock.now()), area };
    } else {
      command = request;
    }
    return decideAndAppend(
      this.store,
      returnStream(request.areaCode),
      returnDecider,
      command,
      envelope,
      request,
    );
  }
}

/**
 * What a return reports: the quarter's spend, the area's actions by status, the quarter's measurements. It is
 * kept in the log for good, so it is taken from the events, never from read models that may not have applied
 * the latest ones yet: spend and measurements from the area's funding and outcomes streams, the action counts
 * from the read model moved on by the log's events it has not applied. The submission takes it, and a return's
 * `preview` shows it beforehand ("check your answers").
 */
export async function returnSnapshot(
  store: EventStore,
  db: DataSource,
  areaCode: string,
  quarter: string,
): Promise<ReturnSnapshot> {
  const { start, end } = requireFinancialQuarter('quarter', quarter);
  const [spendPence, actionsByStatus, measurements] = await Promise.all([
    loadSpendForQuarter(store, areaCode, quarter),
    actionStatusCountsAtHead(db, store, areaCode),
    loadMeasurementCount(store, areaCode, start, end),
  ]);
  return { spendPence, measurements, actionsByStatus };
}
