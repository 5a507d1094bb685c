import { Policies, Policy, inputField } from '@iap/auth';
import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { HandleResult } from '@iap/event-store';
import { AreaType } from '../../areas/public-api.js';
import { ReadDb } from '../../shared/read-db.js';
import { ReadYourWrites } from '../../shared/read-your-writes.js';
import { commandEnvelope } from '../../shared/graphql-inputs.js';
import { type GraphQLContext, groupBy, loaderFor } from '../../shared/graphql-context.js';
import { RecordImportCommand } from '../commands/spreadsheet-import.command.js';
import type { ImportsState } from '../domain/spreadsheet-import.js';
import { importOfEvent, importWritten, importsOfAreas } from './spreadsheet-import.read.js';
import { RecordSpreadsheetImportInput, SpreadsheetImportType } from './spreadsheet-import.types.js';

/** Records a spreadsheet return's import; an area's imports, newest first. */
@Resolver(() => AreaType)
export class SpreadsheetImportResolver {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(ReadYourWrites) private readonly readYourWrites: ReadYourWrites,
    @Inject(ReadDb) private readonly db: ReadDb,
  ) {}

  @ResolveField(() => [SpreadsheetImportType], {
    description: 'Quarterly returns imported from spreadsheets, newest first',
  })
  spreadsheetImports(
    @Parent() area: AreaType,
    @Context() ctx: GraphQLContext,
  ): Promise<SpreadsheetImportType[]> {
    return loaderFor<string, SpreadsheetImportType[]>(ctx, 'spreadsheetImportsByArea', async (codes) =>
      groupBy(codes, await importsOfAreas(this.db, codes), (r) => r.areaCode),
    ).load(area.code);
  }

  @Policy(Policies.ownArea(inputField('areaCode'), 'returns'))
  @Mutation(() => SpreadsheetImportType, {
    description:
      "Records that a spreadsheet return was imported (the file's name and digest, the rows it applied); the web page and the upload endpoint record each import after applying its rows",
  })
  async recordSpreadsheetImport(
    @Args('input') input: RecordSpreadsheetImportInput,
    @Context() ctx: GraphQLContext,
  ): Promise<SpreadsheetImportType> {
    const { areaCode, quarter, fileName, digest, rowsApplied } = input;
    const result: HandleResult<ImportsState> = await this.commands.execute(
      new RecordImportCommand(
        { type: 'RecordImport', areaCode, quarter, fileName, digest, rowsApplied },
        commandEnvelope(ctx, input),
      ),
    );
    const eventId = result.events[0]?.id;
    return this.readYourWrites.answer(
      ctx,
      result,
      ['spreadsheet-imports'],
      () => importOfEvent(this.db, eventId),
      (stream) => importWritten(stream, eventId),
    );
  }
}
