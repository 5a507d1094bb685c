import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore, type HandleResult } from '@iap/event-store';
import { loadArea } from '../../areas/public-api.js';
import { decideAndAppend } from '../../shared/commands.js';
import { type ImportsState, importDecider, importStream } from '../domain/spreadsheet-import.js';
import { RecordImportCommand } from './spreadsheet-import.command.js';

@CommandHandler(RecordImportCommand)
export class RecordImportHandler implements ICommandHandler<RecordImportCommand, HandleResult<ImportsState>> {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async execute({ request, envelope }: RecordImportCommand): Promise<HandleResult<ImportsState>> {
    const area = await loadArea(this.store, request.areaCode);
    return decideAndAppend(
      this.store,
      importStream(request.areaCode),
      importDecider,
      { ...request, areaRegistered: area.registered },
      envelope,
      request,
    );
  }
}
