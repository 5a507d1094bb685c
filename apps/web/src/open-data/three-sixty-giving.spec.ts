import { describe, expect, it } from '@jest/globals';
import { GRANT_COLUMNS, councilOrgId, grantOf, openDataSettings } from './three-sixty-giving.js';

const AWARD = {
  areaCode: 'E08000030',
  areaName: 'Walsall',
  year: '2019-20',
  fundingStream: 'Integration Area Programme',
  amountPence: 12345678,
  awardedAt: '2019-05-02T10:11:12.000Z',
};

describe('360Giving grants', () => {
  const settings = openDataSettings({});

  it('makes one grant of an allocation: its identifiers, amount in pounds, award and planned dates', () => {
    expect(grantOf(AWARD, settings)).toMatchObject({
      id: '360G-iap-illustrative-E08000030-2019-20-integration-area-programme',
      currency: 'GBP',
      amountAwarded: 123456.78,
      awardDate: '2019-05-02',
      plannedDates: [{ startDate: '2019-04-01', endDate: '2020-03-31', duration: 12 }],
      recipientOrganization: [{ id: 'GB-LAE-WLL', name: 'Walsall' }],
      fundingOrganization: [
        { id: 'GB-GOR-D4', name: 'Ministry of Housing, Communities and Local Government' },
      ],
      beneficiaryLocation: [{ geoCode: 'E08000030', geoCodeType: 'MD' }],
    });
  });

  it('names a council the register table does not hold under the publisher’s prefix', () => {
    expect(councilOrgId('E07000012', settings)).toBe('360G-iap-illustrative-council-E07000012');
    expect(councilOrgId('E09000031', settings)).toBe('GB-LAE-WFT');
  });

  it('names the department as funder by its Government Organisation Register key, and says the prefix is illustrative', () => {
    expect(settings).toEqual({
      grantIdPrefix: '360G-iap-illustrative',
      funderId: 'GB-GOR-D4',
      funderName: 'Ministry of Housing, Communities and Local Government',
      illustrative: true,
    });
  });

  it('takes the prefix and the funder from the environment, and refuses malformed ones', () => {
    const configured = openDataSettings({
      OPEN_DATA_360G_PREFIX: '360G-dept',
      OPEN_DATA_FUNDER_ID: 'GB-GOR-XX1',
      OPEN_DATA_FUNDER_NAME: 'A department',
    });
    expect(configured).toEqual({
      grantIdPrefix: '360G-dept',
      funderId: 'GB-GOR-XX1',
      funderName: 'A department',
      illustrative: false,
    });
    expect(() => openDataSettings({ OPEN_DATA_360G_PREFIX: 'dept' })).toThrow(/OPEN_DATA_360G_PREFIX/);
    expect(() => openDataSettings({ OPEN_DATA_FUNDER_ID: 'the department' })).toThrow(/OPEN_DATA_FUNDER_ID/);
  });

  it('gives the flat columns the standard’s titles', () => {
    const grant = grantOf(AWARD, settings);
    const row = Object.fromEntries(GRANT_COLUMNS.map((c) => [c.header, c.value(grant)]));
    expect(row).toMatchObject({
      Identifier: grant.id,
      'Amount Awarded': 123456.78,
      'Recipient Org:Identifier': 'GB-LAE-WLL',
      'Planned Dates:Duration (months)': 12,
    });
  });
});
