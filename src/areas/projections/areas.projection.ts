import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@iap/event-store';
import { type Projection, type ProjectionContext, ReadModelProjection } from '@iap/projections';
import type { AreaRegistered } from '../domain/area.js';

@ReadModelProjection()
@Injectable()
export class AreasProjection implements Projection {
  readonly name = 'areas';
  readonly tables = ['areas'];
  readonly eventTypes = ['AreaRegistered'];

  async apply(events: readonly RecordedEvent[], ctx: ProjectionContext): Promise<void> {
    for (const e of events) {
      const { code, name, kind, region } = (e as unknown as RecordedEvent<'AreaRegistered', AreaRegistered['data']>)
        .data;
      await ctx.query(
        `INSERT INTO ${ctx.table('areas')} (code, name, kind, region, registered_at) VALUES ($1, $2, $3, $4, $5)`,
        [code, name, kind, region, e.recordedAt],
      );
    }
  }
}
