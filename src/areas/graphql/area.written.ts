import type { RecordedEvent } from '@iap/event-store';
import { NotFoundError } from '@iap/common';
import type { AreaEvent } from '../domain/area.js';
import { type AreaRow, areaRowAfter, partnerRow } from '../projections/areas.rows.js';
import type { AreaKindEnum, AreaType, PartnerSectorEnum, PartnerType } from './area.types.js';

/**
 * An area and its partners as its stream's events wrote them, folded by the projection's own row functions
 * (`areas.rows.ts`): what `registerArea` and `registerPartner` answer when the `areas` read model has not
 * caught up yet (see ReadYourWrites). The same fields as the read model.
 */

type Recorded<E> = RecordedEvent & E;

export function areaWritten(stream: readonly RecordedEvent[]): AreaType {
  let row: AreaRow | undefined;
  for (const e of stream as unknown as readonly Recorded<AreaEvent>[]) row = areaRowAfter(row, e);
  if (!row) throw new NotFoundError('The area is not registered');
  return {
    code: row.code,
    name: row.name,
    kind: row.kind as AreaKindEnum,
    region: row.region,
    registeredAt: row.registered_at,
    revision: Number(row.revision),
  };
}

export function partnerWritten(stream: readonly RecordedEvent[], partnerId: string): PartnerType {
  for (const e of stream as unknown as readonly Recorded<AreaEvent>[]) {
    if (e.type !== 'PartnerRegistered' || e.data.partnerId !== partnerId) continue;
    const row = partnerRow(e);
    return {
      id: row.partner_id,
      areaCode: row.area_code,
      name: row.name,
      sector: row.sector as PartnerSectorEnum,
      registeredAt: row.registered_at,
    };
  }
  throw new NotFoundError(`Partner ${partnerId} is not registered`);
}
