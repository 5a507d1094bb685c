import { describe, expect, it } from '@jest/globals';
import { refusal } from '@iap/common/testing';
import { deciderSpecification } from '@iap/event-store/testing';
import { type AreaCommand, type AreaEvent, areaDecider } from './area.js';

const given = deciderSpecification(areaDecider);

const register: AreaCommand = {
  type: 'RegisterArea',
  code: 'E06000008',
  name: 'Blackburn with Darwen',
  kind: 'PILOT',
  region: 'North West',
};

describe('area', () => {
  it('registers a new area', () => {
    given([])
      .when(register)
      .then([
        {
          type: 'AreaRegistered',
          data: { code: 'E06000008', name: 'Blackburn with Darwen', kind: 'PILOT', region: 'North West' },
        },
      ]);
  });

  it('trims the name', () => {
    given([])
      .when({ ...register, name: '  Bradford ' })
      .then([
        {
          type: 'AreaRegistered',
          data: { code: 'E06000008', name: 'Bradford', kind: 'PILOT', region: 'North West' },
        },
      ]);
  });

  it('refuses to register an area twice', () => {
    given([
      { type: 'AreaRegistered', data: { code: 'E06000008', name: 'B', kind: 'PILOT', region: 'North West' } },
    ])
      .when(register)
      .thenThrows(refusal('CONFLICT', 'code'));
  });

  it.each(['E0600000', 'E060000081', 'X06000008', 'E05000008', 'e06000008', ' E06000008', ''])(
    'refuses the malformed code %p',
    (code) => {
      given([])
        .when({ ...register, code })
        .thenThrows(refusal('BAD_USER_INPUT', 'code'));
    },
  );

  it.each([
    'E06000031',
    'E07000012',
    'E08000032',
    'E09000031',
    'E10000002',
    'W06000015',
    'S12000033',
    'N09000003',
  ])('accepts the ONS code %p', (code) => {
    expect(areaDecider.decide({ ...register, code }, areaDecider.initialState())).toHaveLength(1);
  });

  it('refuses a blank name', () => {
    given([])
      .when({ ...register, name: '   ' })
      .thenThrows(refusal('BAD_USER_INPUT', 'name'));
  });

  const registered: AreaEvent = {
    type: 'AreaRegistered',
    data: { code: 'E06000008', name: 'Blackburn with Darwen', kind: 'PILOT', region: 'North West' },
  };
  const partner: AreaCommand = {
    type: 'RegisterPartner',
    areaCode: 'E06000008',
    partnerId: 'p-1',
    name: 'Lancashire Constabulary',
    sector: 'POLICE',
  };

  it('registers a partner of a registered area', () => {
    given([registered])
      .when(partner)
      .then([
        {
          type: 'PartnerRegistered',
          data: {
            areaCode: 'E06000008',
            partnerId: 'p-1',
            name: 'Lancashire Constabulary',
            sector: 'POLICE',
          },
        },
      ]);
  });

  it('refuses a partner for an unregistered area', () => {
    given([]).when(partner).thenThrows(refusal('NOT_FOUND'));
  });

  it('refuses two partners of one area with the same name', () => {
    given([
      registered,
      {
        type: 'PartnerRegistered',
        data: { areaCode: 'E06000008', partnerId: 'p-0', name: 'lancashire constabulary', sector: 'POLICE' },
      },
    ])
      .when(partner)
      .thenThrows(refusal('CONFLICT', 'name'));
  });
});
