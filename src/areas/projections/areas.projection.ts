import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@iap/event-store';
import {
  type AsOfSql,
  type Projection,
  type ProjectionContext,
  ReadModelProjection,
  VersionedRows,
  type VersionedTableSpec,
} from '@iap/projections';
import type { AreaEvent } from '../domain/area.js';

/** `areas` keeps every version of its rows; `area_partners` rows never change once registered. */
export const AREAS_TABLE: VersionedTableSpec = {
  table: 'areas',
  key: ['code'],
  columns: [
    ['code', 'text'],
    ['name', 'text'],
    ['kind', 'text'],
    ['region', 'text'],
    ['registered_at', 'timestamptz'],
    ['revision', 'bigint'],
  ],
};

interface AreaRow extends Record<string, unknown> {
  code: string;
  name: string;
  kind: string;
  region: string;
  registered_at: Date;
  revision: string;
}

@ReadModelProjection()
@Injectable()
export class AreasProjection implements Projection {
  readonly name = 'areas';
  readonly tables = ['areas', 'areas_history', 'area_partners'];
  readonly eventTypes = ['AreaRegistered', 'PartnerRegistered'];

  asOf(sql: AsOfSql): Record<string, string> {
    return {
      areas: sql.current(AREAS_TABLE),
      area_partners: `SELECT * FROM ${sql.live('area_partners')} WHERE registered_at <= ${sql.at}`,
    };
  }

  async apply(events: readonly RecordedEvent[], ctx: ProjectionContext): Promise<void> {
    const typed = events as unknown as readonly (RecordedEvent & AreaEvent)[];
    const areas = new VersionedRows<AreaRow>(AREAS_TABLE);
    await areas.load(
      ctx,
      typed.flatMap((e) => (e.type === 'PartnerRegistered' ? [{ code: e.data.areaCode }] : [])),
    );
    for (const e of typed) {
      switch (e.type) {
        case 'AreaRegistered': {
          const { code, name, kind, region } = e.data;
          const row = {
            code,
            name,
            kind,
            region,
            registered_at: e.recordedAt,
            revision: e.revision.toString(),
          };
          areas.put(row, e.recordedAt, true);
          break;
        }
        case 'PartnerRegistered': {
          const { areaCode, partnerId, name, sector } = e.data;
          await ctx.query(
            `INSERT INTO ${ctx.table('area_partners')} (area_code, partner_id, name, sector, registered_at)
             VALUES ($1, $2, $3, $4, $5)`,
            [areaCode, partnerId, name, sector, e.recordedAt],
          );
          const area = areas.get({ code: areaCode });
          if (!area)
            throw new Error(`PartnerRegistered for area ${areaCode}, which the read model does not hold`);
          areas.put({ ...area, revision: e.revision.toString() }, e.recordedAt);
          break;
        }
      }
    }
    await areas.flush(ctx);
  }
}
