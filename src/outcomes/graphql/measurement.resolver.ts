import { Policies, Policy, inputField } from '@iap/auth';
import { Inject } from '@nestjs/common';
import { ReadDb, pageSizeOfRequest } from '../../shared/read-db.js';
import type { Queryable } from '@iap/projections';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { toConnection } from '@iap/common';
import { EventStore, type HandleResult, idFromCommand } from '@iap/event-store';
import { ReadYourWrites } from '../../shared/read-your-writes.js';
import { areaIndicatorWrittenOf, measurementWritten } from './outcomes.written.js';
import { randomUUID } from 'node:crypto';
import { type CommandInput, commandEnvelope } from '../../shared/graphql-inputs.js';
import { type GraphQLContext, loaderFor } from '../../shared/graphql-context.js';
import { AreaOutcomesCommand } from '../commands/area-outcomes.command.js';
import type { AreaOutcomes, OutcomeRequest } from '../domain/area-outcomes.js';
import {
  AreaIndicatorType,
  CorrectMeasurementInput,
  IndicatorType,
  MeasurementConnection,
  MeasurementFilter,
  MeasurementType,
  RecordMeasurementInput,
  SetBaselineInput,
  SetTargetInput,
} from './outcomes.types.js';
import {
  areaIndicator,
  checkMeasurementFilter,
  indicatorsByCode,
  measurementById,
  measurementCursor,
  measurementsPage,
} from './outcomes.read.js';

/** Runs a command on an area's outcomes. */
function runOutcome(
  commands: CommandBus,
  request: OutcomeRequest,
  input: CommandInput,
  ctx: GraphQLContext,
): Promise<HandleResult<AreaOutcomes>> {
  return commands.execute(new AreaOutcomesCommand(request, commandEnvelope(ctx, input)));
}

function indicatorLoader(ctx: GraphQLContext, db: Queryable) {
  return loaderFor<string, IndicatorType | null>(ctx, 'indicatorByCode', (codes) =>
    indicatorsByCode(db, codes),
  );
}

@Resolver(() => AreaIndicatorType)
export class AreaIndicatorResolver {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(ReadYourWrites) private readonly readYourWrites: ReadYourWrites,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(ReadDb) private readonly db: ReadDb,
  ) {}

  @ResolveField(() => IndicatorType)
  indicator(@Parent() row: AreaIndicatorType, @Context() ctx: GraphQLContext): Promise<IndicatorType | null> {
    return indicatorLoader(ctx, this.db).load(row.indicatorCode);
  }

  @Policy(Policies.ownArea(inputField('areaCode'), 'outcomes'))
  @Mutation(() => AreaIndicatorType, {
    description: "Sets (or replaces) an area's baseline for an indicator",
  })
  async setBaseline(
    @Args('input') input: SetBaselineInput,
    @Context() ctx: GraphQLContext,
  ): Promise<AreaIndicatorType> {
    const { areaCode, indicatorCode, value, date, source } = input;
    const result = await runOutcome(
      this.commands,
      { type: 'SetBaseline', areaCode, indicatorCode, value, date, source },
      input,
      ctx,
    );
    return this.answer(ctx, result, areaCode, indicatorCode);
  }

  @Policy(Policies.ownArea(inputField('areaCode'), 'outcomes'))
  @Mutation(() => AreaIndicatorType, {
    description: "Sets an area's target for an indicator by a date (after the baseline)",
  })
  async setTarget(
    @Args('input') input: SetTargetInput,
    @Context() ctx: GraphQLContext,
  ): Promise<AreaIndicatorType> {
    const { areaCode, indicatorCode, value, date } = input;
    const result = await runOutcome(
      this.commands,
      { type: 'SetTarget', areaCode, indicatorCode, value, date },
      input,
      ctx,
    );
    return this.answer(ctx, result, areaCode, indicatorCode);
  }

  private answer(
    ctx: GraphQLContext,
    result: HandleResult<AreaOutcomes>,
    areaCode: string,
    indicatorCode: string,
  ): Promise<AreaIndicatorType> {
    return this.readYourWrites.answer(
      ctx,
      result,
      ['outcomes'],
      () => areaIndicator(this.db, areaCode, indicatorCode),
      (stream) => areaIndicatorWrittenOf(this.store, stream, areaCode, indicatorCode),
    );
  }
}

@Resolver(() => MeasurementType)
export class MeasurementResolver {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(ReadYourWrites) private readonly readYourWrites: ReadYourWrites,
    @Inject(ReadDb) private readonly db: ReadDb,
  ) {}

  @Policy(Policies.pilotReaders)
  @Query(() => MeasurementConnection, {
    description:
      'Measurements across areas, latest period first (by period end, then start, then id), a page at a time',
  })
  async measurements(
    @Args('filter', { type: () => MeasurementFilter, nullable: true }) filter: MeasurementFilter | null,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<MeasurementConnection> {
    const f = checkMeasurementFilter(filter);
    const limit = pageSizeOfRequest(first);
    const cursor = after ? measurementCursor(after) : null;
    const { rows, total } = await measurementsPage(this.db, f, cursor, limit + 1);
    return toConnection(
      rows,
      limit,
      (m) => [m.periodEnd, m.periodStart, m.id],
      (m) => m,
      total,
    );
  }

  @ResolveField(() => IndicatorType)
  indicator(@Parent() m: MeasurementType, @Context() ctx: GraphQLContext): Promise<IndicatorType | null> {
    return indicatorLoader(ctx, this.db).load(m.indicatorCode);
  }

  @Policy(Policies.ownArea(inputField('areaCode'), 'measurements'))
  @Mutation(() => MeasurementType, {
    description:
      'Records the value of an indicator for an area and period, as reported for that period; one per area, indicator and period',
  })
  async recordMeasurement(
    @Args('input') input: RecordMeasurementInput,
    @Context() ctx: GraphQLContext,
  ): Promise<MeasurementType> {
    const measurementId = input.commandId ? idFromCommand(input.commandId, 'measurement') : randomUUID();
    const result = await runOutcome(
      this.commands,
      {
        type: 'RecordMeasurement',
        areaCode: input.areaCode,
        measurementId,
        indicatorCode: input.indicatorCode,
        periodLabel: input.periodLabel,
        periodStart: input.periodStart,
        periodEnd: input.periodEnd,
        value: input.value,
        sampleSize: input.sampleSize ?? undefined,
        denominator: input.denominator ?? undefined,
        source: input.source,
        evidenceUrl: input.evidenceUrl ?? undefined,
        note: input.note ?? undefined,
      },
      input,
      ctx,
    );
    const id =
      (result.events[0]?.data as { measurementId?: string } | undefined)?.measurementId ?? measurementId;
    return this.answer(ctx, result, id);
  }

  @Policy(Policies.ownArea(inputField('areaCode'), 'measurements'))
  @Mutation(() => MeasurementType, {
    description: 'Corrects a measurement with a reason; the original value stays in its history',
  })
  async correctMeasurement(
    @Args('input') input: CorrectMeasurementInput,
    @Context() ctx: GraphQLContext,
  ): Promise<MeasurementType> {
    const result = await runOutcome(
      this.commands,
      {
        type: 'CorrectMeasurement',
        areaCode: input.areaCode,
        measurementId: input.measurementId,
        value: input.value,
        sampleSize: input.sampleSize ?? undefined,
        denominator: input.denominator ?? undefined,
        reason: input.reason,
      },
      input,
      ctx,
    );
    return this.answer(ctx, result, input.measurementId);
  }

  private answer(
    ctx: GraphQLContext,
    result: HandleResult<AreaOutcomes>,
    id: string,
  ): Promise<MeasurementType> {
    return this.readYourWrites.answer(
      ctx,
      result,
      ['outcomes'],
      () => measurementById(this.db, id),
      (stream) => measurementWritten(stream, id),
    );
  }
}
