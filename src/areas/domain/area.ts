import { BadUserInputError, ConflictError, NotFoundError, requireAreaCode } from '@iap/common';
import type { Decider } from '@iap/event-store';

export const REGIONS = [
  'North East',
  'North West',
  'Yorkshire and The Humber',
  'East Midlands',
  'West Midlands',
  'East of England',
  'London',
  'South East',
  'South West',
  'Wales',
  'Scotland',
  'Northern Ireland',
] as const;
export type Region = (typeof REGIONS)[number];

export const AREA_KINDS = ['PILOT', 'NON_PILOT'] as const;
export type AreaKind = (typeof AREA_KINDS)[number];

export function areaStream(code: string): string {
  return `area-${code}`;
}

export const PARTNER_SECTORS = [
  'COUNCIL',
  'POLICE',
  'SCHOOLS',
  'NHS',
  'VOLUNTARY',
  'FAITH',
  'BUSINESS',
  'OTHER',
] as const;
export type PartnerSector = (typeof PARTNER_SECTORS)[number];

export interface AreaRegistered {
  readonly type: 'AreaRegistered';
  readonly data: { code: string; name: string; kind: AreaKind; region: Region };
}
export interface PartnerRegistered {
  readonly type: 'PartnerRegistered';
  readonly data: { areaCode: string; partnerId: string; name: string; sector: PartnerSector };
}
export type AreaEvent = AreaRegistered | PartnerRegistered;

export interface RegisterArea {
  readonly type: 'RegisterArea';
  readonly code: string;
  readonly name: string;
  readonly kind: AreaKind;
  readonly region: Region;
}
export interface RegisterPartner {
  readonly type: 'RegisterPartner';
  readonly areaCode: string;
  readonly partnerId: string;
  readonly name: string;
  readonly sector: PartnerSector;
}
export type AreaCommand = RegisterArea | RegisterPartner;

export interface Partner {
  readonly name: string;
  readonly sector: PartnerSector;
}
export type AreaState =
  | { readonly registered: false }
  | {
      readonly registered: true;
      readonly code: string;
      readonly name: string;
      readonly kind: AreaKind;
      readonly partners: ReadonlyMap<string, Partner>;
    };

export const areaDecider: Decider<AreaState, AreaCommand, AreaEvent> = {
  initialState: () => ({ registered: false }),
  evolve(state, event) {
    switch (event.type) {
      case 'AreaRegistered':
        return {
          registered: true,
          code: event.data.code,
          name: event.data.name,
          kind: event.data.kind,
          partners: new Map(),
        };
      case 'PartnerRegistered': {
        if (!state.registered) return state;
        const partners = new Map(state.partners);
        partners.set(event.data.partnerId, { name: event.data.name, sector: event.data.sector });
        return { ...state, partners };
      }
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'RegisterArea': {
        requireAreaCode(command.code, 'code');
        const name = command.name.trim();
        if (name.length === 0) throw BadUserInputError.field('name', 'must not be blank');
        if (state.registered)
          throw new ConflictError(`Area ${command.code} is already registered`, { field: 'code' });
        return [
          {
            type: 'AreaRegistered',
            data: { code: command.code, name, kind: command.kind, region: command.region },
          },
        ];
      }
      case 'RegisterPartner': {
        if (!state.registered) throw new NotFoundError(`Area ${command.areaCode} is not registered`);
        const name = command.name.trim();
        if (name.length === 0) throw BadUserInputError.field('name', 'must not be blank');
        for (const p of state.partners.values()) {
          if (p.name.toLowerCase() === name.toLowerCase()) {
            throw new ConflictError(`${command.areaCode} already has a partner named "${p.name}"`, {
              field: 'name',
            });
          }
        }
        if (state.partners.has(command.partnerId)) return []; // the same partner again: nothing to do
        return [
          {
            type: 'PartnerRegistered',
            data: { areaCode: command.areaCode, partnerId: command.partnerId, name, sector: command.sector },
          },
        ];
      }
    }
  },
};
