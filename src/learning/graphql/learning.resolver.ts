import { pageSizeOfRequest } from '../../shared/read-db.js';
import { Policies, Policy, inputField } from '@iap/auth';
import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { BadUserInputError, toConnection, requireAreaCode, UUID } from '@iap/common';
import { DateTimeScalar } from '@iap/common/graphql';
import { EventStore, type HandleResult, idFromCommand } from '@iap/event-store';
import { ReadYourWrites } from '../../shared/read-your-writes.js';
import { type GraphQLContext, groupBy, loaderFor } from '../../shared/graphql-context.js';
import { type CommandInput, commandEnvelope } from '../../shared/graphql-inputs.js';
import { LearningItemCommand, type LearningRequest } from '../commands/learning.command.js';
import { mayReadItem } from '../domain/learning.js';
import { CONTENT_FIELDS, type LearningContent, type LearningState } from '../domain/learning.js';
import { learningItemWritten } from './learning.written.js';
import { LEARNING_PROJECTION } from '../projections/learning.projection.js';
import { LearningReadModel, draftingArea, libraryCursor, libraryKey, libraryQuery } from './learning.read.js';
import {
  AdoptLearningInput,
  DraftLearningInput,
  type EvidenceLinkInput,
  LearningAdoptionType,
  LearningAdoptionsByPilotType,
  LearningAreaType,
  LearningItemConnection,
  LearningItemType,
  LearningLibraryFilter,
  PublishLearningInput,
  RetractLearningInput,
  ReviseLearningInput,
} from './learning.types.js';

export function requireItemId(id: string, field = 'id'): string {
  if (!UUID.test(id)) throw BadUserInputError.field(field, 'must be a learning item id (a UUID)');
  return id.toLowerCase();
}

function links(list: readonly EvidenceLinkInput[]): LearningContent['evidenceLinks'] {
  return list.map(({ title, url }) => ({ title, url }));
}

/** Access to an existing learning item: CENTRAL, or a PILOT of the area that drafted it (its first event). */
const OWN_ITEM = Policies.ownAreaOf(async (args, deps) => {
  const id = inputField('id')(args);
  if (typeof id !== 'string' || !UUID.test(id)) return null;
  return draftingArea(deps.get<EventStore>(EventStore), id.toLowerCase());
}, 'learning');

/** Anyone may ask for an item; only CENTRAL and PILOT users see it unless it is published (else: null). */
const PUBLISHED_UNLESS_PILOT_READER = Policies.showing(Policies.anyone, (actor, item) =>
  mayReadItem(actor?.role, item as LearningItemType),
);

@Resolver(() => LearningItemType)
export class LearningResolver {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(ReadYourWrites) private readonly readYourWrites: ReadYourWrites,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(LearningReadModel) private readonly read: LearningReadModel,
  ) {}

  @Policy(PUBLISHED_UNLESS_PILOT_READER)
  @Query(() => LearningItemType, {
    nullable: true,
    description:
      'One learning item, in any status. With asOf: as it stood at that instant, from the events recorded up to it (null if it did not exist yet)',
  })
  async learningItem(
    @Args('id', { type: () => ID }) id: string,
    @Args('asOf', { type: () => DateTimeScalar, nullable: true }) asOf: Date | null,
  ): Promise<LearningItemType | null> {
    const itemId = requireItemId(id);
    if (asOf == null) return this.read.item(itemId);
    if (Number.isNaN(asOf.getTime())) throw BadUserInputError.field('asOf', 'must be an ISO 8601 date-time');
    return this.read.itemAsOf(itemId, asOf);
  }

  @Policy(Policies.anyone)
  @Query(() => LearningItemConnection, {
    description:
      'Published learning, searchable by any council: ranked by relevance when there is search text, else newest first',
  })
  async learningLibrary(
    @Args('filter', { type: () => LearningLibraryFilter, nullable: true })
    filter: LearningLibraryFilter | null,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<LearningItemConnection> {
    const limit = pageSizeOfRequest(first);
    const cursor = libraryCursor(after);
    const query = await libraryQuery(this.store, filter);
    const { rows, total } = await this.read.library(query, limit, cursor);
    return toConnection(
      rows,
      limit,
      libraryKey,
      ({ total: _total, rank, ...item }) => ({ ...item, rank: query.text === null ? null : Number(rank) }),
      total,
    );
  }

  @Policy(Policies.signedIn)
  @Query(() => [LearningAdoptionsByPilotType], {
    description:
      "How often councils have adopted each pilot's learning, most adopted first (pilots that have drafted any)",
  })
  learningAdoptionsByPilot(): Promise<LearningAdoptionsByPilotType[]> {
    return this.read.adoptionsByPilot();
  }

  @Policy(Policies.anyone)
  @Query(() => [LearningAreaType], {
    description: 'The areas with published learning (by name), for filtering the library by area',
  })
  learningAreas(): Promise<LearningAreaType[]> {
    return this.read.areasWithLearning();
  }

  @Policy(Policies.signedIn)
  @Query(() => [LearningAdoptionType], {
    description: 'What a council has recorded adopting, newest first (adoptions are public, as on each item)',
  })
  learningAdoptedBy(@Args('areaCode') areaCode: string): Promise<LearningAdoptionType[]> {
    return this.read.adoptionsBy(requireAreaCode(areaCode, 'areaCode'));
  }

  @ResolveField(() => String, {
    nullable: true,
    description: 'The name of the area whose learning it is (null if the area is not registered)',
  })
  areaName(@Parent() item: LearningItemType, @Context() ctx: GraphQLContext): Promise<string | null> {
    return loaderFor<string, string | null>(ctx, 'learningAreaNames', async (codes) => {
      const names = new Map((await this.read.areaNames(codes)).map((a) => [a.code, a.name]));
      return codes.map((c) => names.get(c) ?? null);
    }).load(item.areaCode);
  }

  @ResolveField(() => [LearningAdoptionType], {
    description: 'The councils that have recorded adopting it, oldest first',
  })
  adoptions(
    @Parent() item: LearningItemType,
    @Context() ctx: GraphQLContext,
  ): Promise<LearningAdoptionType[]> {
    if (item.adoptionsAsOf) return Promise.resolve(item.adoptionsAsOf);
    return loaderFor<string, LearningAdoptionType[]>(ctx, 'learningAdoptionsByItem', async (ids) =>
      groupBy(ids, await this.read.adoptions(ids), (a) => a.itemId),
    ).load(item.id);
  }

  @Policy(Policies.ownArea(inputField('areaCode'), 'learning'))
  @Mutation(() => LearningItemType, {
    description: 'Drafts a learning item for a pilot area (not yet visible in the library)',
  })
  async draftLearning(
    @Args('input') input: DraftLearningInput,
    @Context() ctx: GraphQLContext,
  ): Promise<LearningItemType> {
    const itemId = input.commandId ? idFromCommand(input.commandId, 'learning') : randomUUID();
    const content: LearningContent = {
      type: input.type,
      title: input.title,
      summary: input.summary,
      body: input.body,
      themes: input.themes,
      actionIds: input.actionIds ?? [],
      indicatorCodes: input.indicatorCodes ?? [],
      evidenceLinks: links(input.evidenceLinks ?? []),
    };
    return this.run({ type: 'DraftLearning', itemId, areaCode: input.areaCode, content }, input, ctx);
  }

  @Policy(OWN_ITEM)
  @Mutation(() => LearningItemType, {
    description:
      'Revises a learning item: only the fields given change. A published item stays published with the new text; a retracted one returns to DRAFT',
  })
  async reviseLearning(
    @Args('input') input: ReviseLearningInput,
    @Context() ctx: GraphQLContext,
  ): Promise<LearningItemType> {
    const changes: Record<string, unknown> = {};
    for (const field of CONTENT_FIELDS) {
      const value = input[field];
      if (value != null) changes[field] = field === 'evidenceLinks' ? links(input.evidenceLinks!) : value;
    }
    return this.run(
      {
        type: 'ReviseLearning',
        itemId: requireItemId(input.id),
        changes: changes as Partial<LearningContent>,
        reason: input.reason ?? undefined,
      },
      input,
      ctx,
    );
  }

  @Policy(OWN_ITEM)
  @Mutation(() => LearningItemType, {
    description: 'Publishes a draft: it becomes visible to every council, dated today',
  })
  publishLearning(
    @Args('input') input: PublishLearningInput,
    @Context() ctx: GraphQLContext,
  ): Promise<LearningItemType> {
    return this.run({ type: 'PublishLearning', itemId: requireItemId(input.id) }, input, ctx);
  }

  @Policy(OWN_ITEM)
  @Mutation(() => LearningItemType, {
    description: 'Withdraws a published item from the library, saying why',
  })
  retractLearning(
    @Args('input') input: RetractLearningInput,
    @Context() ctx: GraphQLContext,
  ): Promise<LearningItemType> {
    return this.run(
      { type: 'RetractLearning', itemId: requireItemId(input.id), reason: input.reason },
      input,
      ctx,
    );
  }

  @Policy(Policies.ownArea(inputField('adoptingAreaCode'), 'adoptions', ['PILOT', 'COUNCIL']))
  @Mutation(() => LearningItemType, {
    description:
      "Records that a council (not the item's own area) is adopting a published item: once per council",
  })
  adoptLearning(
    @Args('input') input: AdoptLearningInput,
    @Context() ctx: GraphQLContext,
  ): Promise<LearningItemType> {
    return this.run(
      {
        type: 'AdoptLearning',
        itemId: requireItemId(input.id),
        adoptingAreaCode: input.adoptingAreaCode,
        note: input.note,
      },
      input,
      ctx,
    );
  }

  private async run(
    request: LearningRequest,
    input: CommandInput,
    ctx: GraphQLContext,
  ): Promise<LearningItemType> {
    const result: HandleResult<LearningState> = await this.commands.execute(
      new LearningItemCommand(request, commandEnvelope(ctx, input)),
    );
    return this.readYourWrites.answer(
      ctx,
      result,
      [LEARNING_PROJECTION],
      () => this.read.item(request.itemId),
      (stream) => learningItemWritten(stream, request.itemId),
    );
  }
}
