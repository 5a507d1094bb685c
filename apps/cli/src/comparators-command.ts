import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AppError, BadUserInputError } from '@iap/common';
import { ImportPublicValuesCommand, type ImportResult } from '../../../src/comparators/public-api.js';

export const COMPARATORS_IMPORT_USAGE = `Usage: npm run cli -- comparators:import <file.csv>

Imports public indicator values for councils from a CSV file with the columns ons_code, indicator_code, period,
value and source (area_name and indicator_name optional), as ONS, LG Inform and Fingertips publish them. Every row
is checked first: a file with any problem writes nothing and each problem is listed by row and column. Importing
the same file again writes nothing. The sample data/comparators/illustrative-public-indicators.csv is invented.
`;

/** `comparators:import <file>`: the exit code (0 imported or already imported, 2 refused). */
export async function comparatorsImport(app: INestApplicationContext, args: string[]): Promise<number> {
  const [file] = args;
  if (!file || args.length !== 1 || file.startsWith('-')) {
    process.stderr.write(COMPARATORS_IMPORT_USAGE);
    return 2;
  }
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch (err) {
    process.stderr.write(`Cannot read ${file}: ${(err as Error).message}\n`);
    return 2;
  }
  try {
    const imported: ImportResult = await app.get(CommandBus).execute(
      new ImportPublicValuesCommand(path.basename(file), content, {
        metadata: {
          actor: { subject: 'cli', name: 'Command line import', role: 'CENTRAL' },
          correlationId: `cli-${Date.now()}`,
        },
      }),
    );
    process.stdout.write(
      imported.rowsRecorded === 0
        ? `${imported.fileName} was imported before (digest ${imported.digest.slice(0, 12)}…): nothing changed\n`
        : `Imported ${imported.rowsRecorded} of ${imported.rowsInFile} rows from ${imported.fileName} (digest ${imported.digest.slice(0, 12)}…)\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof BadUserInputError) {
      process.stderr.write(`${file} was not imported (nothing was written):\n`);
      for (const p of err.problems)
        process.stderr.write(`  ${p.field === 'file' ? `file: ${p.message}` : p.message}\n`);
      return 2;
    }
    if (err instanceof AppError) {
      process.stderr.write(`${file} was not imported: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
