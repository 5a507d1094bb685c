import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore, type HandleResult } from '@iap/event-store';
import { DataSource } from 'typeorm';
import { loadArea } from '../../areas/public-api.js';
import { actionStatusCounts } from '../../delivery/public-api.js';
import { spendForQuarter } from '../../funding/public-api.js';
import { type CommandEnvelope, decideAndAppend } from '../../shared/commands.js';
import { requireFinancialQuarter } from '../../shared/periods.js';
import {
  type ReturnCommand,
  type ReturnSnapshot,
  type ReturnsState,
  returnDecider,
  returnStream,
} from '../domain/periodic-return.js';

/** A return command as asked for: on submission the handler adds the snapshot, today's date and the area. */
export type ReturnRequest =
  | { type: 'SubmitReturn'; areaCode: string; quarter: string; note: string }
  | Exclude<ReturnCommand, { type: 'SubmitReturn' }>;

export class PeriodicReturnCommand {
  constructor(
    readonly request: ReturnRequest,
    readonly envelope: CommandEnvelope,
  ) {}
}

/** Today's date (ISO) in England, where the programme's quarters begin. */
export function todayInEngland(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

@CommandHandler(PeriodicReturnCommand)
export class PeriodicReturnHandler implements ICommandHandler<
  PeriodicReturnCommand,
  HandleResult<ReturnsState>
> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(DataSource) private readonly db: DataSource,
  ) {}

  async execute({ request, envelope }: PeriodicReturnCommand): Promise<HandleResult<ReturnsState>> {
    let command: ReturnCommand;
    if (request.type === 'SubmitReturn') {
      requireFinancialQuarter('quarter', request.quarter);
      const [area, snapshot] = await Promise.all([
        loadArea(this.store, request.areaCode),
        this.snapshot(request.areaCode, request.quarter),
      ]);
      command = { ...request, snapshot, today: todayInEngland(), area };
    } else {
      command = request;
    }
    return decideAndAppend(
      this.store,
      returnStream(request.areaCode),
      returnDecider,
      command,
      envelope,
      undefined,
      request,
    );
  }

  /** What the return reports: the quarter's spend, the area's actions by status, the quarter's measurements. */
  private async snapshot(areaCode: string, quarter: string): Promise<ReturnSnapshot> {
    const { start, end } = requireFinancialQuarter('quarter', quarter);
    const [spendPence, actionsByStatus, [{ n }]] = await Promise.all([
      spendForQuarter(this.db, areaCode, quarter),
      actionStatusCounts(this.db, areaCode),
      this.db.query(
        'SELECT count(*)::int AS n FROM measurements WHERE area_code = $1 AND period_end BETWEEN $2::date AND $3::date',
        [areaCode, start, end],
      ) as Promise<{ n: number }[]>,
    ]);
    return { spendPence, measurements: n, actionsByStatus };
  }
}
