import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@iap/event-store';
import { type Projection, type ProjectionContext, ReadModelProjection } from '@iap/projections';
import type { AreaEvent } from '../domain/area.js';

@ReadModelProjection()
@Injectable()
export class AreasProjection implements Projection {
  readonly name = 'areas';
  readonly tables = ['areas', 'area_partners'];
  readonly eventTypes = ['AreaRegistered', 'PartnerRegistered'];

  async apply(events: readonly RecordedEvent[], ctx: ProjectionContext): Promise<void> {
    for (const e of events as unknown as readonly (RecordedEvent & AreaEvent)[]) {
      switch (e.type) {
        case 'AreaRegistered': {
          const { code, name, kind, region } = e.data;
          await ctx.query(
            `INSERT INTO ${ctx.table('areas')} (code, name, kind, region, registered_at, revision)
             VALUES ($1, $2, $3, $4, $5, $6)`,
            [code, name, kind, region, e.recordedAt, e.revision.toString()],
          );
          break;
        }
        case 'PartnerRegistered': {
          const { areaCode, partnerId, name, sector } = e.data;
          await ctx.query(
            `INSERT INTO ${ctx.table('area_partners')} (area_code, partner_id, name, sector, registered_at)
             VALUES ($1, $2, $3, $4, $5)`,
            [areaCode, partnerId, name, sector, e.recordedAt],
          );
          await ctx.query(`UPDATE ${ctx.table('areas')} SET revision = $2 WHERE code = $1`, [
            areaCode,
            e.revision.toString(),
          ]);
          break;
        }
      }
    }
  }
}
