import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '@iap/event-store';
import type { AreaEvent, PartnerRegistered } from '../domain/area.js';
import { type AreaRow, areaRowAfter, partnerRow } from './areas.rows.js';

const AREA = 'E06000008';

function recorded<E extends AreaEvent>(e: E, revision: number, recordedAt: string): RecordedEvent & E {
  return {
    id: `e-${revision}`,
    type: e.type,
    streamId: `area-${AREA}`,
    revision: BigInt(revision),
    position: { commit: BigInt(revision + 1), prepare: BigInt(revision + 1) },
    data: e.data,
    metadata: { schemaVersion: 1 },
    recordedAt: new Date(recordedAt),
  } as RecordedEvent & E;
}

const registered = recorded(
  {
    type: 'AreaRegistered',
    data: { code: AREA, name: 'Blackburn with Darwen', kind: 'PILOT', region: 'North West' },
  },
  0,
  '2019-04-01T09:00:00Z',
);
const partner = (id: string, revision: number, at: string): RecordedEvent & PartnerRegistered =>
  recorded(
    {
      type: 'PartnerRegistered',
      data: { areaCode: AREA, partnerId: id, name: `Partner ${id}`, sector: 'COUNCIL' },
    },
    revision,
    at,
  );

describe('areas rows', () => {
  it('registers an area with the revision and instant of its event', () => {
    expect(areaRowAfter(undefined, registered)).toEqual({
      code: AREA,
      name: 'Blackburn with Darwen',
      kind: 'PILOT',
      region: 'North West',
      registered_at: new Date('2019-04-01T09:00:00Z'),
      revision: '0',
    });
  });

  it("moves the area's revision on with each partner and keeps the rest", () => {
    let row: AreaRow | undefined;
    for (const e of [
      registered,
      partner('p1', 1, '2019-05-01T10:00:00Z'),
      partner('p2', 2, '2019-06-01T10:00:00Z'),
    ])
      row = areaRowAfter(row, e);
    expect(row).toEqual({ ...areaRowAfter(undefined, registered), revision: '2' });
  });

  it('answers no row for a partner registered in an area with none', () => {
    expect(areaRowAfter(undefined, partner('p1', 1, '2019-05-01T10:00:00Z'))).toBeUndefined();
  });

  it('adds a partner row for a registered partner', () => {
    expect(partnerRow(partner('p1', 1, '2019-05-01T10:00:00Z'))).toEqual({
      area_code: AREA,
      partner_id: 'p1',
      name: 'Partner p1',
      sector: 'COUNCIL',
      registered_at: new Date('2019-05-01T10:00:00Z'),
    });
  });
});
