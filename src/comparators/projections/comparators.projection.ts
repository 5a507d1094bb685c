import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@iap/event-store';
import { type Projection, type ProjectionContext, ReadModelProjection } from '@iap/projections';
import type { ComparatorsEvent } from '../domain/comparator-choice.js';
import type { PublicDataEvent, PublicValueRow } from '../domain/public-values.js';

/** Public values (the latest recorded for each council, indicator and period) and each pilot's comparators. */
@ReadModelProjection()
@Injectable()
export class ComparatorsProjection implements Projection {
  readonly name = 'comparators';
  readonly tables = [
    'public_values',
    'public_councils',
    'public_indicators',
    'public_data_imports',
    'comparator_choices',
  ];
  readonly eventTypes = ['PublicDataFileImported', 'PublicValuesRecorded', 'ComparatorsChosen'];

  async apply(events: readonly RecordedEvent[], ctx: ProjectionContext): Promise<void> {
    for (const e of events as unknown as readonly (RecordedEvent & (PublicDataEvent | ComparatorsEvent))[]) {
      const by = e.metadata.actor?.name ?? e.metadata.actor?.subject ?? null;
      switch (e.type) {
        case 'PublicDataFileImported':
          await ctx.query(
            `INSERT INTO ${ctx.table('public_data_imports')} (digest, file_name, row_count, imported_at, imported_by)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (digest) DO NOTHING`,
            [e.data.digest, e.data.fileName, e.data.rowCount, e.recordedAt, by],
          );
          break;
        case 'PublicValuesRecorded':
          await recordValues(ctx, e.data.digest, e.data.values, e.recordedAt);
          break;
        case 'ComparatorsChosen':
          await ctx.query(
            `INSERT INTO ${ctx.table('comparator_choices')} AS c
               (pilot_code, method, characteristics, period, comparators, reason, revision, chosen_at, chosen_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (pilot_code) DO UPDATE SET method = EXCLUDED.method,
               characteristics = EXCLUDED.characteristics, period = EXCLUDED.period,
               comparators = EXCLUDED.comparators, reason = EXCLUDED.reason, revision = EXCLUDED.revision,
               chosen_at = EXCLUDED.chosen_at, chosen_by = EXCLUDED.chosen_by`,
            [
              e.data.pilotCode,
              e.data.method,
              e.data.characteristics,
              e.data.period,
              JSON.stringify(e.data.comparators),
              e.data.reason,
              Number(e.revision),
              e.recordedAt,
              by,
            ],
          );
          break;
      }
    }
  }
}

async function recordValues(
  ctx: ProjectionContext,
  digest: string,
  values: readonly PublicValueRow[],
  at: Date,
): Promise<void> {
  const col = <K extends keyof PublicValueRow>(k: K) => values.map((v) => v[k] ?? null);
  await ctx.query(
    `INSERT INTO ${ctx.table('public_values')}
       (area_code, indicator_code, period, period_start, period_end, value, source, digest, row, recorded_at)
     SELECT a, i, p, s, e, v, src, $8, r, $9
       FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::date[], $6::float8[], $7::text[], $10::int[])
         AS t(a, i, p, s, e, v, src, r)
     ON CONFLICT (indicator_code, area_code, period_start, period_end) DO UPDATE SET period = EXCLUDED.period,
       value = EXCLUDED.value, source = EXCLUDED.source, digest = EXCLUDED.digest, row = EXCLUDED.row,
       recorded_at = EXCLUDED.recorded_at`,
    [
      col('areaCode'),
      col('indicatorCode'),
      col('period'),
      col('periodStart'),
      col('periodEnd'),
      col('value'),
      col('source'),
      digest,
      at,
      col('row'),
    ],
  );
  await upsertNames(
    ctx,
    'public_councils',
    values.map((v) => [v.areaCode, v.areaName]),
  );
  await upsertNames(
    ctx,
    'public_indicators',
    values.map((v) => [v.indicatorCode, v.indicatorName]),
  );
  await ctx.query(
    `UPDATE ${ctx.table('public_data_imports')} SET rows_recorded = rows_recorded + $2 WHERE digest = $1`,
    [digest, values.length],
  );
}

/** Codes with their names (a later name replaces an earlier one; no name keeps the one known). */
async function upsertNames(
  ctx: ProjectionContext,
  table: string,
  pairs: readonly [string, string | undefined][],
): Promise<void> {
  const names = new Map<string, string | null>();
  for (const [code, name] of pairs) if (name || !names.has(code)) names.set(code, name ?? null);
  await ctx.query(
    `INSERT INTO ${ctx.table(table)} AS t (code, name) SELECT * FROM unnest($1::text[], $2::text[])
     ON CONFLICT (code) DO UPDATE SET name = COALESCE(EXCLUDED.name, t.name)`,
    [[...names.keys()], [...names.values()]],
  );
}
