import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@iap/event-store';
import { type AsOfSql, type Projection, type ProjectionContext, ReadModelProjection } from '@iap/projections';
import type { ImportEvent } from '../domain/spreadsheet-import.js';

/** Each spreadsheet return imported: one row per import, never changed once written. */
@ReadModelProjection()
@Injectable()
export class SpreadsheetImportsProjection implements Projection {
  readonly name = 'spreadsheet-imports';
  readonly tables = ['spreadsheet_imports'];
  readonly eventTypes = ['SpreadsheetReturnImported'];

  asOf(sql: AsOfSql): Record<string, string> {
    return {
      spreadsheet_imports: `SELECT * FROM ${sql.live('spreadsheet_imports')} WHERE imported_at <= ${sql.at}`,
    };
  }

  async apply(events: readonly RecordedEvent[], ctx: ProjectionContext): Promise<void> {
    for (const e of events as unknown as readonly (RecordedEvent & ImportEvent)[]) {
      const { areaCode, quarter, fileName, digest, rowsApplied } = e.data;
      const actor = e.metadata.actor;
      await ctx.query(
        `INSERT INTO ${ctx.table('spreadsheet_imports')}
           (event_id, area_code, quarter, file_name, digest, rows_applied, actor_subject, actor_name, imported_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (event_id) DO NOTHING`,
        [
          e.id,
          areaCode,
          quarter,
          fileName,
          digest,
          rowsApplied,
          actor?.subject ?? null,
          actor?.name ?? null,
          e.recordedAt,
        ],
      );
    }
  }
}
