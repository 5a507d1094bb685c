import { describe, expect, it } from '@jest/globals';
import { ONS_LOCAL_AUTHORITY_CODE } from '@iap/common';
import { financialQuarterOf, isIsoDate, parseFinancialYear } from '../shared/periods.js';
import {
  DEMO_COUNCILS,
  DEMO_INDICATORS,
  DEMO_PILOTS,
  ILLUSTRATIVE_EXAMPLE,
  ILLUSTRATIVE_RECORD,
  QUARTERS,
  YEARS,
} from './demo-data.js';
import { DEMO_LEARNING } from './demo-learning.js';
import {
  type DemoCommandStep,
  commandType,
  commitQuarter,
  demoCommandId,
  demoPlan,
  pence,
} from './demo-plan.js';

/** The demo as loaded on a day of 2026-27 (its grant for this year: see thisYearsGrant). */
const TODAY = '2026-12-07';
const steps = demoPlan(TODAY);
const commands = steps.filter((s): s is DemoCommandStep => s.kind === 'command');
/** A command's request (a file of public values as its path; comparators' requests with a type added). */
const requestOf = (s: DemoCommandStep) => {
  const c = s.command;
  if (c.context === 'public-values') return { type: commandType(c), file: c.file };
  if (c.context === 'comparators') return { ...c.request, type: commandType(c) };
  return c.context === 'area' ? c.command : c.request;
};
const ofType = (type: string) => commands.filter((s) => commandType(s.command) === type);
const LAST_DAY = '2021-03-31';

/** Every string under a value, with its path. */
function strings(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}.${i}`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  }
  return [];
}

describe('the demo plan', () => {
  it('uses the five real pilots and well-formed ONS codes', () => {
    expect(DEMO_PILOTS.map((p) => [p.code, p.name])).toEqual([
      ['E06000008', 'Blackburn with Darwen'],
      ['E08000032', 'Bradford'],
      ['E06000031', 'Peterborough'],
      ['E08000030', 'Walsall'],
      ['E09000031', 'Waltham Forest'],
    ]);
    for (const a of [...DEMO_PILOTS, ...DEMO_COUNCILS]) expect(a.code).toMatch(ONS_LOCAL_AUTHORITY_CODE);
    expect(new Set([...DEMO_PILOTS, ...DEMO_COUNCILS].map((a) => a.code)).size).toBe(10);
  });

  it("allocates Blackburn with Darwen's reported first-year award to the penny", () => {
    const bwd = ofType('AllocateGrant').find(
      (s) =>
        requestOf(s).type === 'AllocateGrant' &&
        (requestOf(s) as { areaCode: string }).areaCode === 'E06000008',
    );
    expect(bwd && requestOf(bwd)).toMatchObject({ year: '2019-20', amountPence: 38_313_300 });
  });

  it('dates every grant award in the year before its financial year, or on its first day', () => {
    const awards = ofType('AllocateGrant').map((s) => requestOf(s) as { year: string; awardedOn?: string });
    expect(awards.length).toBeGreaterThan(0);
    for (const { year, awardedOn } of awards) {
      const start = parseFinancialYear(year)?.start ?? '';
      expect(isIsoDate(awardedOn ?? '')).toBe(true);
      expect(awardedOn! <= start && awardedOn! > `${Number(start.slice(0, 4)) - 1}-03-31`).toBe(true);
    }
  });

  it('allocates every pilot a grant for the financial year it is loaded in, in whole pence, from its first day', () => {
    const thisYear = ofType('AllocateGrant')
      .map((s) => requestOf(s) as { areaCode: string; year: string; amountPence: number; awardedOn: string })
      .filter((r) => r.year === '2026-27');
    expect(thisYear.map((r) => r.areaCode).sort()).toEqual(DEMO_PILOTS.map((p) => p.code).sort());
    for (const r of thisYear) {
      expect(Number.isInteger(r.amountPence) && r.amountPence > 0).toBe(true);
      expect(r.awardedOn).toBe('2026-04-01');
    }
    // The year turns on 1 April, not 1 January; the same day twice plans the same commands.
    const yearsOn = (today: string) =>
      new Set(
        demoPlan(today)
          .filter((s): s is DemoCommandStep => s.kind === 'command')
          .filter((s) => commandType(s.command) === 'AllocateGrant')
          .map((s) => (requestOf(s) as { year: string }).year),
      );
    expect(yearsOn('2027-03-31').has('2026-27')).toBe(true);
    expect(yearsOn('2027-04-01').has('2027-28')).toBe(true);
    expect(demoPlan(TODAY).map((s) => s.key)).toEqual(steps.map((s) => s.key));
  });

  it('gives every step a unique key, hence a unique commandId', () => {
    const keys = steps.map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(commands.map((s) => demoCommandId(s.key))).size).toBe(commands.length);
  });

  it('dates every status change and milestone in the two past years, in order, after the plan', () => {
    for (const p of DEMO_PILOTS) {
      for (const a of p.actions) {
        const dated = [
          ...a.transitions.map((t) => t.on),
          ...a.milestones.flatMap((m) => (m.reached ? [m.reached.on] : [])),
        ];
        for (const on of dated) {
          expect(on >= '2019-04-01' && on <= LAST_DAY).toBe(true);
          expect(financialQuarterOf(on).name >= a.plannedIn).toBe(true);
        }
        const transitions = a.transitions.map((t) => t.on);
        expect([...transitions].sort()).toEqual(transitions);
        const start = a.transitions.find((t) => t.type === 'start');
        const plannedStart = a.revisions?.find((r) => r.plannedStart)?.plannedStart ?? a.plannedStart;
        if (start) expect(start.on >= plannedStart).toBe(true);
        for (const m of a.milestones) {
          expect(
            m.due >= a.plannedStart &&
              m.due <= (a.revisions?.find((r) => r.plannedEnd)?.plannedEnd ?? a.plannedEnd),
          ).toBe(true);
          if (m.reached && start) expect(m.reached.on >= start.on).toBe(true);
        }
        expect(QUARTERS).toContain(a.plannedIn);
      }
    }
  });

  it('keeps spend within commitments, spent only once committed, and commitments within the funding', () => {
    for (const p of DEMO_PILOTS) {
      for (const year of YEARS) {
        let available = p.allocations.filter((a) => a.year === year).reduce((s, a) => s + pence(a.amount), 0);
        for (const c of p.fundingChanges) {
          if (c.type === 'overspend' && c.year === year) available += pence(c.amount);
          if (c.type === 'reprofile' && c.from === year) available -= pence(c.amount);
          if (c.type === 'reprofile' && c.to === year) available += pence(c.amount);
          if (c.type === 'reduce' && c.year === year) available -= pence(c.amount);
        }
        let committed = 0;
        for (const a of p.actions) {
          const f = a.funding.find((x) => x.year === year);
          if (!f) continue;
          committed += pence(f.commit);
          const corrected = f.spend.map((amount, i) => {
            const c = p.spendCorrections.find((x) => x.action === a.key && x.quarter === `${year} Q${i + 1}`);
            return pence(c ? Math.min(c.amount, amount) : amount);
          });
          expect(corrected.reduce((s, x) => s + x, 0)).toBeLessThanOrEqual(pence(f.commit));
          f.spend.forEach((amount, i) => {
            if (amount > 0) expect(`${year} Q${i + 1}` >= commitQuarter(a, year)).toBe(true);
          });
        }
        expect(committed).toBeLessThanOrEqual(available);
      }
    }
  });

  it('marks every invented figure and text as illustrative in the data itself', () => {
    const unmarked: string[] = [];
    const needsMark = /^(note|reason|summary|comments|description|source|milestones\.\d+\.title)$/;
    for (const s of commands) {
      const request = requestOf(s);
      if (s.command.context === 'indicator') {
        for (const i of DEMO_INDICATORS) expect(i.definition).toMatch(/illustrative/);
        continue;
      }
      if (s.command.context === 'learning') continue; // checked below
      for (const [path, text] of strings(request)) {
        if (path === 'description' && request.type === 'PlanAction') {
          if (!text.endsWith(ILLUSTRATIVE_RECORD)) unmarked.push(`${s.key}: ${path}`);
        } else if (needsMark.test(path) && !/illustrative/i.test(text))
          unmarked.push(`${s.key}: ${path} "${text}"`);
      }
    }
    for (const p of DEMO_PILOTS) {
      for (const partner of p.partners) {
        const real = partner.sector === 'COUNCIL' || partner.sector === 'OTHER';
        if (!real && !partner.name.includes('(illustrative)'))
          unmarked.push(`${p.code} partner ${partner.name}`);
      }
    }
    for (const item of DEMO_LEARNING) {
      if (!item.summary.startsWith(ILLUSTRATIVE_EXAMPLE)) unmarked.push(`learning ${item.key} summary`);
      if (!/illustrative example/i.test(item.body)) unmarked.push(`learning ${item.key} body`);
      for (const a of item.adoptions) {
        if (!a.note.startsWith(ILLUSTRATIVE_EXAMPLE))
          unmarked.push(`learning ${item.key} adoption ${a.council}`);
      }
    }
    expect(unmarked).toEqual([]);
  });

  it('reviews returns: most approved, one sent back and resubmitted, one left awaiting review', () => {
    expect(ofType('SubmitReturn')).toHaveLength(DEMO_PILOTS.length * QUARTERS.length + 1);
    expect(ofType('SendBackReturn')).toHaveLength(1);
    expect(ofType('ApproveReturn')).toHaveLength(DEMO_PILOTS.length * QUARTERS.length - 1);
    // A sync point before every submission: its snapshot is read from the read models.
    steps.forEach((s, i) => {
      if (s.kind === 'command' && requestOf(s).type === 'SubmitReturn')
        expect(steps[i - 1].kind).toBe('sync');
    });
  });

  it("imports the illustrative sample of public values, then chooses every pilot's nearest neighbours in it", () => {
    const imports = ofType('ImportPublicValues');
    expect(imports.map((s) => requestOf(s))).toEqual([
      { type: 'ImportPublicValues', file: 'data/comparators/illustrative-public-indicators.csv' },
    ]);
    const choices = ofType('ChooseComparators');
    expect(choices.map((s) => (requestOf(s) as { pilotCode: string }).pilotCode)).toEqual(
      DEMO_PILOTS.map((p) => p.code),
    );
    for (const s of choices)
      expect(requestOf(s)).toMatchObject({ method: 'NEAREST_NEIGHBOURS', period: '2017-18', count: 15 });
    // Choosing reads the sample's values from the read models: a sync point after the import, and the last step.
    const at = steps.indexOf(imports[0]!);
    expect(steps[at + 1]?.kind).toBe('sync');
    expect(steps.indexOf(choices[0]!)).toBeGreaterThan(at + 1);
    expect(commands.at(-1)).toBe(choices.at(-1));
  });

  it('publishes learning and has councils outside the programme adopt some of it', () => {
    expect(ofType('PublishLearning').length).toBeGreaterThanOrEqual(6);
    expect(ofType('PublishLearning').length).toBeLessThanOrEqual(10);
    const councils = new Set(DEMO_COUNCILS.map((c) => c.code));
    for (const s of ofType('AdoptLearning')) {
      expect(councils.has((requestOf(s) as { adoptingAreaCode: string }).adoptingAreaCode)).toBe(true);
    }
    expect(ofType('AdoptLearning').length).toBeGreaterThanOrEqual(2);
  });
});
