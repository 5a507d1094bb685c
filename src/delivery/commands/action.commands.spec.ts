import { describe, expect, it } from '@jest/globals';
import { todayInEngland } from './action.commands.js';

describe("today's date for status changes", () => {
  it('is the date in England, not in UTC', () => {
    expect(todayInEngland(new Date('2020-06-30T23:30:00Z'))).toBe('2020-07-01'); // BST
    expect(todayInEngland(new Date('2020-12-31T23:30:00Z'))).toBe('2020-12-31'); // GMT
  });
});
