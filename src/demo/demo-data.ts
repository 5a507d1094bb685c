import type { PartnerSector, Region } from '../areas/public-api.js';
import type { IndicatorData } from '../outcomes/public-api.js';

/**
 * The demo programme: the five real pilot areas and a handful of councils outside the programme, with two
 * financial years (2019-20 and 2020-21) of actions, funding, outcomes and returns.
 *
 * What is real comes from DOMAIN.md (the pilots, their strategies and priorities, the press-reported first-year
 * awards, the national survey figures, the pilots' own local figures). Everything else is invented, and says so
 * in the data itself: partner names, notes, descriptions and sources carry "(illustrative)", action descriptions
 * end with ILLUSTRATIVE_RECORD, indicator definitions say that demo values are illustrative, and learning item
 * summaries start "Illustrative example:".
 */

export const ILLUSTRATIVE = '(illustrative)';
export const ILLUSTRATIVE_RECORD =
  'Illustrative demo record: its dates, partners, milestones and figures are invented.';
export const ILLUSTRATIVE_EXAMPLE = 'Illustrative example:';

export const YEARS = ['2019-20', '2020-21'] as const;
export type DemoYear = (typeof YEARS)[number];
/** The eight quarters of the demo, in order. */
export const QUARTERS = YEARS.flatMap((y) => [1, 2, 3, 4].map((q) => `${y} Q${q}`));

/** The programme's main funding stream. */
export const IAP = 'Integration Area Programme';

export interface DemoActor {
  readonly subject: string;
  readonly name: string;
  readonly role: string;
  readonly area?: string;
}

export const CENTRAL: DemoActor = { subject: 'demo-seed', name: 'Demo data loader', role: 'CENTRAL' };

export interface DemoPartner {
  readonly key: string;
  readonly name: string;
  readonly sector: PartnerSector;
}

export interface DemoMilestone {
  readonly key: string;
  readonly title: string;
  readonly due: string;
  readonly reached?: { readonly on: string; readonly note: string };
}

export type DemoTransition =
  | { readonly type: 'start'; readonly on: string }
  | { readonly type: 'pause'; readonly on: string; readonly reason: string }
  | { readonly type: 'resume'; readonly on: string }
  | { readonly type: 'complete'; readonly on: string; readonly summary: string }
  | { readonly type: 'cancel'; readonly on: string; readonly reason: string };

export interface DemoRevision {
  /** The quarter in whose processing the revision is made. */
  readonly quarter: string;
  readonly reason: string;
  readonly plannedStart?: string;
  readonly plannedEnd?: string;
}

/** Pounds (may have pence: 2307.5); converted to integer pence by the plan. */
export type Pounds = number;

export interface DemoActionFunding {
  readonly year: DemoYear;
  readonly commit: Pounds;
  /** Spend reported in Q1..Q4 of the year; 0 means nothing reported that quarter. */
  readonly spend: readonly [Pounds, Pounds, Pounds, Pounds];
}

export interface DemoAction {
  readonly key: string;
  readonly title: string;
  /** What the action is; the plan appends ILLUSTRATIVE_RECORD. */
  readonly description: string;
  readonly themes: readonly string[];
  readonly lead: string;
  readonly partners: readonly string[];
  readonly plannedStart: string;
  readonly plannedEnd: string;
  /** The quarter in which the action is planned (added to the action plan). */
  readonly plannedIn: string;
  readonly milestones: readonly DemoMilestone[];
  readonly transitions: readonly DemoTransition[];
  readonly revisions?: readonly DemoRevision[];
  readonly funding: readonly DemoActionFunding[];
}

export interface DemoAllocation {
  readonly year: DemoYear;
  readonly stream: string;
  readonly amount: Pounds;
  readonly note: string;
  /** The ISO date the grant was awarded: before or at the start of its year (illustrative: see AWARDED). */
  readonly awardedOn: string;
}

export type DemoFundingChange =
  | {
      readonly type: 'reprofile';
      readonly quarter: string;
      readonly from: DemoYear;
      readonly to: DemoYear;
      readonly amount: Pounds;
      readonly reason: string;
    }
  | {
      readonly type: 'reduce';
      readonly quarter: string;
      readonly year: DemoYear;
      readonly amount: Pounds;
      readonly reason: string;
    }
  | {
      readonly type: 'overspend';
      readonly quarter: string;
      readonly year: DemoYear;
      readonly amount: Pounds;
      readonly reason: string;
    };

export interface DemoMatch {
  readonly key: string;
  readonly quarter: string;
  readonly partner: string;
  readonly action: string | null;
  readonly year: DemoYear;
  readonly kind: 'CASH' | 'IN_KIND';
  readonly amount: Pounds;
  readonly description: string;
}

export interface DemoSpendCorrection {
  readonly action: string;
  /** The quarter whose spend is restated (also when it is done: before that quarter's return, or in its send-back window). */
  readonly quarter: string;
  readonly amount: Pounds;
  readonly reason: string;
  readonly afterSendBack: boolean;
}

/** Survey waves and other non-quarterly periods used by the demo's measurements. */
export const WAVES = {
  PULSE_2020: { label: "Residents' pulse survey Jan to Mar 2020", start: '2020-01-01', end: '2020-03-31' },
  SURVEY_2020: { label: "Residents' survey Oct 2019 to Sep 2020", start: '2019-10-01', end: '2020-09-30' },
  PULSE_2021: { label: "Residents' pulse survey Jan to Mar 2021", start: '2021-01-01', end: '2021-03-31' },
  APS_2019_20: {
    label: 'Annual Population Survey Apr 2019 to Mar 2020',
    start: '2019-04-01',
    end: '2020-03-31',
  },
  APS_2020_21: {
    label: 'Annual Population Survey Apr 2020 to Mar 2021',
    start: '2020-04-01',
    end: '2021-03-31',
  },
} as const;
export type WaveKey = keyof typeof WAVES;

export interface DemoIndicatorPlan {
  readonly indicator: string;
  readonly baseline: { readonly value: number; readonly date: string; readonly source: string };
  readonly targets: readonly { readonly value: number; readonly date: string }[];
  /** Values for the eight quarters, in order; null: not reported that quarter. */
  readonly quarterly?: {
    readonly values: readonly (number | null)[];
    readonly source: string;
  };
  readonly waves?: readonly {
    readonly wave: WaveKey;
    readonly value: number;
    readonly sampleSize?: number;
    readonly source: string;
  }[];
}

export interface DemoMeasurementCorrection {
  readonly indicator: string;
  /** A quarter name (for quarterly measurements) or a wave key. */
  readonly period: string;
  readonly value: number;
  readonly reason: string;
  readonly afterSendBack: boolean;
}

export interface DemoPilot {
  readonly code: string;
  readonly name: string;
  readonly region: Region;
  readonly strategy: string;
  /** The pilot's integration team: the actor of its own commands. */
  readonly team: string;
  readonly partners: readonly DemoPartner[];
  readonly allocations: readonly DemoAllocation[];
  readonly fundingChanges: readonly DemoFundingChange[];
  readonly actions: readonly DemoAction[];
  readonly match: readonly DemoMatch[];
  readonly spendCorrections: readonly DemoSpendCorrection[];
  readonly outcomes: readonly DemoIndicatorPlan[];
  readonly measurementCorrections: readonly DemoMeasurementCorrection[];
  readonly returns: {
    /** A quarter whose return is sent back (with comments), corrected and resubmitted, then approved. */
    readonly sentBack?: {
      readonly quarter: string;
      readonly comments: string;
      readonly resubmissionNote: string;
    };
    /** A quarter whose return is submitted and left awaiting the central team's review. */
    readonly awaitingReview?: string;
  };
}

export interface DemoCouncil {
  readonly code: string;
  readonly name: string;
  readonly region: Region;
  /** Who records the council's adoptions of learning. */
  readonly team: string;
}

function localPartners(place: string, council: string): DemoPartner[] {
  return [
    { key: 'council', name: council, sector: 'COUNCIL' },
    { key: 'police', name: `${place} neighbourhood policing team ${ILLUSTRATIVE}`, sector: 'POLICE' },
    { key: 'schools', name: `${place} schools partnership ${ILLUSTRATIVE}`, sector: 'SCHOOLS' },
    { key: 'nhs', name: `${place} NHS community health partners ${ILLUSTRATIVE}`, sector: 'NHS' },
    {
      key: 'voluntary',
      name: `${place} voluntary and community sector forum ${ILLUSTRATIVE}`,
      sector: 'VOLUNTARY',
    },
    { key: 'faith', name: `${place} interfaith forum ${ILLUSTRATIVE}`, sector: 'FAITH' },
    { key: 'business', name: `${place} employers' network ${ILLUSTRATIVE}`, sector: 'BUSINESS' },
  ];
}

const COVID_SCHOOLS = `Schools closed to most pupils under COVID-19 restrictions; link visits suspended ${ILLUSTRATIVE}`;
const COVID_CLASSES = `Classroom teaching suspended under COVID-19 restrictions ${ILLUSTRATIVE}`;
const SURVEY = (place: string) =>
  `${place} residents' survey, asking the Community Life Survey question ${ILLUSTRATIVE}`;
const PROGRAMME_RECORDS = (what: string) => `Programme records: ${what} ${ILLUSTRATIVE}`;

/** The national cohesion measure's context figures (Community Life Survey), quoted in baselines' sources. */
const NATIONAL_GET_ON_WELL =
  'national context: 81% agreed in the Community Life Survey 2018-19 (83% in 2020-21)';

// ------------------------------------------------------------------------------------------------- indicators

const DEMO_VALUES =
  'In the demo programme every baseline, target and measurement of this indicator is illustrative unless its source says where the figure comes from.';

export const DEMO_INDICATORS: readonly IndicatorData[] = [
  {
    code: 'GET_ON_WELL',
    name: 'People who agree their area is a place where people from different backgrounds get on well together',
    unit: 'PERCENTAGE',
    direction: 'HIGHER_IS_BETTER',
    theme: 'PLACES_AND_COMMUNITY',
    domain: 'SOCIAL_BRIDGES',
    integrationFactor: 'COMMON_GROUND',
    definition:
      'Percentage of adult residents who agree (definitely or tend to) that their local area is a place where people from different backgrounds get on well together: the national cohesion measure. Nationally 81% agreed in 2018-19 and 83% in 2020-21 (Community Life Survey). ' +
      DEMO_VALUES,
    source: "Local residents' survey asking the Community Life Survey question",
  },
  {
    code: 'BELONG_TO_NEIGHBOURHOOD',
    name: 'People who feel they belong strongly to their neighbourhood',
    unit: 'PERCENTAGE',
    direction: 'HIGHER_IS_BETTER',
    theme: 'PLACES_AND_COMMUNITY',
    domain: 'SOCIAL_BONDS',
    integrationFactor: 'COMMON_GROUND',
    definition:
      'Percentage of adult residents who feel they belong very or fairly strongly to their immediate neighbourhood (65% nationally in 2020-21, Community Life Survey). ' +
      DEMO_VALUES,
    source: "Local residents' survey",
  },
  {
    code: 'MIXING_MONTHLY',
    name: 'People who mix socially with people from different backgrounds at least once a month',
    unit: 'PERCENTAGE',
    direction: 'HIGHER_IS_BETTER',
    theme: 'PLACES_AND_COMMUNITY',
    domain: 'SOCIAL_BRIDGES',
    integrationFactor: 'PARTICIPATION_AND_EMPOWERMENT',
    definition:
      'Percentage of adult residents who say they mix socially with people from different ethnic or religious backgrounds at least once a month, outside work and home. ' +
      DEMO_VALUES,
    source: "Local residents' survey",
  },
  {
    code: 'ESOL_ENROLMENTS',
    name: 'ESOL learners enrolled',
    unit: 'COUNT',
    direction: 'HIGHER_IS_BETTER',
    theme: 'ENGLISH_LANGUAGE',
    domain: 'LANGUAGE_AND_COMMUNICATION',
    integrationFactor: 'SOCIAL_MOBILITY',
    definition:
      'Number of adults newly enrolled on English for Speakers of Other Languages (ESOL) courses funded or supported by the programme in the period (incremental, not year to date). ' +
      DEMO_VALUES,
    source: "Programme records (ESOL providers' enrolment returns)",
  },
  {
    code: 'ESOL_ENTRY_QUALIFICATIONS',
    name: 'ESOL learners completing an entry-level qualification',
    unit: 'COUNT',
    direction: 'HIGHER_IS_BETTER',
    theme: 'ENGLISH_LANGUAGE',
    domain: 'LANGUAGE_AND_COMMUNICATION',
    integrationFactor: 'SOCIAL_MOBILITY',
    definition:
      'Number of ESOL learners who achieved an entry-level ESOL qualification in the period (incremental). ' +
      DEMO_VALUES,
    source: "Programme records (awarding bodies' results)",
  },
  {
    code: 'LIMITED_ENGLISH',
    name: 'Residents who do not speak English well or at all',
    unit: 'PERCENTAGE',
    direction: 'LOWER_IS_BETTER',
    theme: 'ENGLISH_LANGUAGE',
    domain: 'LANGUAGE_AND_COMMUNICATION',
    integrationFactor: 'SOCIAL_MOBILITY',
    definition:
      'Percentage of residents aged 16 and over who report that they do not speak English well or at all (1.3% nationally). ' +
      DEMO_VALUES,
    source: "Census and local residents' survey",
  },
  {
    code: 'YOUNG_PEOPLE_MIXING',
    name: 'Young people taking part in mixing or social-action programmes',
    unit: 'COUNT',
    direction: 'HIGHER_IS_BETTER',
    theme: 'EDUCATION_AND_YOUNG_PEOPLE',
    domain: 'EDUCATION',
    integrationFactor: 'COMMON_GROUND',
    definition:
      'Number of children and young people taking part in school linking, youth mixing or social-action activities in the period (incremental). ' +
      DEMO_VALUES,
    source: 'Programme records (attendance registers)',
  },
  {
    code: 'HATE_CRIMES',
    name: 'Hate crimes recorded by the police',
    unit: 'RATE_PER_1000',
    direction: 'LOWER_IS_BETTER',
    theme: 'RIGHTS_AND_FREEDOMS',
    domain: 'SAFETY',
    integrationFactor: 'TACKLING_INTOLERANCE_AND_EXTREMISM',
    definition:
      'Hate crimes recorded by the police in the period per 1,000 residents (a quarterly rate). A rise can reflect more reporting as well as more crime. ' +
      DEMO_VALUES,
    source: 'Police recorded crime (administrative data)',
  },
  {
    code: 'WOMEN_INACTIVITY_GAP',
    name: 'Gap in economic inactivity between ethnic-minority and white women of working age',
    unit: 'PERCENTAGE',
    direction: 'LOWER_IS_BETTER',
    theme: 'ECONOMIC_OPPORTUNITY',
    domain: 'WORK',
    integrationFactor: 'SOCIAL_MOBILITY',
    definition:
      'Percentage of ethnic-minority women aged 16 to 64 who are economically inactive minus the percentage of white women who are (percentage points). ' +
      DEMO_VALUES,
    source: 'Annual Population Survey (Office for National Statistics)',
  },
];

// ----------------------------------------------------------------------------------------------------- pilots

const Y1 = '2019-20';
const Y2 = '2020-21';
/**
 * When the demo's grants were awarded: illustrative dates before or at the start of each year (the real
 * programme announced its first-year awards in 2018).
 */
const AWARDED = {
  [Y1]: '2019-03-08',
  [Y2]: '2020-03-20',
  englishLanguage: '2019-04-01',
} as const;

export const DEMO_PILOTS: readonly DemoPilot[] = [
  // ------------------------------------------------------------------------------- Blackburn with Darwen
  {
    code: 'E06000008',
    name: 'Blackburn with Darwen',
    region: 'North West',
    strategy: 'Our Community, Our Future (2018-21)',
    team: 'Blackburn with Darwen integration team',
    partners: [
      ...localPartners('Blackburn with Darwen', 'Blackburn with Darwen Borough Council'),
      { key: 'dwp', name: 'Department for Work and Pensions', sector: 'OTHER' },
      { key: 'sport-england', name: 'Sport England', sector: 'OTHER' },
    ],
    allocations: [
      {
        year: Y1,
        stream: IAP,
        amount: 383_133,
        note: "Blackburn with Darwen's first-year award as reported in the press (£383,133, for 2018-19), placed in 2019-20 for this demo (illustrative placement)",
        awardedOn: AWARDED[Y1],
      },
      {
        year: Y2,
        stream: IAP,
        amount: 700_000,
        note: `Second-year allocation ${ILLUSTRATIVE}`,
        awardedOn: AWARDED[Y2],
      },
    ],
    fundingChanges: [],
    actions: [
      {
        key: 'youth-ambassadors',
        title: 'Youth Ambassadors',
        description:
          'Young people from different backgrounds trained as ambassadors who lead mixing activities in schools, colleges and youth clubs (from Our Community, Our Future).',
        themes: ['EDUCATION_AND_YOUNG_PEOPLE', 'PLACES_AND_COMMUNITY'],
        lead: 'schools',
        partners: ['council', 'voluntary'],
        plannedStart: '2019-05-01',
        plannedEnd: '2021-07-31',
        plannedIn: `${Y1} Q1`,
        milestones: [
          {
            key: 'cohort-1',
            title: `First cohort of 40 ambassadors trained ${ILLUSTRATIVE}`,
            due: '2019-10-31',
            reached: { on: '2019-10-18', note: `38 of the 40 places filled ${ILLUSTRATIVE}` },
          },
          {
            key: 'cohort-2',
            title: `Second cohort recruited ${ILLUSTRATIVE}`,
            due: '2020-11-30',
            reached: { on: '2020-11-20', note: `Recruited online ${ILLUSTRATIVE}` },
          },
        ],
        transitions: [
          { type: 'start', on: '2019-05-07' },
          {
            type: 'pause',
            on: '2020-03-23',
            reason: `Face-to-face youth sessions suspended under COVID-19 restrictions ${ILLUSTRATIVE}`,
          },
          { type: 'resume', on: '2020-09-07' },
        ],
        funding: [
          { year: Y1, commit: 110_000, spend: [12_000, 28_500, 31_250, 24_800] },
          { year: Y2, commit: 150_000, spend: [4_200, 18_600, 41_300, 46_900] },
        ],
      },
      {
        key: 'workforce-ambassadors',
        title: 'Workforce Ambassadors',
        description:
          'Staff of local employers trained to champion mixing in the workplace and to open routes into work (employers and workplace mixing are priorities of Our Community, Our Future).',
        themes: ['ECONOMIC_OPPORTUNITY', 'PLACES_AND_COMMUNITY'],
        lead: 'business',
        partners: ['council', 'dwp'],
        plannedStart: '2019-06-01',
        plannedEnd: '2021-03-31',
        plannedIn: `${Y1} Q1`,
        milestones: [
          {
            key: 'employers',
            title: `Ten employers signed up ${ILLUSTRATIVE}`,
            due: '2019-12-31',
            reached: { on: '2019-12-06', note: `Eleven employers signed the pledge ${ILLUSTRATIVE}` },
          },
        ],
        transitions: [
          { type: 'start', on: '2019-07-01' },
          {
            type: 'complete',
            on: '2021-03-26',
            summary: `64 workforce ambassadors in 23 workplaces; employers continue the scheme themselves ${ILLUSTRATIVE}`,
          },
        ],
        funding: [
          { year: Y1, commit: 85_000, spend: [0, 14_200, 22_600, 19_900] },
          { year: Y2, commit: 140_000, spend: [21_000, 29_400, 36_800, 38_100] },
        ],
      },
      {
        key: 'schools-linking',
        title: 'Schools Linking',
        description:
          'Classes from schools serving different communities paired for a year of joint lessons and visits; nationally evaluated, pupils gained confidence meeting young people of other backgrounds.',
        themes: ['EDUCATION_AND_YOUNG_PEOPLE'],
        lead: 'schools',
        partners: ['council'],
        plannedStart: '2019-09-01',
        plannedEnd: '2020-07-31',
        plannedIn: `${Y1} Q2`,
        milestones: [
          {
            key: 'pairs',
            title: `Twelve school pairs linked ${ILLUSTRATIVE}`,
            due: '2019-10-31',
            reached: { on: '2019-10-11', note: `All twelve pairs held a first joint lesson ${ILLUSTRATIVE}` },
          },
        ],
        transitions: [
          { type: 'start', on: '2019-09-09' },
          {
            type: 'complete',
            on: '2020-07-17',
            summary: `12 school pairs linked; summer-term visits replaced by online exchanges ${ILLUSTRATIVE}`,
          },
        ],
        funding: [
          { year: Y1, commit: 70_000, spend: [0, 8_400, 21_300, 23_900] },
          { year: Y2, commit: 18_000, spend: [9_300, 7_150, 0, 0] },
        ],
      },
      {
        key: 'community-conversations',
        title: 'Community Conversations',
        description:
          "Facilitated conversations in neighbourhoods about living together, feeding residents' views into the partnership.",
        themes: ['PLACES_AND_COMMUNITY', 'LEADERSHIP'],
        lead: 'voluntary',
        partners: ['faith', 'council'],
        plannedStart: '2019-07-01',
        plannedEnd: '2020-12-31',
        plannedIn: `${Y1} Q1`,
        milestones: [
          {
            key: 'round-1',
            title: `First round of 20 conversations held ${ILLUSTRATIVE}`,
            due: '2020-01-31',
            reached: { on: '2020-01-24', note: `22 conversations held ${ILLUSTRATIVE}` },
          },
        ],
        transitions: [
          { type: 'start', on: '2019-07-15' },
          {
            type: 'complete',
            on: '2020-12-18',
            summary: `46 conversations with about 900 residents; findings reported to the partnership ${ILLUSTRATIVE}`,
          },
        ],
        funding: [
          { year: Y1, commit: 60_000, spend: [0, 11_750, 16_400, 15_980] },
          { year: Y2, commit: 45_000, spend: [8_900, 12_400, 17_300, 0] },
        ],
      },
      {
        key: 'transport-barriers',
        title: 'Tackling transport as a barrier to mixing',
        description:
          'Travel support so that residents of outlying neighbourhoods can reach mixing activities and jobs (Our Community, Our Future names transport as a barrier).',
        themes: ['PLACES_AND_COMMUNITY', 'ECONOMIC_OPPORTUNITY'],
        lead: 'council',
        partners: ['business', 'voluntary'],
        plannedStart: '2020-09-01',
        plannedEnd: '2021-08-31',
        plannedIn: `${Y2} Q1`,
        milestones: [
          {
            key: 'launch',
            title: `Travel support scheme launched ${ILLUSTRATIVE}`,
            due: '2020-11-30',
            reached: { on: '2020-11-02', note: `Scheme open to applications ${ILLUSTRATIVE}` },
          },
        ],
        revisions: [
          {
            quarter: `${Y2} Q2`,
            reason: `Start moved back a month while COVID-19 restrictions limited group travel ${ILLUSTRATIVE}`,
            plannedStart: '2020-10-01',
          },
        ],
        transitions: [{ type: 'start', on: '2020-10-05' }],
        funding: [{ year: Y2, commit: 90_000, spend: [0, 0, 24_600, 31_200] }],
      },
      {
        key: 'community-sport',
        title: 'Mixed community sports sessions',
        description:
          'Weekly sport sessions that bring residents of different backgrounds together, with Sport England, a national partner of the strategy.',
        themes: ['PLACES_AND_COMMUNITY'],
        lead: 'council',
        partners: ['sport-england'],
        plannedStart: '2021-04-01',
        plannedEnd: '2022-03-31',
        plannedIn: `${Y2} Q3`,
        milestones: [
          { key: 'venues', title: `Venues and coaches confirmed ${ILLUSTRATIVE}`, due: '2021-05-31' },
        ],
        transitions: [],
        funding: [],
      },
    ],
    match: [
      {
        key: 'employers-training',
        quarter: `${Y1} Q2`,
        partner: 'business',
        action: 'workforce-ambassadors',
        year: Y1,
        kind: 'CASH',
        amount: 15_000,
        description: `Employers' contribution to Workforce Ambassador training ${ILLUSTRATIVE}`,
      },
      {
        key: 'volunteer-facilitators',
        quarter: `${Y2} Q1`,
        partner: 'voluntary',
        action: 'community-conversations',
        year: Y2,
        kind: 'IN_KIND',
        amount: 8_500,
        description: `Volunteer facilitators' time for Community Conversations ${ILLUSTRATIVE}`,
      },
    ],
    spendCorrections: [],
    outcomes: [
      {
        indicator: 'GET_ON_WELL',
        baseline: {
          value: 72,
          date: '2019-03-31',
          source: `Residents' survey 2018-19 (illustrative local figure; ${NATIONAL_GET_ON_WELL})`,
        },
        targets: [
          { value: 74, date: '2020-03-31' },
          { value: 77, date: '2021-03-31' },
        ],
        waves: [
          { wave: 'PULSE_2020', value: 73.4, sampleSize: 510, source: SURVEY('Blackburn with Darwen') },
          { wave: 'SURVEY_2020', value: 75.1, sampleSize: 1_020, source: SURVEY('Blackburn with Darwen') },
          { wave: 'PULSE_2021', value: 76.2, sampleSize: 530, source: SURVEY('Blackburn with Darwen') },
        ],
      },
      {
        indicator: 'YOUNG_PEOPLE_MIXING',
        baseline: {
          value: 80,
          date: '2019-03-31',
          source: `Youth service records, 2018-19 Q4 ${ILLUSTRATIVE}`,
        },
        targets: [{ value: 250, date: '2021-03-31' }],
        quarterly: {
          values: [95, 140, 185, 160, 35, 60, 170, 215],
          source: PROGRAMME_RECORDS('Youth Ambassador and Schools Linking registers'),
        },
      },
      {
        indicator: 'MIXING_MONTHLY',
        baseline: { value: 48, date: '2019-03-31', source: `Residents' survey 2018-19 ${ILLUSTRATIVE}` },
        targets: [{ value: 55, date: '2021-03-31' }],
        waves: [
          { wave: 'PULSE_2020', value: 49.5, sampleSize: 510, source: SURVEY('Blackburn with Darwen') },
          { wave: 'SURVEY_2020', value: 47.8, sampleSize: 1_020, source: SURVEY('Blackburn with Darwen') },
          { wave: 'PULSE_2021', value: 50.9, sampleSize: 530, source: SURVEY('Blackburn with Darwen') },
        ],
      },
      {
        indicator: 'HATE_CRIMES',
        baseline: {
          value: 0.62,
          date: '2019-03-31',
          source: `Police recorded crime, 2018-19 Q4 ${ILLUSTRATIVE}`,
        },
        targets: [{ value: 0.5, date: '2021-03-31' }],
        quarterly: {
          values: [0.6, 0.64, 0.57, 0.55, 0.51, 0.66, 0.54, 0.52],
          source: `Police recorded crime ${ILLUSTRATIVE}`,
        },
      },
    ],
    measurementCorrections: [],
    returns: {},
  },

  // --------------------------------------------------------------------------------------------- Bradford
  {
    code: 'E08000032',
    name: 'Bradford',
    region: 'Yorkshire and The Humber',
    strategy: 'Stronger Communities Together ("Bradford for Everyone")',
    team: 'Bradford integration team',
    partners: localPartners('Bradford', 'City of Bradford Metropolitan District Council'),
    allocations: [
      {
        year: Y1,
        stream: IAP,
        amount: 1_200_000,
        note: "About £1.2m: Bradford's first-year award as reported in the press, rounded, placed in 2019-20 for this demo (illustrative)",
        awardedOn: AWARDED[Y1],
      },
      {
        year: Y2,
        stream: IAP,
        amount: 1_100_000,
        note: `Second-year allocation ${ILLUSTRATIVE}`,
        awardedOn: AWARDED[Y2],
      },
    ],
    fundingChanges: [
      {
        type: 'reduce',
        quarter: `${Y2} Q4`,
        year: Y2,
        amount: 50_000,
        reason: `Underspend from the cancelled intergenerational clubs returned to the programme ${ILLUSTRATIVE}`,
      },
    ],
    actions: [
      {
        key: 'schools-linking',
        title: 'Schools Linking',
        description:
          'Classes from schools serving different communities linked for joint lessons and visits (education is a priority of Stronger Communities Together).',
        themes: ['EDUCATION_AND_YOUNG_PEOPLE'],
        lead: 'schools',
        partners: ['council', 'voluntary'],
        plannedStart: '2019-04-01',
        plannedEnd: '2021-03-31',
        plannedIn: `${Y1} Q1`,
        milestones: [
          {
            key: 'classes-linked',
            title: `40 classes linked for 2019-20 ${ILLUSTRATIVE}`,
            due: '2019-10-31',
            reached: { on: '2019-10-25', note: `42 classes linked ${ILLUSTRATIVE}` },
          },
          {
            key: 'resumed',
            title: `Linking resumed in schools ${ILLUSTRATIVE}`,
            due: '2020-12-31',
            reached: { on: '2020-10-16', note: `Linking resumed in class bubbles ${ILLUSTRATIVE}` },
          },
        ],
        revisions: [
          {
            quarter: `${Y2} Q2`,
            reason: `Extended by a term to make up for school closures in 2020 ${ILLUSTRATIVE}`,
            plannedEnd: '2021-07-23',
          },
        ],
        transitions: [
          { type: 'start', on: '2019-04-23' },
          { type: 'pause', on: '2020-03-20', reason: COVID_SCHOOLS },
          { type: 'resume', on: '2020-09-14' },
        ],
        funding: [
          { year: Y1, commit: 260_000, spend: [38_000, 52_500, 71_200, 64_800] },
          { year: Y2, commit: 240_000, spend: [6_500, 22_800, 68_400, 71_900] },
        ],
      },
      {
        key: 'community-ambassadors',
        title: 'Community Ambassadors',
        description:
          'Volunteers from every community trained to bring neighbours together and to carry messages both ways between residents and the partnership (social mixing is a priority of Stronger Communities Together).',
        themes: ['PLACES_AND_COMMUNITY', 'LEADERSHIP'],
        lead: 'voluntary',
        partners: ['faith', 'council'],
        plannedStart: '2019-06-01',
        plannedEnd: '2021-03-31',
        plannedIn: `${Y1} Q1`,
        milestones: [
          {
            key: 'recruited',
            title: `60 ambassadors recruited ${ILLUSTRATIVE}`,
            due: '2019-12-31',
            reached: { on: '2019-11-29', note: `63 ambassadors recruited ${ILLUSTRATIVE}` },
          },
        ],
        transitions: [{ type: 'start', on: '2019-07-08' }],
        funding: [
          { year: Y1, commit: 220_000, spend: [0, 41_300, 58_900, 62_400] },
          { year: Y2, commit: 210_000, spend: [39_700, 45_100, 52_600, 55_800] },
        ],
      },
      {
        key: 'routes-into-work',
        title: 'Routes into employment',
        description:
          'Employment support for residents furthest from work, with local employers offering placements (employment is a priority of Stronger Communities Together).',
        themes: ['ECONOMIC_OPPORTUNITY'],
        lead: 'business',
        partners: ['council', 'voluntary'],
        plannedStart: '2019-07-01',
        plannedEnd: '2021-03-31',
        plannedIn: `${Y1} Q1`,
        milestones: [
          {
            key: 'first-100',
            title: `First 100 residents supported ${ILLUSTRATIVE}`,
            due: '2020-03-31',
            reached: { on: '2020-02-14', note: `104 residents supported, 31 into work ${ILLUSTRATIVE}` },
          },
        ],
        transitions: [{ type: 'start', on: '2019-07-01' }],
        funding: [
          { year: Y1, commit: 300_000, spend: [0, 48_000, 81_600, 94_300] },
          { year: Y2, commit: 330_000, spend: [71_200, 78_900, 84_300, 88_600] },
        ],
      },
      {
        key: 'perceptions-campaign',
        title: 'Perceptions of the other: myth-busting campaign',
        description:
          "A campaign built on residents' own stories to challenge myths about other communities (perceptions of the other is a priority of Stronger Communities Together).",
        themes: ['RIGHTS_AND_FREEDOMS', 'PLACES_AND_COMMUNITY'],
        lead: 'council',
        partners: ['police', 'faith'],
        plannedStart: '2019-10-01',
        plannedEnd: '2020-09-30',
        plannedIn: `${Y1} Q2`,
        milestones: [
          {
            key: 'launch',
            title: `Campaign launched ${ILLUSTRATIVE}`,
            due: '2019-11-30',
            reached: { on: '2019-11-12', note: `Launched at a community event ${ILLUSTRATIVE}` },
          },
        ],
        transitions: [
          { type: 'start', on: '2019-10-01' },
          {
            type: 'complete',
            on: '2020-09-25',
            summary: `The campaign reached an estimated 120,000 residents online and in print ${ILLUSTRATIVE}`,
          },
        ],
        funding: [
          { year: Y1, commit: 120_000, spend: [0, 0, 36_400, 41_900] },
          { year: Y2, commit: 60_000, spend: [21_400, 27_300, 0, 0] },
        ],
      },
      {
        key: 'intergenerational-clubs',
        title: 'Intergenerational mixing clubs',
        description:
          'Weekly clubs where older and younger residents of different backgrounds meet, cook and play together.',
        themes: ['PLACES_AND_COMMUNITY'],
        lead: 'voluntary',
        partners: ['nhs'],
        plannedStart: '2019-08-01',
        plannedEnd: '2021-03-31',
        plannedIn: `${Y1} Q1`,
        milestones: [],
        transitions: [
          { type: 'start', on: '2019-08-05' },
          {
            type: 'pause',
            on: '2020-03-18',
            reason: `Clubs suspended to protect older members during COVID-19 ${ILLUSTRATIVE}`,
          },
          {
            type: 'cancel',
            on: '2020-05-15',
            reason: `The clubs could not restart safely; the remaining funds are to be returned ${ILLUSTRATIVE}`,
          },
        ],
        funding: [{ year: Y1, commit: 90_000, spend: [0, 12_600, 27_800, 18_200] }],
      },
    ],
    match: [
      {
        key: 'placement-wages',
        quarter: `${Y1} Q2`,
        partner: 'business',
        action: 'routes-into-work',
        year: Y1,
        kind: 'CASH',
        amount: 40_000,
        description: `Employers' wages for work placements ${ILLUSTRATIVE}`,
      },
      {
        key: 'teachers-time',
        quarter: `${Y1} Q2`,
        partner: 'schools',
        action: 'schools-linking',
        year: Y1,
        kind: 'IN_KIND',
        amount: 25_000,
        description: `Teachers' time and school halls for link days ${ILLUSTRATIVE}`,
      },
      {
        key: 'club-venues',
        quarter: `${Y1} Q3`,
        partner: 'nhs',
        action: 'intergenerational-clubs',
        year: Y1,
        kind: 'IN_KIND',
        amount: 6_000,
        description: `Health centre rooms for the intergenerational clubs ${ILLUSTRATIVE}`,
      },
    ],
    spendCorrections: [
      {
        action: 'schools-linking',
        quarter: `${Y1} Q3`,
        amount: 61_200,
        reason: `£10,000 of transport costs had already been reported in 2019-20 Q2 ${ILLUSTRATIVE}`,
        afterSendBack: true,
      },
    ],
    outcomes: [
      {
        indicator: 'GET_ON_WELL',
        baseline: {
          value: 70,
          date: '2019-03-31',
          source: `Residents' survey 2018-19 (illustrative local figure; ${NATIONAL_GET_ON_WELL})`,
        },
        targets: [
          { value: 72, date: '2020-03-31' },
          { value: 75, date: '2021-03-31' },
        ],
        waves: [
          { wave: 'PULSE_2020', value: 71.2, sampleSize: 980, source: SURVEY('Bradford') },
          { wave: 'SURVEY_2020', value: 73.0, sampleSize: 2_150, source: SURVEY('Bradford') },
          { wave: 'PULSE_2021', value: 73.8, sampleSize: 1_010, source: SURVEY('Bradford') },
        ],
      },
      {
        indicator: 'YOUNG_PEOPLE_MIXING',
        baseline: {
          value: 600,
          date: '2019-03-31',
          source: `Schools Linking registers, 2018-19 Q4 ${ILLUSTRATIVE}`,
        },
        targets: [{ value: 1_400, date: '2021-03-31' }],
        quarterly: {
          values: [720, 910, 1_180, 1_050, 40, 240, 980, 1_260],
          source: PROGRAMME_RECORDS('Schools Linking registers'),
        },
      },
      {
        indicator: 'ESOL_ENROLMENTS',
        baseline: {
          value: 310,
          date: '2019-03-31',
          source: `ESOL providers' returns, 2018-19 Q4 ${ILLUSTRATIVE}`,
        },
        targets: [{ value: 420, date: '2021-03-31' }],
        quarterly: {
          values: [318, 297, 352, 361, 204, 288, 377, 402],
          source: PROGRAMME_RECORDS("ESOL providers' enrolment returns"),
        },
      },
      {
        indicator: 'HATE_CRIMES',
        baseline: {
          value: 0.71,
          date: '2019-03-31',
          source: `Police recorded crime, 2018-19 Q4 ${ILLUSTRATIVE}`,
        },
        targets: [{ value: 0.6, date: '2021-03-31' }],
        quarterly: {
          values: [0.7, 0.74, 0.66, 0.63, 0.6, 0.72, 0.62, 0.59],
          source: `Police recorded crime ${ILLUSTRATIVE}`,
        },
      },
    ],
    measurementCorrections: [
      {
        indicator: 'ESOL_ENROLMENTS',
        period: `${Y1} Q3`,
        value: 349,
        reason: `Three duplicate enrolments removed ${ILLUSTRATIVE}`,
        afterSendBack: true,
      },
    ],
    returns: {
      sentBack: {
        quarter: `${Y1} Q3`,
        comments: `Schools Linking spend for 2019-20 Q3 seems to include transport costs already reported in Q2, and the ESOL enrolments look high: please check, correct and resubmit ${ILLUSTRATIVE}`,
        resubmissionNote: `Resubmitted with the corrected Schools Linking spend and ESOL enrolments ${ILLUSTRATIVE}`,
      },
    },
  },

  // ----------------------------------------------------------------------------------------- Peterborough
  {
    code: 'E06000031',
    name: 'Peterborough',
    region: 'East of England',
    strategy: 'Belonging Together ("Peterborough Together" board)',
    team: 'Peterborough integration team',
    partners: [
      ...localPartners('Peterborough', 'Peterborough City Council'),
      {
        key: 'esol-providers',
        name: `Peterborough community ESOL providers ${ILLUSTRATIVE}`,
        sector: 'VOLUNTARY',
      },
    ],
    allocations: [
      {
        year: Y1,
        stream: IAP,
        amount: 970_000,
        note: "About £970,000: Peterborough's first-year award as reported in the press, rounded, placed in 2019-20 for this demo (illustrative)",
        awardedOn: AWARDED[Y1],
      },
      {
        year: Y1,
        stream: 'Integrated Communities English Language Programme',
        amount: 120_000,
        note: `Share of the national English language programme (2019-20) ${ILLUSTRATIVE}`,
        awardedOn: AWARDED.englishLanguage,
      },
      {
        year: Y2,
        stream: IAP,
        amount: 900_000,
        note: `Second-year allocation ${ILLUSTRATIVE}`,
        awardedOn: AWARDED[Y2],
      },
    ],
    fundingChanges: [],
    actions: [
      {
        key: 'communities-fund',
        title: 'Belonging Together communities fund (small grants)',
        description:
          'A £300k communities fund making small grants to local groups that bring people together; its grants ranged from £2,307.50 to £19,971.',
        themes: ['PLACES_AND_COMMUNITY'],
        lead: 'council',
        partners: ['voluntary'],
        plannedStart: '2019-07-01',
        plannedEnd: '2021-03-31',
        plannedIn: `${Y1} Q1`,
        milestones: [
          {
            key: 'round-1',
            title: `First grants round awarded ${ILLUSTRATIVE}`,
            due: '2019-10-31',
            reached: { on: '2019-10-04', note: `15 grants awarded ${ILLUSTRATIVE}` },
          },
          {
            key: 'round-2',
            title: `Second grants round awarded ${ILLUSTRATIVE}`,
            due: '2020-10-31',
            reached: {
              on: '2020-10-09',
              note: `13 grants awarded, several for online activities ${ILLUSTRATIVE}`,
            },
          },
        ],
        transitions: [
          { type: 'start', on: '2019-07-01' },
          {
            type: 'complete',
            on: '2021-03-19',
            summary:
              '28 grants awarded from the £300k fund, from £2,307.50 to £19,971 (the range is from the published fund; the count is illustrative)',
          },
        ],
        funding: [
          { year: Y1, commit: 180_000, spend: [0, 38_450, 64_120, 57_230.5] },
          { year: Y2, commit: 120_000, spend: [18_900, 32_600, 34_250, 27_800] },
        ],
      },
      {
        key: 'esol-classes',
        title: 'ESOL classes in community venues',
        description:
          'English classes for residents who speak little or no English, in community venues: about 5% of Peterborough residents do not speak English well or at all, against 1.3% nationally (English language is a priority of Belonging Together).',
        themes: ['ENGLISH_LANGUAGE'],
        lead: 'esol-providers',
        partners: ['council', 'faith'],
        plannedStart: '2019-04-15',
        plannedEnd: '2021-03-31',
        plannedIn: `${Y1} Q1`,
        milestones: [
          {
            key: 'ten-venues',
            title: `Classes running in ten venues ${ILLUSTRATIVE}`,
            due: '2019-12-31',
            reached: { on: '2019-11-22', note: `Classes in eleven venues ${ILLUSTRATIVE}` },
          },
          {
            key: 'online',
            title: `Online classes launched ${ILLUSTRATIVE}`,
            due: '2020-09-30',
            reached: { on: '2020-06-08', note: `Most learners moved online ${ILLUSTRATIVE}` },
          },
        ],
        transitions: [
          { type: 'start', on: '2019-04-23' },
          { type: 'pause', on: '2020-03-23', reason: COVID_CLASSES },
          { type: 'resume', on: '2020-06-01' },
        ],
        funding: [
          { year: Y1, commit: 250_000, spend: [31_500, 58_200, 62_700, 54_300] },
          { year: Y2, commit: 260_000, spend: [38_400, 56_700, 61_200, 63_900] },
        ],
      },
      {
        key: 'youth-social-action',
        title: "Young people's social action programme",
        description:
          'Mixed groups of young people plan and run projects for their neighbourhoods (young people are a priority of Belonging Together).',
        themes: ['EDUCATION_AND_YOUNG_PEOPLE'],
        lead: 'schools',
        partners: ['voluntary'],
        plannedStart: '2019-09-01',
        plannedEnd: '2021-03-31',
        plannedIn: `${Y1} Q2`,
        milestones: [
          {
            key: 'first-projects',
            title: `First youth social-action projects completed ${ILLUSTRATIVE}`,
            due: '2020-03-31',
            reached: { on: '2020-02-28', note: `Nine projects completed ${ILLUSTRATIVE}` },
          },
        ],
        transitions: [
          { type: 'start', on: '2019-09-16' },
          {
            type: 'pause',
            on: '2021-01-05',
            reason: `Schools closed to most pupils again in January 2021 ${ILLUSTRATIVE}`,
          },
        ],
        funding: [
          { year: Y1, commit: 150_000, spend: [0, 18_600, 39_400, 41_800] },
          { year: Y2, commit: 160_000, spend: [12_300, 34_800, 41_600, 9_800] },
        ],
      },
      {
        key: 'community-conversations',
        title: 'Community Conversations',
        description:
          'Conversations in neighbourhoods about what brings people together and what keeps them apart (bringing communities together is a priority of Belonging Together).',
        themes: ['PLACES_AND_COMMUNITY'],
        lead: 'voluntary',
        partners: ['police', 'faith'],
        plannedStart: '2019-05-01',
        plannedEnd: '2020-03-31',
        plannedIn: `${Y1} Q1`,
        milestones: [],
        transitions: [
          { type: 'start', on: '2019-05-07' },
          {
            type: 'complete',
            on: '2020-03-13',
            summary: `31 conversations; three neighbourhood action groups formed ${ILLUSTRATIVE}`,
          },
        ],
        funding: [{ year: Y1, commit: 110_000, spend: [22_300, 29_800, 31_400, 19_700] }],
      },
      {
        key: 'english-for-work',
        title: 'English for work and employability',
        description:
          'Work-focused English and employability support with local employers (economic opportunity is a priority of Belonging Together).',
        themes: ['ECONOMIC_OPPORTUNITY', 'ENGLISH_LANGUAGE'],
        lead: 'business',
        partners: ['esol-providers', 'council'],
        plannedStart: '2020-07-01',
        plannedEnd: '2021-06-30',
        plannedIn: `${Y2} Q1`,
        milestones: [
          {
            key: 'placements',
            title: `First employer placements ${ILLUSTRATIVE}`,
            due: '2021-01-31',
            reached: { on: '2021-01-22', note: `Twelve learners on placements ${ILLUSTRATIVE}` },
          },
        ],
        transitions: [{ type: 'start', on: '2020-07-06' }],
        funding: [{ year: Y2, commit: 180_000, spend: [0, 27_400, 48_900, 52_300] }],
      },
    ],
    match: [
      {
        key: 'faith-venues',
        quarter: `${Y1} Q1`,
        partner: 'faith',
        action: 'esol-classes',
        year: Y1,
        kind: 'IN_KIND',
        amount: 12_000,
        description: `Free use of mosque, church and gurdwara halls for classes ${ILLUSTRATIVE}`,
      },
      {
        key: 'board-costs',
        quarter: `${Y2} Q1`,
        partner: 'council',
        action: null,
        year: Y2,
        kind: 'CASH',
        amount: 30_000,
        description: `Council contribution to the Peterborough Together board's running costs ${ILLUSTRATIVE}`,
      },
    ],
    spendCorrections: [],
    outcomes: [
      {
        indicator: 'ESOL_ENROLMENTS',
        baseline: {
          value: 180,
          date: '2019-03-31',
          source: `ESOL providers' returns, 2018-19 Q4 ${ILLUSTRATIVE}`,
        },
        targets: [{ value: 260, date: '2021-03-31' }],
        quarterly: {
          values: [186, 204, 231, 228, 142, 212, 247, 263],
          source: PROGRAMME_RECORDS("ESOL providers' enrolment returns"),
        },
      },
      {
        indicator: 'ESOL_ENTRY_QUALIFICATIONS',
        baseline: {
          value: 40,
          date: '2019-03-31',
          source: `Awarding bodies' results, 2018-19 Q4 ${ILLUSTRATIVE}`,
        },
        targets: [{ value: 80, date: '2021-03-31' }],
        quarterly: {
          values: [38, 45, 52, 61, 20, 34, 66, 78],
          source: PROGRAMME_RECORDS("awarding bodies' results"),
        },
      },
      {
        indicator: 'LIMITED_ENGLISH',
        baseline: {
          value: 5,
          date: '2019-03-31',
          source:
            "Peterborough's integration strategy: about 5% of residents do not speak English well or at all, against 1.3% nationally (the baseline date is illustrative)",
        },
        targets: [{ value: 4.5, date: '2021-03-31' }],
        waves: [
          {
            wave: 'SURVEY_2020',
            value: 4.8,
            sampleSize: 1_250,
            source: `Peterborough residents' survey ${ILLUSTRATIVE}`,
          },
        ],
      },
      {
        indicator: 'GET_ON_WELL',
        baseline: {
          value: 74,
          date: '2019-03-31',
          source: `Residents' survey 2018-19 (illustrative local figure; ${NATIONAL_GET_ON_WELL})`,
        },
        targets: [
          { value: 76, date: '2020-03-31' },
          { value: 79, date: '2021-03-31' },
        ],
        waves: [
          { wave: 'PULSE_2020', value: 74.8, sampleSize: 560, source: SURVEY('Peterborough') },
          { wave: 'SURVEY_2020', value: 77.2, sampleSize: 1_250, source: SURVEY('Peterborough') },
          { wave: 'PULSE_2021', value: 78.1, sampleSize: 590, source: SURVEY('Peterborough') },
        ],
      },
      {
        indicator: 'YOUNG_PEOPLE_MIXING',
        baseline: {
          value: 150,
          date: '2019-03-31',
          source: `Youth service records, 2018-19 Q4 ${ILLUSTRATIVE}`,
        },
        targets: [{ value: 400, date: '2021-03-31' }],
        quarterly: {
          values: [null, 120, 210, 260, 60, 140, 290, 340],
          source: PROGRAMME_RECORDS('social-action programme registers'),
        },
      },
    ],
    measurementCorrections: [
      {
        indicator: 'ESOL_ENROLMENTS',
        period: `${Y2} Q2`,
        value: 221,
        reason: `A provider's late enrolment return added ${ILLUSTRATIVE}`,
        afterSendBack: false,
      },
    ],
    returns: {},
  },

  // ---------------------------------------------------------------------------------------------- Walsall
  {
    code: 'E08000030',
    name: 'Walsall',
    region: 'West Midlands',
    strategy: 'Walsall for All',
    team: 'Walsall integration team',
    partners: localPartners('Walsall', 'Walsall Council'),
    allocations: [
      {
        year: Y1,
        stream: IAP,
        amount: 853_000,
        note: "About £853,000: Walsall's first-year award as reported in the press, rounded, placed in 2019-20 for this demo (illustrative)",
        awardedOn: AWARDED[Y1],
      },
      {
        year: Y2,
        stream: IAP,
        amount: 800_000,
        note: `Second-year allocation ${ILLUSTRATIVE}`,
        awardedOn: AWARDED[Y2],
      },
    ],
    fundingChanges: [
      {
        type: 'reprofile',
        quarter: `${Y1} Q4`,
        from: Y1,
        to: Y2,
        amount: 100_000,
        reason: `ESOL and employability started a quarter late; unspent grant moved to 2020-21 ${ILLUSTRATIVE}`,
      },
    ],
    actions: [
      {
        key: 'welcome-and-buddying',
        title: 'Welcome pack and buddying for new arrivals',
        description:
          'A welcome pack for people new to Walsall and volunteer buddies who help them find services and meet neighbours (from Walsall for All).',
        themes: ['MIGRANTS_AND_RESIDENTS'],
        lead: 'council',
        partners: ['voluntary', 'faith'],
        plannedStart: '2019-06-01',
        plannedEnd: '2021-03-31',
        plannedIn: `${Y1} Q1`,
        milestones: [
          {
            key: 'pack',
            title: `Welcome pack published ${ILLUSTRATIVE}`,
            due: '2019-10-31',
            reached: { on: '2019-10-21', note: `Published in eight languages ${ILLUSTRATIVE}` },
          },
          {
            key: 'buddies',
            title: `First 50 buddy pairs matched ${ILLUSTRATIVE}`,
            due: '2020-03-31',
            reached: { on: '2020-03-06', note: `54 pairs matched ${ILLUSTRATIVE}` },
          },
        ],
        transitions: [{ type: 'start', on: '2019-07-01' }],
        funding: [
          { year: Y1, commit: 150_000, spend: [0, 24_800, 36_900, 38_200] },
          { year: Y2, commit: 160_000, spend: [22_100, 31_400, 38_600, 41_200] },
        ],
      },
      {
        key: 'small-grants',
        title: 'Walsall for All small grants (up to £10,000)',
        description:
          'Small grants of up to £10,000 for community groups that connect people across communities (from Walsall for All).',
        themes: ['PLACES_AND_COMMUNITY'],
        lead: 'council',
        partners: ['voluntary'],
        plannedStart: '2019-07-01',
        plannedEnd: '2021-03-31',
        plannedIn: `${Y1} Q1`,
        milestones: [
          {
            key: 'round-1',
            title: `First round of grants awarded ${ILLUSTRATIVE}`,
            due: '2019-11-30',
            reached: { on: '2019-11-08', note: `19 grants awarded ${ILLUSTRATIVE}` },
          },
        ],
        transitions: [
          { type: 'start', on: '2019-07-01' },
          {
            type: 'complete',
            on: '2021-03-12',
            summary: `41 grants of up to £10,000 awarded to community groups (the cap is Walsall's; the count is illustrative)`,
          },
        ],
        funding: [
          { year: Y1, commit: 200_000, spend: [0, 42_000, 61_500, 58_700] },
          { year: Y2, commit: 190_000, spend: [36_800, 48_900, 52_300, 47_600] },
        ],
      },
      {
        key: 'schools-linking',
        title: 'Young people learning and growing together: Schools Linking',
        description:
          'Primary and secondary classes linked across communities for joint lessons and visits (young people learning and growing together is a priority of Walsall for All).',
        themes: ['EDUCATION_AND_YOUNG_PEOPLE'],
        lead: 'schools',
        partners: ['council'],
        plannedStart: '2019-09-01',
        plannedEnd: '2021-03-31',
        plannedIn: `${Y1} Q2`,
        milestones: [
          {
            key: 'pairs',
            title: `20 school pairs linked ${ILLUSTRATIVE}`,
            due: '2019-12-31',
            reached: { on: '2019-11-15', note: `21 pairs linked ${ILLUSTRATIVE}` },
          },
        ],
        transitions: [
          { type: 'start', on: '2019-09-10' },
          { type: 'pause', on: '2020-03-20', reason: COVID_SCHOOLS },
          { type: 'resume', on: '2020-09-21' },
        ],
        funding: [
          { year: Y1, commit: 140_000, spend: [0, 16_300, 34_700, 31_900] },
          { year: Y2, commit: 150_000, spend: [4_800, 19_700, 44_200, 46_900] },
        ],
      },
      {
        key: 'esol-and-employability',
        title: 'Working and contributing together: ESOL classes and employability',
        description:
          'ESOL classes combined with employability support and volunteering (working and contributing together is a priority of Walsall for All).',
        themes: ['ENGLISH_LANGUAGE', 'ECONOMIC_OPPORTUNITY'],
        lead: 'business',
        partners: ['council', 'voluntary'],
        plannedStart: '2019-10-01',
        plannedEnd: '2021-03-31',
        plannedIn: `${Y1} Q2`,
        milestones: [],
        transitions: [{ type: 'start', on: '2019-10-14' }],
        funding: [
          { year: Y1, commit: 180_000, spend: [0, 0, 48_200, 56_400] },
          { year: Y2, commit: 220_000, spend: [41_300, 49_800, 56_200, 58_100] },
        ],
      },
      {
        key: 'street-events',
        title: 'Living together: neighbourhood street events',
        description:
          'Street parties and neighbourhood events in summer 2020 (living together is a priority of Walsall for All).',
        themes: ['PLACES_AND_COMMUNITY'],
        lead: 'voluntary',
        partners: ['police'],
        plannedStart: '2020-05-01',
        plannedEnd: '2020-09-30',
        plannedIn: `${Y1} Q4`,
        milestones: [],
        transitions: [
          {
            type: 'cancel',
            on: '2020-04-24',
            reason: `Gatherings were not permitted under COVID-19 restrictions ${ILLUSTRATIVE}`,
          },
        ],
        funding: [],
      },
      {
        key: 'community-ambassadors',
        title: 'Connecting across communities: Community Ambassadors',
        description:
          'Community Ambassadors who connect people across communities (connecting across communities is a priority of Walsall for All).',
        themes: ['PLACES_AND_COMMUNITY', 'LEADERSHIP'],
        lead: 'voluntary',
        partners: ['council'],
        plannedStart: '2021-04-06',
        plannedEnd: '2022-03-31',
        plannedIn: `${Y2} Q4`,
        milestones: [
          { key: 'recruited', title: `First 30 ambassadors recruited ${ILLUSTRATIVE}`, due: '2021-09-30' },
        ],
        transitions: [],
        funding: [],
      },
    ],
    match: [
      {
        key: 'buddy-meetups',
        quarter: `${Y1} Q2`,
        partner: 'faith',
        action: 'welcome-and-buddying',
        year: Y1,
        kind: 'IN_KIND',
        amount: 9_000,
        description: `Faith centres hosting buddy meet-ups ${ILLUSTRATIVE}`,
      },
      {
        key: 'employer-mentors',
        quarter: `${Y2} Q1`,
        partner: 'business',
        action: 'esol-and-employability',
        year: Y2,
        kind: 'CASH',
        amount: 20_000,
        description: `Employers funding work-experience mentors ${ILLUSTRATIVE}`,
      },
    ],
    spendCorrections: [],
    outcomes: [
      {
        indicator: 'GET_ON_WELL',
        baseline: {
          value: 71,
          date: '2019-03-31',
          source: `Residents' survey 2018-19 (illustrative local figure; ${NATIONAL_GET_ON_WELL})`,
        },
        targets: [
          { value: 73, date: '2020-03-31' },
          { value: 76, date: '2021-03-31' },
        ],
        waves: [
          { wave: 'PULSE_2020', value: 71.9, sampleSize: 540, source: SURVEY('Walsall') },
          { wave: 'SURVEY_2020', value: 73.5, sampleSize: 1_180, source: SURVEY('Walsall') },
          { wave: 'PULSE_2021', value: 74.6, sampleSize: 560, source: SURVEY('Walsall') },
        ],
      },
      {
        indicator: 'BELONG_TO_NEIGHBOURHOOD',
        baseline: {
          value: 58,
          date: '2019-03-31',
          source: `Residents' survey 2018-19 (illustrative local figure; national context: 65% in 2020-21)`,
        },
        targets: [{ value: 62, date: '2021-03-31' }],
        waves: [
          {
            wave: 'PULSE_2020',
            value: 58.6,
            sampleSize: 540,
            source: `Walsall residents' survey ${ILLUSTRATIVE}`,
          },
          {
            wave: 'SURVEY_2020',
            value: 61.2,
            sampleSize: 1_180,
            source: `Walsall residents' survey ${ILLUSTRATIVE}`,
          },
          {
            wave: 'PULSE_2021',
            value: 61.9,
            sampleSize: 560,
            source: `Walsall residents' survey ${ILLUSTRATIVE}`,
          },
        ],
      },
      {
        indicator: 'YOUNG_PEOPLE_MIXING',
        baseline: {
          value: 200,
          date: '2019-03-31',
          source: `Youth service records, 2018-19 Q4 ${ILLUSTRATIVE}`,
        },
        targets: [{ value: 500, date: '2021-03-31' }],
        quarterly: {
          values: [null, 180, 290, 330, 50, 120, 360, 410],
          source: PROGRAMME_RECORDS('Schools Linking registers'),
        },
      },
      {
        indicator: 'HATE_CRIMES',
        baseline: {
          value: 0.58,
          date: '2019-03-31',
          source: `Police recorded crime, 2018-19 Q4 ${ILLUSTRATIVE}`,
        },
        targets: [{ value: 0.5, date: '2021-03-31' }],
        quarterly: {
          values: [0.57, 0.61, 0.55, 0.53, 0.49, 0.6, 0.52, 0.5],
          source: `Police recorded crime ${ILLUSTRATIVE}`,
        },
      },
    ],
    measurementCorrections: [],
    returns: { awaitingReview: `${Y2} Q4` },
  },

  // --------------------------------------------------------------------------------------- Waltham Forest
  {
    code: 'E09000031',
    name: 'Waltham Forest',
    region: 'London',
    strategy: 'Our Place: a shared plan for connecting communities',
    team: 'Waltham Forest integration team',
    partners: [
      ...localPartners('Waltham Forest', 'London Borough of Waltham Forest'),
      { key: 'esol-providers', name: `Waltham Forest ESOL providers ${ILLUSTRATIVE}`, sector: 'VOLUNTARY' },
    ],
    allocations: [
      {
        year: Y1,
        stream: IAP,
        amount: 1_200_000,
        note: "About £1.2m: Waltham Forest's first-year award as reported in the press, rounded, placed in 2019-20 for this demo (illustrative)",
        awardedOn: AWARDED[Y1],
      },
      {
        year: Y2,
        stream: IAP,
        amount: 1_000_000,
        note: `Second-year allocation ${ILLUSTRATIVE}`,
        awardedOn: AWARDED[Y2],
      },
    ],
    fundingChanges: [
      {
        type: 'overspend',
        quarter: `${Y2} Q1`,
        year: Y2,
        amount: 60_000,
        reason: `Extra demand for ESOL and digital support after the first lockdown ${ILLUSTRATIVE}`,
      },
    ],
    actions: [
      {
        key: 'local-networks',
        title: 'Local networks in Chingford, Leyton, Leytonstone and Walthamstow',
        description:
          'Residents, groups and services in each of the four town areas meet as a local network that runs its own mixing activities (from Our Place).',
        themes: ['PLACES_AND_COMMUNITY', 'LEADERSHIP'],
        lead: 'voluntary',
        partners: ['council', 'faith'],
        plannedStart: '2019-05-01',
        plannedEnd: '2021-03-31',
        plannedIn: `${Y1} Q1`,
        milestones: [
          {
            key: 'north',
            title: `Networks launched in Chingford and Walthamstow ${ILLUSTRATIVE}`,
            due: '2019-09-30',
            reached: { on: '2019-09-20', note: `Both networks held launch events ${ILLUSTRATIVE}` },
          },
          {
            key: 'south',
            title: `Networks launched in Leyton and Leytonstone ${ILLUSTRATIVE}`,
            due: '2020-01-31',
            reached: { on: '2020-01-17', note: `All four networks running ${ILLUSTRATIVE}` },
          },
        ],
        transitions: [{ type: 'start', on: '2019-05-13' }],
        funding: [
          { year: Y1, commit: 300_000, spend: [28_600, 61_300, 78_400, 82_900] },
          { year: Y2, commit: 280_000, spend: [48_200, 63_900, 71_400, 74_800] },
        ],
      },
      {
        key: 'esol-classes',
        title: 'ESOL classes',
        description:
          'English classes for residents with little or no English: about one in five Waltham Forest residents have some difficulty with English (English language is a priority of Our Place).',
        themes: ['ENGLISH_LANGUAGE'],
        lead: 'esol-providers',
        partners: ['council', 'nhs'],
        plannedStart: '2019-04-01',
        plannedEnd: '2021-03-31',
        plannedIn: `${Y1} Q1`,
        milestones: [],
        transitions: [
          { type: 'start', on: '2019-04-08' },
          { type: 'pause', on: '2020-03-23', reason: COVID_CLASSES },
          { type: 'resume', on: '2020-05-11' },
        ],
        funding: [
          { year: Y1, commit: 320_000, spend: [52_800, 71_600, 84_200, 79_300] },
          { year: Y2, commit: 330_000, spend: [61_800, 79_300, 88_100, 92_700] },
        ],
      },
      {
        key: 'women-into-work',
        title: "Women into work: tackling women's economic inactivity",
        description:
          'Confidence, English and employability support for women who are economically inactive: 44% of ethnic-minority working-age women in Waltham Forest are economically inactive, against 18% of white women.',
        themes: ['ECONOMIC_OPPORTUNITY'],
        lead: 'business',
        partners: ['council', 'voluntary'],
        plannedStart: '2019-09-01',
        plannedEnd: '2021-03-31',
        plannedIn: `${Y1} Q2`,
        milestones: [
          {
            key: 'enrolled',
            title: `First 80 women enrolled ${ILLUSTRATIVE}`,
            due: '2020-01-31',
            reached: { on: '2020-01-10', note: `86 women enrolled ${ILLUSTRATIVE}` },
          },
        ],
        transitions: [{ type: 'start', on: '2019-09-02' }],
        funding: [
          { year: Y1, commit: 260_000, spend: [0, 12_400, 58_700, 71_400] },
          { year: Y2, commit: 290_000, spend: [54_300, 68_700, 76_200, 81_900] },
        ],
      },
      {
        key: 'community-ambassadors',
        title: 'Community Ambassadors',
        description:
          'Community Ambassadors trained in each town area to welcome newcomers and lead local events.',
        themes: ['PLACES_AND_COMMUNITY'],
        lead: 'voluntary',
        partners: ['police'],
        plannedStart: '2019-07-01',
        plannedEnd: '2020-12-31',
        plannedIn: `${Y1} Q1`,
        milestones: [],
        transitions: [
          { type: 'start', on: '2019-07-01' },
          {
            type: 'complete',
            on: '2020-12-11',
            summary: `75 ambassadors trained across the four town areas ${ILLUSTRATIVE}`,
          },
        ],
        funding: [
          { year: Y1, commit: 180_000, spend: [0, 36_200, 47_800, 45_100] },
          { year: Y2, commit: 70_000, spend: [21_300, 24_600, 18_900, 0] },
        ],
      },
      {
        key: 'digital-inclusion',
        title: 'Digital inclusion for ESOL learners',
        description:
          'Devices, data and training so that ESOL learners could join their classes online during lockdowns.',
        themes: ['ENGLISH_LANGUAGE', 'MIGRANTS_AND_RESIDENTS'],
        lead: 'esol-providers',
        partners: ['voluntary'],
        plannedStart: '2020-06-15',
        plannedEnd: '2021-03-31',
        plannedIn: `${Y2} Q1`,
        milestones: [],
        transitions: [
          { type: 'start', on: '2020-06-15' },
          {
            type: 'complete',
            on: '2021-03-26',
            summary: `180 learners lent devices; 85% stayed on their course ${ILLUSTRATIVE}`,
          },
        ],
        funding: [{ year: Y2, commit: 80_000, spend: [6_200, 23_400, 26_800, 21_300] }],
      },
    ],
    match: [
      {
        key: 'health-literacy',
        quarter: `${Y1} Q2`,
        partner: 'nhs',
        action: 'esol-classes',
        year: Y1,
        kind: 'IN_KIND',
        amount: 7_500,
        description: `Health-literacy sessions run within ESOL classes ${ILLUSTRATIVE}`,
      },
      {
        key: 'employer-childcare',
        quarter: `${Y2} Q1`,
        partner: 'business',
        action: 'women-into-work',
        year: Y2,
        kind: 'CASH',
        amount: 35_000,
        description: `Employers funding childcare for women on placements ${ILLUSTRATIVE}`,
      },
    ],
    spendCorrections: [
      {
        action: 'esol-classes',
        quarter: `${Y2} Q3`,
        amount: 86_450,
        reason: `A provider's invoice was partly credited ${ILLUSTRATIVE}`,
        afterSendBack: false,
      },
    ],
    outcomes: [
      {
        indicator: 'ESOL_ENROLMENTS',
        baseline: {
          value: 420,
          date: '2019-03-31',
          source: `ESOL providers' returns, 2018-19 Q4 ${ILLUSTRATIVE}`,
        },
        targets: [{ value: 600, date: '2021-03-31' }],
        quarterly: {
          values: [436, 468, 512, 530, 301, 455, 571, 604],
          source: PROGRAMME_RECORDS("ESOL providers' enrolment returns"),
        },
      },
      {
        indicator: 'LIMITED_ENGLISH',
        baseline: {
          value: 20,
          date: '2019-03-31',
          source:
            "Waltham Forest's integration plan: about 1 in 5 residents have some difficulty with English (the baseline date is illustrative)",
        },
        targets: [{ value: 18, date: '2021-03-31' }],
        waves: [
          {
            wave: 'SURVEY_2020',
            value: 19.4,
            sampleSize: 1_400,
            source: `Waltham Forest residents' survey ${ILLUSTRATIVE}`,
          },
          {
            wave: 'PULSE_2021',
            value: 19.0,
            sampleSize: 650,
            source: `Waltham Forest residents' survey ${ILLUSTRATIVE}`,
          },
        ],
      },
      {
        indicator: 'WOMEN_INACTIVITY_GAP',
        baseline: {
          value: 26,
          date: '2019-03-31',
          source:
            "Waltham Forest's integration plan: 44% of ethnic-minority working-age women are economically inactive against 18% of white women, a gap of 26 points (the baseline date is illustrative)",
        },
        targets: [{ value: 22, date: '2021-03-31' }],
        waves: [
          { wave: 'APS_2019_20', value: 25.1, source: `Annual Population Survey ${ILLUSTRATIVE}` },
          { wave: 'APS_2020_21', value: 24.3, source: `Annual Population Survey ${ILLUSTRATIVE}` },
        ],
      },
      {
        indicator: 'GET_ON_WELL',
        baseline: {
          value: 76,
          date: '2019-03-31',
          source: `Residents' survey 2018-19 (illustrative local figure; ${NATIONAL_GET_ON_WELL})`,
        },
        targets: [
          { value: 78, date: '2020-03-31' },
          { value: 80, date: '2021-03-31' },
        ],
        waves: [
          { wave: 'PULSE_2020', value: 76.9, sampleSize: 620, source: SURVEY('Waltham Forest') },
          { wave: 'SURVEY_2020', value: 78.4, sampleSize: 1_400, source: SURVEY('Waltham Forest') },
          { wave: 'PULSE_2021', value: 79.3, sampleSize: 650, source: SURVEY('Waltham Forest') },
        ],
      },
    ],
    measurementCorrections: [],
    returns: {},
  },
];

/** Councils outside the programme that adopt the pilots' learning (real councils; their adoptions are illustrative). */
export const DEMO_COUNCILS: readonly DemoCouncil[] = [
  {
    code: 'E06000016',
    name: 'Leicester',
    region: 'East Midlands',
    team: 'Leicester community cohesion team',
  },
  {
    code: 'E08000034',
    name: 'Kirklees',
    region: 'Yorkshire and The Humber',
    team: 'Kirklees community cohesion team',
  },
  { code: 'E06000032', name: 'Luton', region: 'East of England', team: 'Luton community cohesion team' },
  { code: 'E08000004', name: 'Oldham', region: 'North West', team: 'Oldham community cohesion team' },
  { code: 'E09000025', name: 'Newham', region: 'London', team: 'Newham community cohesion team' },
];
