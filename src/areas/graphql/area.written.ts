import type { RecordedEvent } from '@iap/event-store';
import { NotFoundError } from '@iap/common';
import type { AreaEvent } from '../domain/area.js';
import type { AreaKindEnum, AreaType, PartnerSectorEnum, PartnerType } from './area.type.js';

/**
 * An area and its partners as its stream's events wrote them: what `registerArea` and `registerPartner` answer
 * when the `areas` read model has not caught up yet (see ReadYourWrites). The same fields as the read model.
 */
export function areaWritten(stream: readonly RecordedEvent[]): AreaType {
  const events = stream as unknown as readonly (RecordedEvent & AreaEvent)[];
  const registered = events.find((e) => e.type === 'AreaRegistered');
  if (!registered || registered.type !== 'AreaRegistered')
    throw new NotFoundError('The area is not registered');
  const { code, name, kind, region } = registered.data;
  return {
    code,
    name,
    kind: kind as AreaKindEnum,
    region,
    registeredAt: registered.recordedAt,
    revision: Number(events[events.length - 1].revision),
  };
}

export function partnerWritten(stream: readonly RecordedEvent[], partnerId: string): PartnerType {
  const events = stream as unknown as readonly (RecordedEvent & AreaEvent)[];
  for (const e of events) {
    if (e.type === 'PartnerRegistered' && e.data.partnerId === partnerId) {
      return {
        id: partnerId,
        areaCode: e.data.areaCode,
        name: e.data.name,
        sector: e.data.sector as PartnerSectorEnum,
        registeredAt: e.recordedAt,
      };
    }
  }
  throw new NotFoundError(`Partner ${partnerId} is not registered`);
}
