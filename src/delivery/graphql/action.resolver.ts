import { Policies, Policy, inputField } from '@iap/auth';
import { randomUUID } from 'node:crypto';
import { ReadDb, pageSizeOfRequest } from '../../shared/read-db.js';
import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { BadUserInputError, UUID, decodeCursor, requireAreaCode, toConnection } from '@iap/common';
import { EventStore, type HandleResult, idFromCommand } from '@iap/event-store';
import { ReadYourWrites } from '../../shared/read-your-writes.js';
import { actionRowOf } from '../projections/actions.projection.js';
import { type GraphQLContext, commandMetadata, loaderFor } from '../../shared/graphql-context.js';
import { type CommandInput, envelopeOf } from '../../shared/graphql-inputs.js';
import { isIsoDate } from '../../shared/periods.js';
import { THEME_CODE } from '../../themes/public-api.js';
import { ActionCommandMessage, type ActionRequest } from '../commands/action.command.js';
import { loadActionSummary } from '../public-api.js';
import { ACTION_STATUSES, type ActionState, type ActionStatus } from '../domain/action.js';
import { ALL_THEMES } from '../projections/actions.projection.js';
import { actionById, actionTotals, actionsPage } from './action.read.js';
import {
  ActionConnection,
  type ActionCountKey,
  ActionFilter,
  ActionType,
  CancelActionInput,
  CompleteActionInput,
  PauseActionInput,
  PlanActionInput,
  ReachMilestoneInput,
  ResumeActionInput,
  ReviseActionInput,
  StartActionInput,
} from './action.type.js';

export function requireActionId(id: string, field: string): string {
  if (!UUID.test(id)) throw BadUserInputError.field(field, 'must be an action id (a UUID)');
  return id.toLowerCase();
}

/** Checks a list filter's values, naming the offending field. */
export function checkFilter(
  filter: { areaCode?: string | null; status?: string | null; theme?: string | null } | null | undefined,
  prefix = 'filter',
): ActionCountKey {
  const { areaCode, status, theme } = filter ?? {};
  if (areaCode != null) requireAreaCode(areaCode, `${prefix}.areaCode`);
  if (status != null && !(ACTION_STATUSES as readonly string[]).includes(status)) {
    throw BadUserInputError.field(
      `${prefix}.status`,
      `must be one of ${ACTION_STATUSES.join(', ')}, got "${status}"`,
    );
  }
  if (theme != null && !THEME_CODE.test(theme)) {
    throw BadUserInputError.field(
      `${prefix}.theme`,
      `must be a theme code such as ENGLISH_LANGUAGE, got "${theme}"`,
    );
  }
  return {
    areaCode: areaCode ?? null,
    status: (status as ActionStatus | undefined) ?? null,
    theme: theme ?? null,
  };
}

/** The keyset position after which a page starts: [plannedStart, id]. */
export function keysetAfter(after: string | null | undefined): [string, string] | null {
  if (after == null) return null;
  const values = decodeCursor(after, 'after');
  const [start, id] = values;
  if (
    values.length !== 2 ||
    typeof start !== 'string' ||
    !isIsoDate(start) ||
    typeof id !== 'string' ||
    !UUID.test(id)
  ) {
    throw BadUserInputError.field('after', 'is not a cursor of this list');
  }
  return [start, id];
}

export const actionKey = (a: ActionType): [string, string] => [a.plannedStart, a.id];

/** Access to an existing action: CENTRAL, or a PILOT of the area that owns it (read from its stream). */
const OWN_ACTION = Policies.ownAreaOf(async (args, deps) => {
  const id = inputField('actionId')(args);
  if (typeof id !== 'string' || !UUID.test(id)) return null;
  const action = await loadActionSummary(deps.get(EventStore), id.toLowerCase());
  return action.exists ? action.areaCode : null;
}, 'actions');

@Resolver(() => ActionType)
export class ActionResolver {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(ReadYourWrites) private readonly readYourWrites: ReadYourWrites,
    @Inject(ReadDb) private readonly db: ReadDb,
  ) {}

  @Policy(Policies.pilotReaders)
  @Query(() => ActionType, { nullable: true, description: 'One action by its id' })
  async action(@Args('id', { type: () => ID }) id: string): Promise<ActionType | null> {
    return actionById(this.db, requireActionId(id, 'id'));
  }

  @Policy(Policies.pilotReaders)
  @Query(() => ActionConnection, { description: 'Actions, by planned start then id, a page at a time' })
  async actions(
    @Args('filter', { type: () => ActionFilter, nullable: true }) filter: ActionFilter | null,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<ActionConnection> {
    const key = checkFilter(filter);
    const limit = pageSizeOfRequest(first);
    const cursor = keysetAfter(after);
    const rows = await actionsPage(this.db, key, cursor, limit + 1);
    return { ...toConnection(rows, limit, actionKey, (r) => r), countKey: key };
  }

  @Policy(Policies.ownArea(inputField('areaCode'), 'actions'))
  @Mutation(() => ActionType, { description: "Adds an action to a pilot's action plan (status PLANNED)" })
  async planAction(
    @Args('input') input: PlanActionInput,
    @Context() ctx: GraphQLContext,
  ): Promise<ActionType> {
    const actionId = input.commandId ? idFromCommand(input.commandId, 'action') : randomUUID();
    const milestoneId = (i: number) =>
      input.commandId ? idFromCommand(input.commandId, `milestone:${i}`) : randomUUID();
    return this.run(
      {
        type: 'PlanAction',
        actionId,
        areaCode: input.areaCode,
        title: input.title,
        description: input.description ?? '',
        themes: input.themes,
        leadPartnerId: input.leadPartnerId,
        partnerIds: input.partnerIds ?? [],
        plannedStart: input.plannedStart,
        plannedEnd: input.plannedEnd,
        milestones: (input.milestones ?? []).map((m, i) => ({
          milestoneId: milestoneId(i),
          title: m.title,
          dueDate: m.dueDate,
        })),
      },
      input,
      ctx,
    );
  }

  @Policy(OWN_ACTION)
  @Mutation(() => ActionType, {
    description: "Changes an action's plan, saying why (not once it is completed or cancelled)",
  })
  reviseAction(@Args('input') input: ReviseActionInput, @Context() ctx: GraphQLContext): Promise<ActionType> {
    const milestoneId = (i: number) =>
      input.commandId ? idFromCommand(input.commandId, `milestone:${i}`) : randomUUID();
    return this.run(
      {
        type: 'ReviseAction',
        actionId: requireActionId(input.actionId, 'actionId'),
        reason: input.reason,
        title: input.title ?? undefined,
        description: input.description ?? undefined,
        themes: input.themes ?? undefined,
        leadPartnerId: input.leadPartnerId ?? undefined,
        partnerIds: input.partnerIds ?? undefined,
        plannedStart: input.plannedStart ?? undefined,
        plannedEnd: input.plannedEnd ?? undefined,
        addMilestones: input.addMilestones?.map((m, i) => ({
          milestoneId: milestoneId(i),
          title: m.title,
          dueDate: m.dueDate,
        })),
      },
      input,
      ctx,
    );
  }

  @Policy(OWN_ACTION)
  @Mutation(() => ActionType, { description: 'Starts a PLANNED action, on or after its planned start' })
  startAction(@Args('input') input: StartActionInput, @Context() ctx: GraphQLContext): Promise<ActionType> {
    return this.run(
      {
        type: 'StartAction',
        actionId: requireActionId(input.actionId, 'actionId'),
        on: input.on ?? undefined,
      },
      input,
      ctx,
    );
  }

  @Policy(OWN_ACTION)
  @Mutation(() => ActionType, {
    description: 'Records that a milestone of an IN_PROGRESS action was reached',
  })
  reachMilestone(
    @Args('input') input: ReachMilestoneInput,
    @Context() ctx: GraphQLContext,
  ): Promise<ActionType> {
    return this.run(
      {
        type: 'ReachMilestone',
        actionId: requireActionId(input.actionId, 'actionId'),
        milestoneId: input.milestoneId,
        note: input.note ?? '',
        on: input.on ?? undefined,
      },
      input,
      ctx,
    );
  }

  @Policy(OWN_ACTION)
  @Mutation(() => ActionType, {
    description: 'Completes an IN_PROGRESS action with a summary of what it achieved',
  })
  completeAction(
    @Args('input') input: CompleteActionInput,
    @Context() ctx: GraphQLContext,
  ): Promise<ActionType> {
    return this.run(
      {
        type: 'CompleteAction',
        actionId: requireActionId(input.actionId, 'actionId'),
        summary: input.summary,
        on: input.on ?? undefined,
      },
      input,
      ctx,
    );
  }

  @Policy(OWN_ACTION)
  @Mutation(() => ActionType, { description: 'Pauses an IN_PROGRESS action, saying why' })
  pauseAction(@Args('input') input: PauseActionInput, @Context() ctx: GraphQLContext): Promise<ActionType> {
    return this.run(
      {
        type: 'PauseAction',
        actionId: requireActionId(input.actionId, 'actionId'),
        reason: input.reason,
        on: input.on ?? undefined,
      },
      input,
      ctx,
    );
  }

  @Policy(OWN_ACTION)
  @Mutation(() => ActionType, { description: 'Resumes a PAUSED action' })
  resumeAction(@Args('input') input: ResumeActionInput, @Context() ctx: GraphQLContext): Promise<ActionType> {
    return this.run(
      {
        type: 'ResumeAction',
        actionId: requireActionId(input.actionId, 'actionId'),
        on: input.on ?? undefined,
      },
      input,
      ctx,
    );
  }

  @Policy(OWN_ACTION)
  @Mutation(() => ActionType, { description: 'Cancels an action that is not yet completed, saying why' })
  cancelAction(@Args('input') input: CancelActionInput, @Context() ctx: GraphQLContext): Promise<ActionType> {
    return this.run(
      {
        type: 'CancelAction',
        actionId: requireActionId(input.actionId, 'actionId'),
        reason: input.reason,
        on: input.on ?? undefined,
      },
      input,
      ctx,
    );
  }

  private async run(request: ActionRequest, input: CommandInput, ctx: GraphQLContext): Promise<ActionType> {
    const result: HandleResult<ActionState> = await this.commands.execute(
      new ActionCommandMessage(request, {
        metadata: commandMetadata(ctx, input.commandId),
        ...envelopeOf(input),
      }),
    );
    return this.readYourWrites.answer(
      ctx,
      result,
      ['actions'],
      () => this.action(request.actionId),
      (stream) => actionRowOf(stream),
    );
  }
}

/** totalCount of any action list, read from the counts table (only when a client asks for it). */
@Resolver(() => ActionConnection)
export class ActionConnectionResolver {
  constructor(@Inject(ReadDb) private readonly db: ReadDb) {}

  @ResolveField(() => Int, { nullable: true, description: 'Actions matching the filter, across all pages' })
  totalCount(@Parent() connection: ActionConnection, @Context() ctx: GraphQLContext): Promise<number> {
    const { areaCode, status, theme } = connection.countKey;
    return loaderFor<string, number>(ctx, 'actionTotals', async (keys) => {
      const parsed = keys.map((k) => JSON.parse(k) as [string | null, ActionStatus | null, string]);
      return actionTotals(
        this.db,
        parsed.map(([areaCode, status, theme]) => ({ areaCode, status, theme })),
      );
    }).load(JSON.stringify([areaCode, status, theme ?? ALL_THEMES]));
  }
}
