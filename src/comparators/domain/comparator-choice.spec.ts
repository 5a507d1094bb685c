import { describe, expect, it } from '@jest/globals';
import { refusal } from '@iap/common/testing';
import { deciderSpecification } from '@iap/event-store/testing';
import {
  type ChoiceFacts,
  type ComparatorsCommand,
  type ComparatorsEvent,
  comparatorsDecider,
} from './comparator-choice.js';
import { nearestNeighbours, standardisation } from './nearest-neighbours.js';

const given = deciderSpecification(comparatorsDecider);
const P = 'E08000030';
const A = 'E08000031';
const B = 'E08000027';
const C = 'E08000028';
const OTHER_PILOT = 'E06000008';

// Hand-worked: characteristic x is P 2, A 4, B 6, C 8 (mean 5; population standard deviation √((9+1+1+9)/4) = √5);
// y is P 10, A 30, B 10, C 10 (mean 15; sd √((25+225+25+25)/4) = √75). Standardised, P's x is −3/√5 and A's is
// −1/√5, B's 1/√5, C's 3/√5; P's y is −5/√75, A's 15/√75, B's and C's −5/√75. Distances from P:
// A = √((2/√5)² + (20/√75)²) = √(0.8 + 5.3333) = √6.1333 = 2.4766; B = 4/√5 = 1.7889; C = 6/√5 = 2.6833.
// So on x alone the order is A, B, C; on x and y it is B, A, C.
const values = new Map<string, Map<string, number>>([
  [
    P,
    new Map([
      ['POPULATION', 2],
      ['PCT_BORN_ABROAD', 10],
    ]),
  ],
  [
    A,
    new Map([
      ['POPULATION', 4],
      ['PCT_BORN_ABROAD', 30],
    ]),
  ],
  [
    B,
    new Map([
      ['POPULATION', 6],
      ['PCT_BORN_ABROAD', 10],
    ]),
  ],
  [
    C,
    new Map([
      ['POPULATION', 8],
      ['PCT_BORN_ABROAD', 10],
    ]),
  ],
  [
    OTHER_PILOT,
    new Map([
      ['POPULATION', 5],
      ['PCT_BORN_ABROAD', 15],
    ]),
  ],
]);
const facts: ChoiceFacts = {
  isPilot: true,
  pilots: new Set([P, OTHER_PILOT]),
  councils: new Map([
    [P, 'Walsall'],
    [A, 'Wolverhampton'],
    [B, 'Dudley'],
    [C, 'Sandwell'],
    [OTHER_PILOT, 'Blackburn with Darwen'],
  ]),
  characteristicValues: values,
};
const nearest = (over: Partial<ComparatorsCommand> = {}): ComparatorsCommand => ({
  type: 'ChooseComparators',
  pilotCode: P,
  method: 'NEAREST_NEIGHBOURS',
  characteristics: ['POPULATION', 'PCT_BORN_ABROAD'],
  period: '2017-18',
  count: 2,
  areaCodes: [],
  reason: '',
  facts,
  ...over,
});

describe('nearest neighbours (standardised Euclidean distance)', () => {
  it('standardises each characteristic and ranks by distance, as worked by hand', () => {
    const profiles = [...values].map(([areaCode, v]) => ({
      areaCode,
      values: [v.get('POPULATION')!, v.get('PCT_BORN_ABROAD')!],
    }));
    const four = profiles.filter((p) => p.areaCode !== OTHER_PILOT);
    const { mean, sd } = standardisation(four);
    expect(mean).toEqual([5, 15]);
    expect(sd[0]).toBeCloseTo(Math.sqrt(5), 12);
    expect(sd[1]).toBeCloseTo(Math.sqrt(75), 12);
    const both = nearestNeighbours(P, four, new Set([A, B, C]), 3).neighbours;
    expect(both.map((n) => n.areaCode)).toEqual([B, A, C]);
    expect(both[0].distance).toBeCloseTo(1.7889, 4);
    expect(both[1].distance).toBeCloseTo(2.4766, 4);
    expect(both[2].distance).toBeCloseTo(2.6833, 4);
    const xOnly = four.map((p) => ({ areaCode: p.areaCode, values: [p.values[0]] }));
    expect(nearestNeighbours(P, xOnly, new Set([A, B, C]), 3).neighbours.map((n) => n.areaCode)).toEqual([
      A,
      B,
      C,
    ]);
  });

  it('reports a characteristic with no spread', () => {
    const flat = [P, A, B].map((areaCode) => ({ areaCode, values: [1] }));
    expect(nearestNeighbours(P, flat, new Set([A, B]), 2)).toEqual({ neighbours: [], constant: [0] });
  });
});

describe('choosing comparators', () => {
  it('chooses the nearest neighbours, never another pilot, and records the distances', () => {
    const decided = comparatorsDecider.decide(nearest(), { choice: null });
    expect(decided).toHaveLength(1);
    const data = decided[0].data;
    expect(data.method).toBe('NEAREST_NEIGHBOURS');
    // The other pilot's profile counts in the standardisation but it is never chosen.
    expect(data.comparators.map((c) => c.areaCode)).not.toContain(OTHER_PILOT);
    expect(data.comparators).toHaveLength(2);
    expect(data.comparators[0].areaName).toBe(facts.councils.get(data.comparators[0].areaCode));
    expect(data.comparators[0].distance).toBeLessThanOrEqual(data.comparators[1].distance!);
  });

  it('records councils picked by hand, and nothing when the same choice is made again', () => {
    const byHand = nearest({ method: 'BY_HAND', areaCodes: [C, A], characteristics: [], period: null });
    const chosen: ComparatorsEvent = {
      type: 'ComparatorsChosen',
      data: {
        pilotCode: P,
        method: 'BY_HAND',
        characteristics: [],
        period: null,
        comparators: [
          { areaCode: C, areaName: 'Sandwell', distance: null },
          { areaCode: A, areaName: 'Wolverhampton', distance: null },
        ],
        reason: '',
      },
    };
    given([]).when(byHand).then([chosen]);
    given([chosen]).when(byHand).thenNothingHappened();
  });

  it('refuses what cannot be a choice, naming the field', () => {
    given([])
      .when(nearest({ facts: { ...facts, isPilot: false } }))
      .thenThrows(refusal('BAD_USER_INPUT', 'pilotCode'));
    const hand = (areaCodes: string[]) => nearest({ method: 'BY_HAND', areaCodes });
    given([])
      .when(hand([]))
      .thenThrows(refusal('BAD_USER_INPUT', 'areaCodes', /at least one/));
    given([])
      .when(hand([A, A]))
      .thenThrows(refusal('BAD_USER_INPUT', 'areaCodes', /twice/));
    given([])
      .when(hand([P]))
      .thenThrows(refusal('BAD_USER_INPUT', 'areaCodes', /pilot itself/));
    given([])
      .when(hand([OTHER_PILOT]))
      .thenThrows(refusal('BAD_USER_INPUT', 'areaCodes', /pilot area too/));
    given([])
      .when(hand(['E07000012']))
      .thenThrows(refusal('BAD_USER_INPUT', 'areaCodes', /import them first/));
    given([])
      .when(hand(['nope']))
      .thenThrows(refusal('BAD_USER_INPUT', 'areaCodes', /ONS/));
    given([])
      .when(nearest({ characteristics: [] }))
      .thenThrows(refusal('BAD_USER_INPUT', 'characteristics'));
    given([])
      .when(nearest({ characteristics: ['ZED'] }))
      .thenThrows(refusal('BAD_USER_INPUT', 'characteristics', /no 2017-18 value of ZED/));
    given([])
      .when(nearest({ count: 0 }))
      .thenThrows(refusal('BAD_USER_INPUT', 'count'));
    given([])
      .when(nearest({ period: null }))
      .thenThrows(refusal('BAD_USER_INPUT', 'period'));
  });
});
