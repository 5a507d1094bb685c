/** What the simulated programme draws on: funding streams, themes, indicators, interventions, places, words. */
import { DEFAULT_THEMES } from '../../src/themes/domain/theme.js';
import { DEMO_INDICATORS } from '../../src/demo/demo-data.js';
import type { IndicatorData } from '../../src/outcomes/domain/indicator.js';

export const FUNDING_STREAMS = [
  'Integration Area Programme',
  'Integrated Communities English Language Programme',
  'Integrated Communities Innovation Fund',
];

export const STRATEGY_THEMES = DEFAULT_THEMES.filter((t) => t.kind === 'STRATEGY_THEME').map((t) => t.code);

/** The demo catalogue's indicators plus eleven more of the kinds DOMAIN.md lists: twenty in all. */
const EXTRA_INDICATORS: readonly IndicatorData[] = [
  [
    'VOLUNTEERING_RATE',
    'Adults who volunteered formally at least once a month',
    'PERCENTAGE',
    'PLACES_AND_COMMUNITY',
    'SOCIAL_LINKS',
    'RESPONSIBILITY',
  ],
  [
    'INFLUENCE_DECISIONS',
    'Residents who feel able to influence local decisions',
    'PERCENTAGE',
    'LEADERSHIP',
    'SOCIAL_LINKS',
    'PARTICIPATION_AND_EMPOWERMENT',
  ],
  [
    'EMPLOYMENT_GAP',
    'Employment rate gap for the target groups (percentage points)',
    'PERCENTAGE',
    'ECONOMIC_OPPORTUNITY',
    'WORK',
    'SOCIAL_MOBILITY',
  ],
  [
    'JOB_OUTCOMES',
    'Participants moving into work after programme support',
    'COUNT',
    'ECONOMIC_OPPORTUNITY',
    'WORK',
    'SOCIAL_MOBILITY',
  ],
  [
    'CONVERSATION_CLUB_ATTENDANCE',
    'Attendances at English conversation clubs',
    'COUNT',
    'ENGLISH_LANGUAGE',
    'LANGUAGE_AND_COMMUNICATION',
    'SOCIAL_MOBILITY',
  ],
  [
    'MIXING_EVENTS',
    'Community mixing events held with two or more communities',
    'COUNT',
    'PLACES_AND_COMMUNITY',
    'SOCIAL_BRIDGES',
    'COMMON_GROUND',
  ],
  [
    'NEW_ARRIVALS_WELCOMED',
    'New arrivals given a welcome pack and a buddy',
    'COUNT',
    'MIGRANTS_AND_RESIDENTS',
    'STABILITY',
    'PARTICIPATION_AND_EMPOWERMENT',
  ],
  [
    'SCHOOL_LINKING_PUPILS',
    'Pupils taking part in schools linking',
    'COUNT',
    'EDUCATION_AND_YOUNG_PEOPLE',
    'EDUCATION',
    'COMMON_GROUND',
  ],
  [
    'HATE_INCIDENT_REPORTS',
    'Hate incidents reported through third-party reporting centres',
    'RATE_PER_1000',
    'RIGHTS_AND_FREEDOMS',
    'SAFETY',
    'TACKLING_INTOLERANCE_AND_EXTREMISM',
  ],
  [
    'SMALL_GRANTS_VALUE',
    'Value of small grants paid to community groups',
    'POUNDS',
    'PLACES_AND_COMMUNITY',
    'SOCIAL_LINKS',
    'PARTICIPATION_AND_EMPOWERMENT',
  ],
  [
    'DIGITAL_SKILLS_LEARNERS',
    'Learners completing a digital skills course',
    'COUNT',
    'ECONOMIC_OPPORTUNITY',
    'DIGITAL_SKILLS',
    'SOCIAL_MOBILITY',
  ],
].map(([code, name, unit, theme, domain, integrationFactor]) => ({
  code,
  name,
  unit: unit as IndicatorData['unit'],
  direction: code === 'EMPLOYMENT_GAP' || code.startsWith('HATE') ? 'LOWER_IS_BETTER' : 'HIGHER_IS_BETTER',
  theme,
  domain: domain as IndicatorData['domain'],
  integrationFactor,
  definition: `${name}, as reported by the pilot for each period (generated benchmark data).`,
  source: 'Programme records (generated benchmark data)',
}));
export const INDICATORS: readonly IndicatorData[] = [...DEMO_INDICATORS, ...EXTRA_INDICATORS];

export const INTERVENTIONS = [
  ['Schools Linking', 'EDUCATION_AND_YOUNG_PEOPLE'],
  ['Community Conversations', 'PLACES_AND_COMMUNITY'],
  ['Community Ambassadors', 'LEADERSHIP'],
  ['ESOL classes', 'ENGLISH_LANGUAGE'],
  ['English conversation club', 'ENGLISH_LANGUAGE'],
  ["Women's employment support", 'ECONOMIC_OPPORTUNITY'],
  ['Welcome pack and buddying for new arrivals', 'MIGRANTS_AND_RESIDENTS'],
  ['Small grant: community festival', 'PLACES_AND_COMMUNITY'],
  ['Small grant: inter-faith walk', 'PLACES_AND_COMMUNITY'],
  ['Small grant: youth sports league', 'EDUCATION_AND_YOUNG_PEOPLE'],
  ['Hate crime third-party reporting centre', 'RIGHTS_AND_FREEDOMS'],
  ['Employer mixing pledge', 'ECONOMIC_OPPORTUNITY'],
  ['Digital skills drop-in', 'ECONOMIC_OPPORTUNITY'],
  ['Youth social action programme', 'EDUCATION_AND_YOUNG_PEOPLE'],
  ['Neighbourhood networks', 'PLACES_AND_COMMUNITY'],
  ['Leadership programme for community leaders', 'LEADERSHIP'],
] as const;
export const NEIGHBOURHOODS = [
  'the town centre',
  'the north ward',
  'the east estate',
  'the riverside',
  'the west end',
  'the market quarter',
  'the old mill district',
  'the hillside estates',
  'the south ward',
  'the university quarter',
];
export const LEARNING_TYPES = ['CASE_STUDY', 'LESSON_LEARNED', 'EVALUATION', 'TOOLKIT', 'GUIDANCE'] as const;
export const PARAGRAPH =
  'The partnership worked with schools, faith groups and the voluntary sector to bring residents of different ' +
  'backgrounds together around shared interests. Sessions were co-designed with participants, held in familiar ' +
  'venues at times that suited working parents, and followed up by volunteers. Attendance, feedback and cost per ' +
  'participant were recorded each quarter; what worked and what did not is set out below so that other councils ' +
  'can adapt the approach to their own places. ';
