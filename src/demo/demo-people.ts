import { DEMO_COUNCILS, DEMO_PILOTS } from './demo-data.js';

/** A person of the demo programme, to sign in as (web) or to issue a token for (the zero-setup start). */
export interface DemoPerson {
  readonly subject: string;
  readonly name: string;
  readonly role: 'CENTRAL' | 'PILOT' | 'COUNCIL';
  /** ONS code of the person's council (PILOT and COUNCIL). */
  readonly area?: string;
  /** The council's name. */
  readonly areaName?: string;
  /** What they do, in a sentence for the "sign in as" page. */
  readonly description: string;
}

/** The council the demo signs in as "another council": the first non-pilot council of the demo (Leicester). */
const OTHER_COUNCIL = DEMO_COUNCILS[0]!;

/** The central integration team, an officer of each of the five pilots, and an officer of another council. */
export const DEMO_PEOPLE: readonly DemoPerson[] = [
  {
    subject: 'demo-central',
    name: 'Central integration team (demo)',
    role: 'CENTRAL',
    description:
      'Compare the five pilots, review their quarterly returns, manage areas and grant allocations.',
  },
  ...DEMO_PILOTS.map((p): DemoPerson => ({
    subject: `demo-pilot-${p.code}`,
    name: `${p.name} officer (demo)`,
    role: 'PILOT',
    area: p.code,
    description: `Record ${p.name}'s actions, spend and outcome measurements, and submit its quarterly returns.`,
  })),
  {
    subject: `demo-council-${OTHER_COUNCIL.code}`,
    name: `${OTHER_COUNCIL.name} officer (demo)`,
    role: 'COUNCIL',
    area: OTHER_COUNCIL.code,
    areaName: OTHER_COUNCIL.name,
    description: `Find what the pilots learned and record what ${OTHER_COUNCIL.name} adopts.`,
  },
];
