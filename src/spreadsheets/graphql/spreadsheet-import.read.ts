import { NotFoundError } from '@iap/common';
import type { RecordedEvent } from '@iap/event-store';
import type { Queryable } from '@iap/projections';
import type { ImportEvent } from '../domain/spreadsheet-import.js';
import type { SpreadsheetImportType } from './spreadsheet-import.types.js';

const COLUMNS = `event_id AS id, area_code AS "areaCode", quarter, file_name AS "fileName", digest,
  rows_applied AS "rowsApplied", actor_subject AS "actorSubject", actor_name AS "actorName", imported_at AS "importedAt"`;

/** The spreadsheet imports of these areas, each area's newest first. */
export function importsOfAreas(db: Queryable, codes: readonly string[]): Promise<SpreadsheetImportType[]> {
  return db.query<SpreadsheetImportType[]>(
    `SELECT ${COLUMNS} FROM spreadsheet_imports WHERE area_code = ANY($1) ORDER BY imported_at DESC, event_id`,
    [codes],
  );
}

/** The import its event recorded, once projected. */
export async function importOfEvent(
  db: Queryable,
  eventId: string | undefined,
): Promise<SpreadsheetImportType> {
  const [row] = await db.query<SpreadsheetImportType[]>(
    `SELECT ${COLUMNS} FROM spreadsheet_imports WHERE event_id = $1`,
    [eventId],
  );
  return row;
}

/** The import as its event wrote it (answered while the read model catches up). */
export function importWritten(
  stream: readonly RecordedEvent[],
  eventId: string | undefined,
): SpreadsheetImportType {
  const e = (stream as unknown as readonly (RecordedEvent & ImportEvent)[]).find((x) => x.id === eventId);
  if (!e) throw new NotFoundError('The import is not recorded');
  return {
    id: e.id,
    ...e.data,
    actorSubject: e.metadata.actor?.subject ?? null,
    actorName: e.metadata.actor?.name ?? null,
    importedAt: e.recordedAt,
  };
}
