import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@iap/event-store';
import {
  type AsOfSql,
  type Projection,
  type ProjectionContext,
  ReadModelProjection,
  type VersionedTableSpec,
} from '@iap/projections';
import type { AreaEvent } from '../domain/area.js';
import { type AreaRow, areaRowAfter, partnerRow } from './areas.rows.js';

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
    const areas = ctx.rows<AreaRow>(AREAS_TABLE);
    await areas.load(
      ctx,
      typed.flatMap((e) => (e.type === 'PartnerRegistered' ? [{ code: e.data.areaCode }] : [])),
    );
    for (const e of typed) {
      if (e.type === 'AreaRegistered') {
        areas.put(areaRowAfter(undefined, e), e.recordedAt, true);
        continue;
      }
      const partner = partnerRow(e);
      await ctx.query(
        `INSERT INTO ${ctx.table('area_partners')} (area_code, partner_id, name, sector, registered_at)
         VALUES ($1, $2, $3, $4, $5)`,
        [partner.area_code, partner.partner_id, partner.name, partner.sector, partner.registered_at],
      );
      const area = areaRowAfter(areas.get({ code: partner.area_code }), e);
      if (!area)
        throw new Error(
          `PartnerRegistered for area ${partner.area_code}, which the read model does not hold`,
        );
      areas.put(area, e.recordedAt);
    }
    await areas.flush(ctx);
  }
}
