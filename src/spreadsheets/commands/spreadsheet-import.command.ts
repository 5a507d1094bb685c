import type { CommandEnvelope } from '../../shared/commands.js';
import type { RecordImport } from '../domain/spreadsheet-import.js';

/** Records a spreadsheet return's import (the request as the client sent it: the handler adds the facts). */
export class RecordImportCommand {
  constructor(
    readonly request: Omit<RecordImport, 'areaRegistered'>,
    readonly envelope: CommandEnvelope,
  ) {}
}
