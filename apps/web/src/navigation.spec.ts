import { describe, expect, it } from '@jest/globals';
import { markActive, navigationFor } from './navigation.js';

describe('service navigation', () => {
  const pilot = navigationFor({
    subject: 's',
    name: 'Officer',
    role: 'PILOT',
    area: 'E06000008',
    via: 'demo',
  });
  const active = (path: string) =>
    markActive(pilot, path)
      .filter((i) => i.active)
      .map((i) => i.text);

  it('lights one item: the one whose address the page is under most closely', () => {
    expect(active('/areas/E06000008')).toEqual(['Your area']);
    expect(active('/areas/E06000008/actions/new')).toEqual(['Your area']);
    expect(active('/areas/E06000008/returns/2021-22-Q1/check')).toEqual(['Quarterly returns']);
    expect(active('/learning/123')).toEqual(['Learning library']);
    expect(active('/account')).toEqual([]);
  });
});
