import { BadUserInputError, ConflictError } from '@iap/common';
import type { Decider } from '@iap/event-store';

/**
 * ONS (GSS) local-authority codes: E06 unitary, E07 non-metropolitan district, E08 metropolitan district,
 * E09 London borough, E10 county, W06 Welsh, S12 Scottish and N09 Northern Irish councils; then six digits.
 */
export const ONS_LOCAL_AUTHORITY_CODE = /^(E0[6-9]|E10|W06|S12|N09)\d{6}$/;

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

export interface AreaRegistered {
  readonly type: 'AreaRegistered';
  readonly data: { code: string; name: string; kind: AreaKind; region: Region };
}
export type AreaEvent = AreaRegistered;

export interface RegisterArea {
  readonly type: 'RegisterArea';
  readonly code: string;
  readonly name: string;
  readonly kind: AreaKind;
  readonly region: Region;
}
export type AreaCommand = RegisterArea;

export type AreaState = { readonly registered: false } | { readonly registered: true; readonly code: string };

export const areaDecider: Decider<AreaState, AreaCommand, AreaEvent> = {
  initialState: { registered: false },
  evolve(_state, event) {
    switch (event.type) {
      case 'AreaRegistered':
        return { registered: true, code: event.data.code };
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'RegisterArea': {
        if (!ONS_LOCAL_AUTHORITY_CODE.test(command.code)) {
          throw BadUserInputError.field('code', 'must be an ONS local-authority code such as E06000008');
        }
        const name = command.name.trim();
        if (name.length === 0) throw BadUserInputError.field('name', 'must not be blank');
        if (state.registered) throw new ConflictError(`Area ${command.code} is already registered`, { field: 'code' });
        return [{ type: 'AreaRegistered', data: { code: command.code, name, kind: command.kind, region: command.region } }];
      }
    }
  },
};
