import { ILLUSTRATIVE, ILLUSTRATIVE_EXAMPLE } from './demo-data.js';

/**
 * The demo's learning library: what the pilots learned, written up for other councils. Every item is an
 * illustrative example (its summary starts "Illustrative example:"); where it draws on a real fact from a
 * pilot's published strategy or the national evaluation, the body says which part is real.
 */

export type DemoLearningType = 'CASE_STUDY' | 'LESSON_LEARNED' | 'EVALUATION' | 'TOOLKIT' | 'GUIDANCE';

export interface DemoLearningItem {
  readonly key: string;
  readonly area: string;
  readonly type: DemoLearningType;
  readonly title: string;
  readonly summary: string;
  readonly body: string;
  readonly themes: readonly string[];
  /** Keys of the area's demo actions it draws on. */
  readonly actions: readonly string[];
  readonly indicators: readonly string[];
  readonly evidence: readonly { readonly title: string; readonly url: string }[];
  /** False: left as a draft. */
  readonly publish: boolean;
  /** A revision made after publication. */
  readonly revision?: { readonly reason: string; readonly body: string };
  readonly adoptions: readonly { readonly council: string; readonly note: string }[];
}

const DEMO_NOTE =
  '_This is an illustrative example written for the demo programme. The pilot, its strategy and its priorities are real; the activities, numbers and quotes below are invented._';

const STRATEGY_GREEN_PAPER = {
  title: 'Integrated Communities Strategy green paper (context)',
  url: 'https://www.gov.uk/government/consultations/integrated-communities-strategy-green-paper',
};
const ACTION_PLAN = {
  title: 'Integrated Communities Action Plan (context)',
  url: 'https://www.gov.uk/government/publications/integrated-communities-action-plan',
};

export const DEMO_LEARNING: readonly DemoLearningItem[] = [
  {
    key: 'bwd-ambassadors',
    area: 'E06000008',
    type: 'LESSON_LEARNED',
    title: 'Youth and Workforce Ambassadors: recruit through schools and employers, not adverts',
    summary: `${ILLUSTRATIVE_EXAMPLE} Blackburn with Darwen found ambassadors recruited by teachers and line managers stayed longer than those who answered open adverts.`,
    body: `${DEMO_NOTE}

## What we did
Youth and Workforce Ambassadors are part of *Our Community, Our Future*. We trained young people and employees of local firms to lead mixing activities in their schools and workplaces.

## What we learned
- Ambassadors nominated by a teacher or a line manager were twice as likely to still be active after six months as those who answered an open advert ${ILLUSTRATIVE}.
- Employers signed up faster when the Department for Work and Pensions introduced us ${ILLUSTRATIVE}.
- Online sessions kept the youth cohort together during 2020, but recruitment of new ambassadors stalled until schools reopened ${ILLUSTRATIVE}.

## If you try this
Ask schools and employers to nominate, give ambassadors a named contact, and plan recruitment around the school year.`,
    themes: ['EDUCATION_AND_YOUNG_PEOPLE', 'ECONOMIC_OPPORTUNITY'],
    actions: ['youth-ambassadors', 'workforce-ambassadors'],
    indicators: ['YOUNG_PEOPLE_MIXING'],
    evidence: [],
    publish: true,
    adoptions: [
      {
        council: 'E08000004',
        note: `${ILLUSTRATIVE_EXAMPLE} Oldham is piloting nominated Youth Ambassadors in four secondary schools.`,
      },
    ],
  },
  {
    key: 'bwd-transport',
    area: 'E06000008',
    type: 'CASE_STUDY',
    title: 'Transport as a barrier: getting residents to mixing activities',
    summary: `${ILLUSTRATIVE_EXAMPLE} How Blackburn with Darwen used travel support so that residents of outlying neighbourhoods could reach mixing activities and jobs.`,
    body: `${DEMO_NOTE}

## The problem
*Our Community, Our Future* names transport as a barrier: activities in the town centre did not reach residents of outlying neighbourhoods.

## What we did
A travel support scheme with bus passes for participants and shared minibuses for group activities ${ILLUSTRATIVE}.

## Results so far
Attendance from the three furthest wards rose from 9% to 21% of participants ${ILLUSTRATIVE}.`,
    themes: ['PLACES_AND_COMMUNITY'],
    actions: ['transport-barriers'],
    indicators: ['MIXING_MONTHLY'],
    evidence: [],
    publish: true,
    adoptions: [],
  },
  {
    key: 'bradford-schools-linking',
    area: 'E08000032',
    type: 'EVALUATION',
    title: 'Schools Linking in Bradford: what pupils gained',
    summary: `${ILLUSTRATIVE_EXAMPLE} The national evaluation found that pupils gained confidence meeting young people of other backgrounds; this local write-up adds invented Bradford figures.`,
    body: `${DEMO_NOTE}

## Background
Schools Linking pairs classes from schools serving different communities for a year of joint lessons and visits. The programme's national evaluation found that **pupils gained confidence meeting young people of other backgrounds** (real finding).

## Local findings
- 42 classes linked in 2019-20 ${ILLUSTRATIVE}.
- 78% of linked pupils said they would be happy to spend time with a pupil from the partner school, against 61% before linking ${ILLUSTRATIVE}.
- Teachers valued a shared scheme of work more than one-off visits ${ILLUSTRATIVE}.`,
    themes: ['EDUCATION_AND_YOUNG_PEOPLE'],
    actions: ['schools-linking'],
    indicators: ['YOUNG_PEOPLE_MIXING'],
    evidence: [ACTION_PLAN],
    publish: true,
    revision: {
      reason: `Added the 2020-21 findings ${ILLUSTRATIVE}`,
      body: `${DEMO_NOTE}

## Background
Schools Linking pairs classes from schools serving different communities for a year of joint lessons and visits. The programme's national evaluation found that **pupils gained confidence meeting young people of other backgrounds** (real finding).

## Local findings
- 42 classes linked in 2019-20 ${ILLUSTRATIVE}.
- 78% of linked pupils said they would be happy to spend time with a pupil from the partner school, against 61% before linking ${ILLUSTRATIVE}.
- Teachers valued a shared scheme of work more than one-off visits ${ILLUSTRATIVE}.

## 2020-21
When schools closed, linked classes exchanged letters and videos; face-to-face link days resumed in class bubbles in the autumn term ${ILLUSTRATIVE}.`,
    },
    adoptions: [
      {
        council: 'E08000034',
        note: `${ILLUSTRATIVE_EXAMPLE} Kirklees is using the Bradford scheme of work with twelve primary schools.`,
      },
    ],
  },
  {
    key: 'bradford-ambassadors',
    area: 'E08000032',
    type: 'LESSON_LEARNED',
    title: 'Community Ambassadors: keeping volunteers engaged',
    summary: `${ILLUSTRATIVE_EXAMPLE} Bradford kept most of its Community Ambassadors active by giving each a small budget and a monthly get-together.`,
    body: `${DEMO_NOTE}

## What worked
- A small activity budget per ambassador, spent on their own ideas ${ILLUSTRATIVE}.
- A monthly get-together where ambassadors swap ideas and meet partners ${ILLUSTRATIVE}.

## What did not
Long induction training before ambassadors could do anything: a third dropped out before finishing it ${ILLUSTRATIVE}.`,
    themes: ['PLACES_AND_COMMUNITY', 'LEADERSHIP'],
    actions: ['community-ambassadors'],
    indicators: [],
    evidence: [],
    publish: true,
    adoptions: [],
  },
  {
    key: 'peterborough-fund',
    area: 'E06000031',
    type: 'CASE_STUDY',
    title: 'Running a communities fund of small grants',
    summary: `${ILLUSTRATIVE_EXAMPLE} Peterborough's £300k communities fund made small grants from £2,307.50 to £19,971 (real figures); the process described here is invented.`,
    body: `${DEMO_NOTE}

## The fund
*Belonging Together* included a £300k communities fund making small grants; grants ranged from £2,307.50 to £19,971 (real figures).

## How we ran it ${ILLUSTRATIVE}
1. Two rounds a year, with a two-page application form.
2. A panel of residents and partners scored bids on how many people of different backgrounds each would bring together.
3. Grant holders met every quarter to share what worked.

## Tips ${ILLUSTRATIVE}
Pay in two instalments, and keep monitoring light: a photo, a headcount and one story.`,
    themes: ['PLACES_AND_COMMUNITY'],
    actions: ['communities-fund'],
    indicators: [],
    evidence: [STRATEGY_GREEN_PAPER],
    publish: true,
    adoptions: [
      {
        council: 'E06000032',
        note: `${ILLUSTRATIVE_EXAMPLE} Luton adopted the resident scoring panel for its own community grants.`,
      },
    ],
  },
  {
    key: 'walsall-welcome',
    area: 'E08000030',
    type: 'TOOLKIT',
    title: 'Welcome pack and buddying for new arrivals: a toolkit',
    summary: `${ILLUSTRATIVE_EXAMPLE} Walsall's toolkit for a welcome pack and volunteer buddies for people new to the borough.`,
    body: `${DEMO_NOTE}

## What is in the toolkit ${ILLUSTRATIVE}
- A template welcome pack: services, rights and responsibilities, where to learn English, local groups.
- A buddy role description, training outline and safeguarding checklist.
- A matching form that pairs new arrivals with buddies by language and interests.

## How Walsall used it
The welcome pack and buddying are part of *Walsall for All* (real); the numbers in the pack's evaluation are illustrative.`,
    themes: ['MIGRANTS_AND_RESIDENTS'],
    actions: ['welcome-and-buddying'],
    indicators: ['BELONG_TO_NEIGHBOURHOOD'],
    evidence: [],
    publish: true,
    adoptions: [
      {
        council: 'E06000016',
        note: `${ILLUSTRATIVE_EXAMPLE} Leicester is adapting the welcome pack for its own new arrivals.`,
      },
      {
        council: 'E09000025',
        note: `${ILLUSTRATIVE_EXAMPLE} Newham is using the buddy training outline with its volunteers.`,
      },
    ],
  },
  {
    key: 'walsall-grants',
    area: 'E08000030',
    type: 'GUIDANCE',
    title: 'Small grants of up to £10,000: a light-touch process',
    summary: `${ILLUSTRATIVE_EXAMPLE} Guidance from Walsall on running small grants of up to £10,000 for groups that connect people across communities.`,
    body: `${DEMO_NOTE}

## The scheme
*Walsall for All* offers small grants of up to £10,000 (real).

## Guidance ${ILLUSTRATIVE}
- Publish examples of funded projects with the call, so that groups can see what "connecting across communities" means.
- Offer a drop-in session for first-time applicants.
- Decide within six weeks.`,
    themes: ['PLACES_AND_COMMUNITY'],
    actions: ['small-grants'],
    indicators: [],
    evidence: [],
    publish: true,
    adoptions: [
      {
        council: 'E08000034',
        note: `${ILLUSTRATIVE_EXAMPLE} Kirklees shortened its grant decisions to six weeks.`,
      },
    ],
  },
  {
    key: 'waltham-forest-women',
    area: 'E09000031',
    type: 'EVALUATION',
    title: 'Women into work: English and employability for economically inactive women',
    summary: `${ILLUSTRATIVE_EXAMPLE} An evaluation of Waltham Forest's support for economically inactive women; the 44% against 18% gap is real, the results are invented.`,
    body: `${DEMO_NOTE}

## Why
In Waltham Forest 44% of ethnic-minority working-age women are economically inactive, against 18% of white women (real figures from *Our Place*).

## Results ${ILLUSTRATIVE}
- 86 women enrolled in the first term; 64 completed the course.
- 23 moved into work or training within six months.
- Childcare funded by employers was the most valued support.`,
    themes: ['ECONOMIC_OPPORTUNITY', 'ENGLISH_LANGUAGE'],
    actions: ['women-into-work'],
    indicators: ['WOMEN_INACTIVITY_GAP'],
    evidence: [],
    publish: true,
    adoptions: [
      {
        council: 'E09000025',
        note: `${ILLUSTRATIVE_EXAMPLE} Newham is piloting employer-funded childcare for women on placements.`,
      },
    ],
  },
  {
    key: 'waltham-forest-networks',
    area: 'E09000031',
    type: 'CASE_STUDY',
    title: 'Local networks in Chingford, Leyton, Leytonstone and Walthamstow',
    summary: `${ILLUSTRATIVE_EXAMPLE} How Waltham Forest set up a local network in each of its four town areas (a draft, not yet published).`,
    body: `${DEMO_NOTE}

## The networks
*Our Place* set up local networks in Chingford, Leyton, Leytonstone and Walthamstow (real). Each meets every two months and runs its own small events budget ${ILLUSTRATIVE}.`,
    themes: ['PLACES_AND_COMMUNITY', 'LEADERSHIP'],
    actions: ['local-networks'],
    indicators: ['GET_ON_WELL'],
    evidence: [],
    publish: false,
    adoptions: [],
  },
];
