import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { RecordImportHandler } from './commands/spreadsheet-import.commands.js';
import { SpreadsheetImportResolver } from './graphql/spreadsheet-import.resolver.js';
import { SpreadsheetImportsProjection } from './projections/spreadsheet-imports.projection.js';

/** Quarterly returns by spreadsheet: the record of each import (the files are read and written by ./files). */
@Module({
  imports: [CqrsModule],
  providers: [RecordImportHandler, SpreadsheetImportsProjection, SpreadsheetImportResolver],
})
export class SpreadsheetsModule {}
