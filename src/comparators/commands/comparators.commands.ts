import { createHash } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BadUserInputError } from '@iap/common';
import { EventStore, type HandleResult } from '@iap/event-store';
import { parse } from 'csv-parse/sync';
import { loadArea, pilotAreas } from '../../areas/public-api.js';
import { type CommandEnvelope, decideAndAppend } from '../../shared/commands.js';
import { ReadDb } from '../../shared/read-db.js';
import {
  type ChoiceFacts,
  type ComparatorsCommand,
  type ComparatorsState,
  comparatorsDecider,
  comparatorsStream,
} from '../domain/comparator-choice.js';
import {
  type ParsedTable,
  type PublicDataFile,
  checkPublicValues,
  parsePublicPeriod,
  publicDataDecider,
  publicDataStream,
} from '../domain/public-values.js';

/** Largest file of public values accepted (10 MB: about 150,000 rows). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** A CSV file's records with the line each ends on ('#' lines are comments; a byte order mark is ignored). */
export function parseCsv(content: string): ParsedTable {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(content, {
      bom: true,
      comment: '#',
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    throw BadUserInputError.field('file', `is not a readable CSV file: ${(err as Error).message}`);
  }
  const [header, ...rest] = records;
  if (!header) throw BadUserInputError.field('file', 'is empty');
  return {
    header: header.record,
    records: rest.map((r) => ({ line: r.info.lines, fields: r.record })),
  };
}

/** Imports a CSV file of public indicator values (see domain/public-values.ts). */
export class ImportPublicValuesCommand {
  constructor(
    readonly fileName: string,
    readonly content: Buffer,
    readonly envelope: CommandEnvelope,
  ) {}
}

export interface ImportResult {
  readonly result: HandleResult<PublicDataFile>;
  readonly digest: string;
  readonly fileName: string;
  readonly rowsInFile: number;
  /** Rows this import recorded (0 when the same file was imported before). */
  readonly rowsRecorded: number;
}

@CommandHandler(ImportPublicValuesCommand)
export class ImportPublicValuesHandler implements ICommandHandler<ImportPublicValuesCommand, ImportResult> {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async execute({ fileName, content, envelope }: ImportPublicValuesCommand): Promise<ImportResult> {
    if (content.length === 0) throw BadUserInputError.field('file', 'is empty');
    if (content.length > MAX_FILE_BYTES)
      throw BadUserInputError.field('file', `must be at most ${MAX_FILE_BYTES / 1024 / 1024} MB`);
    const text = content.toString('utf8');
    if (text.includes('\u0000') || text.includes('\ufffd'))
      throw BadUserInputError.field(
        'file',
        'must be a CSV file in UTF-8 text (this looks like another kind of file)',
      );
    const rows = checkPublicValues(parseCsv(text));
    const digest = createHash('sha256').update(content).digest('hex');
    const result = await decideAndAppend(
      this.store,
      publicDataStream(digest),
      publicDataDecider,
      { type: 'ImportPublicValues', digest, fileName, rows },
      envelope,
    );
    const rowsRecorded = result.repeated
      ? 0
      : result.events.reduce(
          (n, e) =>
            n + (e.type === 'PublicValuesRecorded' ? (e.data as { values: unknown[] }).values.length : 0),
          0,
        );
    return { result, digest, fileName: fileName.trim(), rowsInFile: rows.length, rowsRecorded };
  }
}

/** What the chooser asked for (the handler adds the facts). */
export type ChooseComparatorsRequest = Omit<ComparatorsCommand, 'type' | 'facts'>;

export class ChooseComparatorsCommand {
  constructor(
    readonly request: ChooseComparatorsRequest,
    readonly envelope: CommandEnvelope,
  ) {}
}

@CommandHandler(ChooseComparatorsCommand)
export class ChooseComparatorsHandler implements ICommandHandler<
  ChooseComparatorsCommand,
  HandleResult<ComparatorsState>
> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(ReadDb) private readonly db: ReadDb,
  ) {}

  async execute({ request, envelope }: ChooseComparatorsCommand): Promise<HandleResult<ComparatorsState>> {
    const facts = await this.facts(request);
    const period = request.period ? (parsePublicPeriod(request.period)?.name ?? request.period) : null;
    return decideAndAppend(
      this.store,
      comparatorsStream(request.pilotCode),
      comparatorsDecider,
      { type: 'ChooseComparators', ...request, period, facts },
      envelope,
      request,
    );
  }

  /** The pilot (from its own stream), the pilots, the councils with public values and their characteristics. */
  private async facts(request: ChooseComparatorsRequest): Promise<ChoiceFacts> {
    const area = await loadArea(this.store, request.pilotCode);
    const pilots = await pilotAreas(this.db);
    const councils: { code: string; name: string | null }[] = await this.db.query(
      'SELECT code, name FROM public_councils',
    );
    const period = request.period ? parsePublicPeriod(request.period) : null;
    if (request.method === 'NEAREST_NEIGHBOURS' && request.period && !period)
      throw BadUserInputError.field(
        'period',
        `"${request.period}" is not a financial year, quarter or calendar year`,
      );
    const values: { area_code: string; indicator_code: string; value: number }[] =
      request.method === 'NEAREST_NEIGHBOURS' && period && request.characteristics.length
        ? await this.db.query(
            `SELECT area_code, indicator_code, value FROM public_values
              WHERE indicator_code = ANY($1) AND period_start = $2 AND period_end = $3`,
            [request.characteristics, period.start, period.end],
          )
        : [];
    const characteristicValues = new Map<string, Map<string, number>>();
    for (const v of values) {
      let m = characteristicValues.get(v.area_code);
      if (!m) characteristicValues.set(v.area_code, (m = new Map()));
      m.set(v.indicator_code, v.value);
    }
    return {
      isPilot: area.registered && area.kind === 'PILOT',
      pilots: new Set(pilots.map((p) => p.code)),
      councils: new Map(councils.map((c) => [c.code, c.name ?? c.code])),
      characteristicValues,
    };
  }
}
