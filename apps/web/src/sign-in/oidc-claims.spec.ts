import { describe, expect, it } from '@jest/globals';
import { personFromClaims } from './oidc-claims.js';

const SETTINGS = { roleClaim: 'iap_role', areaClaim: 'iap_area', nameClaim: 'name' };

describe('the person an identity provider vouches for', () => {
  it('reads the role, area and name from the configured claims', () => {
    expect(
      personFromClaims(
        { sub: 'u1', iap_role: 'PILOT', iap_area: 'E06000008', name: 'Ann Officer' },
        SETTINGS,
      ),
    ).toEqual({ person: { subject: 'u1', name: 'Ann Officer', role: 'PILOT', area: 'E06000008' } });
    expect(
      personFromClaims(
        { sub: 'u2', 'https://iap/role': ['council'], 'https://iap/area': 'e06000016', given: 'Bo' },
        { roleClaim: 'https://iap/role', areaClaim: 'https://iap/area', nameClaim: 'given' },
      ),
    ).toEqual({ person: { subject: 'u2', name: 'Bo', role: 'COUNCIL', area: 'E06000016' } });
  });

  it('gives the central team no area, and falls back to the email or subject for a missing name', () => {
    expect(personFromClaims({ sub: 'c1', iap_role: 'CENTRAL', iap_area: 'E06000008' }, SETTINGS)).toEqual({
      person: { subject: 'c1', name: 'c1', role: 'CENTRAL' },
    });
    expect(personFromClaims({ sub: 'c1', iap_role: 'CENTRAL', email: 'c@example.gov.uk' }, SETTINGS)).toEqual(
      {
        person: { subject: 'c1', name: 'c@example.gov.uk', role: 'CENTRAL' },
      },
    );
  });

  it('refuses a person with no role, an unknown role, or two roles', () => {
    expect(personFromClaims({ sub: 'x' }, SETTINGS)).toEqual({ refused: 'no-role' });
    expect(personFromClaims({ sub: 'x', iap_role: 'ADMIN' }, SETTINGS)).toEqual({ refused: 'no-role' });
    expect(personFromClaims({ sub: 'x', iap_role: ['CENTRAL', 'PILOT'] }, SETTINGS)).toEqual({
      refused: 'no-role',
    });
    expect(personFromClaims({ sub: 'x', role: 'CENTRAL' }, SETTINGS)).toEqual({ refused: 'no-role' });
  });

  it('refuses a pilot or council officer without a valid ONS area code', () => {
    expect(personFromClaims({ sub: 'x', iap_role: 'PILOT' }, SETTINGS)).toEqual({ refused: 'no-area' });
    expect(personFromClaims({ sub: 'x', iap_role: 'COUNCIL', iap_area: 'Leicester' }, SETTINGS)).toEqual({
      refused: 'no-area',
    });
    expect(personFromClaims({ sub: 'x', iap_role: 'PILOT', iap_area: 'E0600000' }, SETTINGS)).toEqual({
      refused: 'no-area',
    });
  });

  it('refuses claims without a subject', () => {
    expect(personFromClaims({ iap_role: 'CENTRAL' }, SETTINGS)).toEqual({ refused: 'no-subject' });
  });
});
