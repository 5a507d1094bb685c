import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Policies, Policy } from '@iap/auth';
import { requireAreaCode } from '@iap/common';
import type { HandleResult } from '@iap/event-store';
import { type GraphQLContext } from '../../shared/graphql-context.js';
import { commandEnvelope } from '../../shared/graphql-inputs.js';
import { ReadDb } from '../../shared/read-db.js';
import { ReadYourWrites } from '../../shared/read-your-writes.js';
import {
  ChooseComparatorsCommand,
  type ImportResult,
  ImportPublicValuesCommand,
} from '../commands/comparators.commands.js';
import { type ComparatorsState, DEFAULT_NEIGHBOURS } from '../domain/comparator-choice.js';
import {
  choiceWritten,
  comparatorChoice,
  pilotVersusComparators,
  publicCouncils,
  publicDataFiles,
  publicIndicators,
} from './comparators.read.js';
import {
  ChooseComparatorsInput,
  ComparatorChoiceType,
  ImportPublicValuesInput,
  PilotVersusComparatorsType,
  PublicCouncilType,
  PublicDataFileType,
  PublicDataImportType,
  PublicIndicatorType,
} from './comparators.types.js';

@Resolver()
export class ComparatorsResolver {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(ReadYourWrites) private readonly readYourWrites: ReadYourWrites,
    @Inject(ReadDb) private readonly db: ReadDb,
  ) {}

  @Policy(Policies.signedIn)
  @Query(() => PilotVersusComparatorsType, {
    description:
      "A pilot's change in a public indicator from its baseline period (by default its last before April 2018) to its latest (by default its last), against its comparators' mean change over the same periods: the difference-in-differences estimate with a bootstrap interval and caveats",
  })
  pilotVersusComparators(
    @Args('areaCode') areaCode: string,
    @Args('indicatorCode') indicatorCode: string,
    @Args('baselinePeriod', { type: () => String, nullable: true }) baselinePeriod: string | null,
    @Args('latestPeriod', { type: () => String, nullable: true }) latestPeriod: string | null,
  ): Promise<PilotVersusComparatorsType> {
    return pilotVersusComparators(
      this.db,
      areaCode,
      indicatorCode,
      baselinePeriod ?? null,
      latestPeriod ?? null,
    );
  }

  @Policy(Policies.signedIn)
  @Query(() => ComparatorChoiceType, {
    nullable: true,
    description: "A pilot's comparator councils as last chosen (null: none chosen yet)",
  })
  comparators(@Args('areaCode') areaCode: string): Promise<ComparatorChoiceType | null> {
    return comparatorChoice(this.db, requireAreaCode(areaCode, 'areaCode'));
  }

  @Policy(Policies.signedIn)
  @Query(() => [PublicIndicatorType], { description: 'Indicators with public values for councils' })
  publicIndicators(): Promise<PublicIndicatorType[]> {
    return publicIndicators(this.db);
  }

  @Policy(Policies.signedIn)
  @Query(() => [PublicCouncilType], { description: 'Councils with public indicator values, by name' })
  publicCouncils(): Promise<PublicCouncilType[]> {
    return publicCouncils(this.db);
  }

  @Policy(Policies.central)
  @Query(() => [PublicDataFileType], { description: 'Files of public values imported, latest first' })
  publicDataFiles(): Promise<PublicDataFileType[]> {
    return publicDataFiles(this.db);
  }

  @Policy(Policies.central)
  @Mutation(() => PublicDataImportType, {
    description:
      'Imports a CSV file of public indicator values for councils; every row is checked first (a problem anywhere writes nothing), and the same file again writes nothing',
  })
  async importPublicIndicatorValues(
    @Args('input') input: ImportPublicValuesInput,
    @Context() ctx: GraphQLContext,
  ): Promise<PublicDataImportType> {
    const imported: ImportResult = await this.commands.execute(
      new ImportPublicValuesCommand(
        input.fileName,
        Buffer.from(input.csv, 'utf8'),
        commandEnvelope(ctx, input),
      ),
    );
    await this.readYourWrites.caughtUp(imported.result, ['comparators']);
    return {
      digest: imported.digest,
      fileName: imported.fileName,
      rowsInFile: imported.rowsInFile,
      rowsRecorded: imported.rowsRecorded,
      alreadyImported: imported.result.repeated || imported.result.events.length === 0,
    };
  }

  @Policy(Policies.central)
  @Mutation(() => ComparatorChoiceType, {
    description:
      "Chooses a pilot's comparator councils: its nearest neighbours on characteristics (standardised Euclidean distance, as CIPFA's model) or councils picked by hand; replaces the choice before",
  })
  async chooseComparators(
    @Args('input') input: ChooseComparatorsInput,
    @Context() ctx: GraphQLContext,
  ): Promise<ComparatorChoiceType> {
    const result: HandleResult<ComparatorsState> = await this.commands.execute(
      new ChooseComparatorsCommand(
        {
          pilotCode: input.pilotCode,
          method: input.method,
          characteristics: input.characteristics,
          period: input.period ?? null,
          count: input.count ?? DEFAULT_NEIGHBOURS,
          areaCodes: input.areaCodes.map((c) => c.trim().toUpperCase()),
          reason: input.reason ?? '',
        },
        commandEnvelope(ctx, input),
      ),
    );
    return this.readYourWrites.answer(
      ctx,
      result,
      ['comparators'],
      () => comparatorChoice(this.db, input.pilotCode),
      (stream) => choiceWritten(stream, input.pilotCode),
    );
  }
}
