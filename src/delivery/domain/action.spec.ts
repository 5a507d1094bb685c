import { describe, expect, it } from '@jest/globals';
import { refusal } from '@iap/common/testing';
import { deciderSpecification } from '@iap/event-store/testing';
import type { ReturnsState } from '../../outcomes/domain/public-api.js';
import {
  type ActionCommand,
  type ActionEvent,
  type AreaFacts,
  type PlanAction,
  type ReviseAction,
  type ThemeFacts,
  actionDecider,
} from './action.js';

const given = deciderSpecification(actionDecider);

const ID = '0b7f3f0e-7a31-4a8e-9d7e-3c1a8a6f2b10';
const AREA: AreaFacts = {
  registered: true,
  code: 'E06000008',
  kind: 'PILOT',
  partners: new Map([
    ['p-council', { name: 'Blackburn with Darwen Borough Council' }],
    ['p-police', { name: 'Lancashire Constabulary' }],
    ['p-schools', { name: 'Schools Linking Network' }],
  ]),
};
const CATALOGUE: ThemeFacts = new Map([
  ['ENGLISH_LANGUAGE', { retired: false }],
  ['PLACES_AND_COMMUNITY', { retired: false }],
  ['EDUCATION_AND_YOUNG_PEOPLE', { retired: false }],
  ['OLD_THEME', { retired: true }],
]);
const TODAY = '2020-06-30';

const plan: PlanAction = {
  type: 'PlanAction',
  actionId: ID,
  areaCode: 'E06000008',
  title: '  Schools Linking  ',
  description: ' Pupils meet young people of other backgrounds ',
  themes: ['EDUCATION_AND_YOUNG_PEOPLE', 'PLACES_AND_COMMUNITY'],
  leadPartnerId: 'p-schools',
  partnerIds: ['p-council'],
  plannedStart: '2019-09-01',
  plannedEnd: '2020-07-31',
  milestones: [
    { milestoneId: 'm-1', title: 'First link visits', dueDate: '2019-11-30' },
    { milestoneId: 'm-2', title: 'Evaluation report', dueDate: '2020-07-31' },
  ],
  area: AREA,
  themeCatalogue: CATALOGUE,
};

const planned: Extract<ActionEvent, { type: 'ActionPlanned' }> = {
  type: 'ActionPlanned',
  data: {
    actionId: ID,
    areaCode: 'E06000008',
    title: 'Schools Linking',
    description: 'Pupils meet young people of other backgrounds',
    themes: ['EDUCATION_AND_YOUNG_PEOPLE', 'PLACES_AND_COMMUNITY'],
    leadPartnerId: 'p-schools',
    partnerIds: ['p-council'],
    plannedStart: '2019-09-01',
    plannedEnd: '2020-07-31',
    milestones: [
      { milestoneId: 'm-1', title: 'First link visits', dueDate: '2019-11-30' },
      { milestoneId: 'm-2', title: 'Evaluation report', dueDate: '2020-07-31' },
    ],
  },
};
const started: ActionEvent = { type: 'ActionStarted', data: { actionId: ID, on: '2019-09-02' } };
const paused: ActionEvent = {
  type: 'ActionPaused',
  data: { actionId: ID, on: '2020-03-20', reason: 'Schools closed' },
};
const resumed: ActionEvent = { type: 'ActionResumed', data: { actionId: ID, on: '2020-05-01' } };
const completed: ActionEvent = {
  type: 'ActionCompleted',
  data: { actionId: ID, on: '2020-06-01', summary: 'Done' },
};
const cancelled: ActionEvent = {
  type: 'ActionCancelled',
  data: { actionId: ID, on: '2019-10-01', reason: 'Funding withdrawn' },
};

/** The area's periodic returns: none submitted, every quarter open. */
const OPEN: ReturnsState = new Map();

const start: ActionCommand = {
  type: 'StartAction',
  actionId: ID,
  on: '2019-09-02',
  today: TODAY,
  returns: OPEN,
};
const reach: ActionCommand = {
  type: 'ReachMilestone',
  actionId: ID,
  milestoneId: 'm-1',
  on: '2019-11-28',
  note: ' 12 schools ',
  today: TODAY,
  returns: OPEN,
};
const complete: ActionCommand = {
  type: 'CompleteAction',
  actionId: ID,
  on: '2020-06-15',
  summary: ' 600 pupils took part ',
  today: TODAY,
  returns: OPEN,
};
const pause: ActionCommand = {
  type: 'PauseAction',
  actionId: ID,
  on: '2020-03-20',
  reason: ' Schools closed ',
  today: TODAY,
  returns: OPEN,
};
const resume: ActionCommand = {
  type: 'ResumeAction',
  actionId: ID,
  on: '2020-05-01',
  today: TODAY,
  returns: OPEN,
};
const cancel: ActionCommand = {
  type: 'CancelAction',
  actionId: ID,
  on: '2020-06-01',
  reason: ' Funding withdrawn ',
  today: TODAY,
  returns: OPEN,
};
const revise: ReviseAction = {
  type: 'ReviseAction',
  actionId: ID,
  reason: 'Board decision',
  area: AREA,
  themeCatalogue: CATALOGUE,
};

describe('planning an action', () => {
  it('plans an action of a pilot, trimming its text', () => {
    given([]).when(plan).then([planned]);
  });

  it('refuses to plan the same action twice', () => {
    given([planned]).when(plan).thenThrows(refusal('CONFLICT', 'actionId'));
  });

  it('refuses an area that is not registered', () => {
    given([])
      .when({ ...plan, area: { registered: false } })
      .thenThrows(refusal('BAD_USER_INPUT', 'areaCode', /not a registered area/));
  });

  it('refuses an area that is not a pilot', () => {
    given([])
      .when({ ...plan, area: { ...AREA, kind: 'NON_PILOT' } })
      .thenThrows(refusal('BAD_USER_INPUT', 'areaCode', /not a pilot/));
  });

  it('refuses a blank title', () => {
    given([])
      .when({ ...plan, title: '   ' })
      .thenThrows(refusal('BAD_USER_INPUT', 'title'));
  });

  it('needs at least one theme', () => {
    given([])
      .when({ ...plan, themes: [] })
      .thenThrows(refusal('BAD_USER_INPUT', 'themes', /at least one/));
  });

  it('refuses a theme that is not in the catalogue', () => {
    given([])
      .when({ ...plan, themes: ['ENGLISH_LANGUAGE', 'NO_SUCH_THEME'] })
      .thenThrows(refusal('BAD_USER_INPUT', 'themes', /NO_SUCH_THEME/));
  });

  it('refuses a retired theme', () => {
    given([])
      .when({ ...plan, themes: ['OLD_THEME'] })
      .thenThrows(refusal('BAD_USER_INPUT', 'themes', /retired/));
  });

  it('refuses a repeated theme', () => {
    given([])
      .when({ ...plan, themes: ['ENGLISH_LANGUAGE', 'ENGLISH_LANGUAGE'] })
      .thenThrows(refusal('BAD_USER_INPUT', 'themes', /repeat/));
  });

  it('needs the lead partner to be a registered partner of the area', () => {
    given([])
      .when({ ...plan, leadPartnerId: 'p-elsewhere' })
      .thenThrows(refusal('BAD_USER_INPUT', 'leadPartnerId', /p-elsewhere/));
  });

  it('needs the other partners to be registered partners of the area', () => {
    given([])
      .when({ ...plan, partnerIds: ['p-council', 'p-unknown'] })
      .thenThrows(refusal('BAD_USER_INPUT', 'partnerIds.1', /p-unknown/));
  });

  it('refuses a partner named twice', () => {
    given([])
      .when({ ...plan, partnerIds: ['p-council', 'p-council'] })
      .thenThrows(refusal('BAD_USER_INPUT', 'partnerIds', /repeat/));
  });

  it('refuses the lead partner among the other partners', () => {
    given([])
      .when({ ...plan, partnerIds: ['p-council', 'p-schools'] })
      .thenThrows(refusal('BAD_USER_INPUT', 'partnerIds', /lead/));
  });

  it.each([
    ['plannedStart', { plannedStart: '2019-02-29' }],
    ['plannedStart', { plannedStart: '01/09/2019' }],
    ['plannedEnd', { plannedEnd: '2020-13-01' }],
  ])('refuses a %s that is not an ISO date', (field, change) => {
    given([])
      .when({ ...plan, ...change })
      .thenThrows(refusal('BAD_USER_INPUT', field, /ISO 8601/));
  });

  it('refuses a planned end before the planned start', () => {
    given([])
      .when({ ...plan, plannedEnd: '2019-08-31', milestones: [] })
      .thenThrows(refusal('BAD_USER_INPUT', 'plannedEnd', /before the planned start/));
  });

  it('accepts an action planned to start and end on the same day', () => {
    expect(
      actionDecider.decide(
        { ...plan, plannedEnd: '2019-09-01', milestones: [] },
        actionDecider.initialState(),
      ),
    ).toHaveLength(1);
  });

  it('refuses a milestone due date that is not an ISO date', () => {
    given([])
      .when({ ...plan, milestones: [{ milestoneId: 'm-1', title: 'Launch', dueDate: '2019-09-31' }] })
      .thenThrows(refusal('BAD_USER_INPUT', 'milestones.0.dueDate', /ISO 8601/));
  });

  it('refuses a milestone due outside the planned period', () => {
    given([])
      .when({
        ...plan,
        milestones: [plan.milestones[0], { milestoneId: 'm-2', title: 'Late', dueDate: '2020-08-01' }],
      })
      .thenThrows(refusal('BAD_USER_INPUT', 'milestones.1.dueDate', /outside the planned period/));
    given([])
      .when({ ...plan, milestones: [{ milestoneId: 'm-1', title: 'Early', dueDate: '2019-08-31' }] })
      .thenThrows(refusal('BAD_USER_INPUT', 'milestones.0.dueDate', /outside the planned period/));
  });

  it('refuses a milestone with a blank title', () => {
    given([])
      .when({ ...plan, milestones: [{ milestoneId: 'm-1', title: ' ', dueDate: '2019-10-01' }] })
      .thenThrows(refusal('BAD_USER_INPUT', 'milestones.0.title'));
  });

  it('refuses two milestones with one id', () => {
    given([])
      .when({ ...plan, milestones: [plan.milestones[0], { ...plan.milestones[1], milestoneId: 'm-1' }] })
      .thenThrows(refusal('BAD_USER_INPUT', 'milestones.1', /already used/));
  });
});

describe('starting an action', () => {
  it('starts a planned action on or after its planned start', () => {
    given([planned]).when(start).then([started]);
    given([planned])
      .when({ ...start, on: '2019-09-01' })
      .then([{ type: 'ActionStarted', data: { actionId: ID, on: '2019-09-01' } }]);
  });

  it('refuses to start before the planned start: revise plannedStart first', () => {
    given([planned])
      .when({ ...start, on: '2019-08-31' })
      .thenThrows(refusal('CONFLICT', 'on', /revise plannedStart/));
  });

  it('lets a revised plannedStart allow an earlier start', () => {
    const revised: ActionEvent = {
      type: 'ActionRevised',
      data: { actionId: ID, reason: 'Ready early', changes: { plannedStart: '2019-08-01' } },
    };
    given([planned, revised])
      .when({ ...start, on: '2019-08-31' })
      .then([{ type: 'ActionStarted', data: { actionId: ID, on: '2019-08-31' } }]);
  });

  it('starts only a PLANNED action, naming the current status', () => {
    given([planned, started])
      .when(start)
      .thenThrows(refusal('CONFLICT', undefined, /IN_PROGRESS/));
    given([planned, started, paused])
      .when({ ...start, on: '2020-04-01' })
      .thenThrows(refusal('CONFLICT', undefined, /PAUSED/));
  });

  it('refuses a start dated in the future', () => {
    given([planned])
      .when({ ...start, on: '2020-07-01' })
      .thenThrows(refusal('BAD_USER_INPUT', 'on', /future/));
  });

  it('refuses a start date that is not an ISO date', () => {
    given([planned])
      .when({ ...start, on: '2019-09-31' })
      .thenThrows(refusal('BAD_USER_INPUT', 'on', /ISO 8601/));
  });

  it('refuses an action that was never planned', () => {
    given([]).when(start).thenThrows(refusal('NOT_FOUND'));
  });
});

describe('reaching milestones', () => {
  it('records a milestone reached while the action is in progress', () => {
    given([planned, started])
      .when(reach)
      .then([
        {
          type: 'MilestoneReached',
          data: { actionId: ID, milestoneId: 'm-1', on: '2019-11-28', note: '12 schools' },
        },
      ]);
  });

  it('refuses a milestone unless the action is IN_PROGRESS', () => {
    given([planned])
      .when(reach)
      .thenThrows(refusal('CONFLICT', undefined, /PLANNED/));
    given([planned, started, paused])
      .when({ ...reach, on: '2020-04-01' })
      .thenThrows(refusal('CONFLICT', undefined, /PAUSED/));
  });

  it('refuses a milestone reached twice', () => {
    const reached: ActionEvent = {
      type: 'MilestoneReached',
      data: { actionId: ID, milestoneId: 'm-1', on: '2019-11-28', note: '' },
    };
    given([planned, started, reached])
      .when(reach)
      .thenThrows(refusal('CONFLICT', 'milestoneId', /already reached on 2019-11-28/));
  });

  it('refuses a milestone the action does not have', () => {
    given([planned, started])
      .when({ ...reach, milestoneId: 'm-9' })
      .thenThrows(refusal('BAD_USER_INPUT', 'milestoneId', /m-9/));
  });

  it('knows milestones added by a revision', () => {
    const revised: ActionEvent = {
      type: 'ActionRevised',
      data: {
        actionId: ID,
        reason: 'More',
        changes: { milestonesAdded: [{ milestoneId: 'm-3', title: 'Celebration', dueDate: '2020-07-01' }] },
      },
    };
    given([planned, started, revised])
      .when({ ...reach, milestoneId: 'm-3', note: '' })
      .then([
        { type: 'MilestoneReached', data: { actionId: ID, milestoneId: 'm-3', on: '2019-11-28', note: '' } },
      ]);
  });

  it('refuses a milestone dated in the future', () => {
    given([planned, started])
      .when({ ...reach, on: '2020-07-01' })
      .thenThrows(refusal('BAD_USER_INPUT', 'on', /future/));
  });

  it('refuses a milestone dated before the action started', () => {
    given([planned, started])
      .when({ ...reach, on: '2019-09-01' })
      .thenThrows(refusal('CONFLICT', 'on', /started on 2019-09-02/));
  });
});

describe('completing an action', () => {
  it('completes an action in progress with a summary', () => {
    given([planned, started])
      .when(complete)
      .then([
        {
          type: 'ActionCompleted',
          data: { actionId: ID, on: '2020-06-15', summary: '600 pupils took part' },
        },
      ]);
  });

  it('completes only an IN_PROGRESS action', () => {
    given([planned])
      .when(complete)
      .thenThrows(refusal('CONFLICT', undefined, /PLANNED/));
    given([planned, started, paused])
      .when(complete)
      .thenThrows(refusal('CONFLICT', undefined, /PAUSED/));
  });

  it('needs a summary', () => {
    given([planned, started])
      .when({ ...complete, summary: '  ' })
      .thenThrows(refusal('BAD_USER_INPUT', 'summary'));
  });

  it('refuses a completion dated before the start', () => {
    given([planned, started])
      .when({ ...complete, on: '2019-09-01' })
      .thenThrows(refusal('CONFLICT', 'on', /since 2019-09-02/));
  });

  it('refuses a completion dated before the action was resumed', () => {
    given([planned, started, paused, resumed])
      .when({ ...complete, on: '2020-04-30' })
      .thenThrows(refusal('CONFLICT', 'on', /since 2020-05-01/));
  });

  it('refuses a completion dated in the future', () => {
    given([planned, started])
      .when({ ...complete, on: '2020-07-01' })
      .thenThrows(refusal('BAD_USER_INPUT', 'on', /future/));
  });
});

describe('pausing and resuming', () => {
  it('pauses an action in progress and resumes it', () => {
    given([planned, started]).when(pause).then([paused]);
    given([planned, started, paused]).when(resume).then([resumed]);
  });

  it('pauses only an IN_PROGRESS action', () => {
    given([planned])
      .when(pause)
      .thenThrows(refusal('CONFLICT', undefined, /PLANNED/));
    given([planned, started, paused])
      .when(pause)
      .thenThrows(refusal('CONFLICT', undefined, /PAUSED/));
  });

  it('needs a reason to pause', () => {
    given([planned, started])
      .when({ ...pause, reason: '' })
      .thenThrows(refusal('BAD_USER_INPUT', 'reason'));
  });

  it('refuses a pause dated in the future', () => {
    given([planned, started])
      .when({ ...pause, on: '2020-07-01' })
      .thenThrows(refusal('BAD_USER_INPUT', 'on', /future/));
  });

  it('resumes only a PAUSED action', () => {
    given([planned, started])
      .when(resume)
      .thenThrows(refusal('CONFLICT', undefined, /IN_PROGRESS/));
    given([planned])
      .when(resume)
      .thenThrows(refusal('CONFLICT', undefined, /PLANNED/));
  });

  it('refuses a resumption dated before the pause', () => {
    given([planned, started, paused])
      .when({ ...resume, on: '2020-03-19' })
      .thenThrows(refusal('CONFLICT', 'on', /since 2020-03-20/));
  });

  it('refuses a pause dated before the action started', () => {
    given([planned, started])
      .when({ ...pause, on: '2019-09-01' })
      .thenThrows(refusal('CONFLICT', 'on', /since 2019-09-02/));
  });
});

describe('cancelling an action', () => {
  it.each([
    ['PLANNED', [planned]],
    ['IN_PROGRESS', [planned, started]],
    ['PAUSED', [planned, started, paused]],
  ])('cancels a %s action, with a reason', (_status, history) => {
    given(history)
      .when(cancel)
      .then([
        { type: 'ActionCancelled', data: { actionId: ID, on: '2020-06-01', reason: 'Funding withdrawn' } },
      ]);
  });

  it('needs a reason to cancel', () => {
    given([planned])
      .when({ ...cancel, reason: ' ' })
      .thenThrows(refusal('BAD_USER_INPUT', 'reason'));
  });

  it('refuses a cancellation dated in the future', () => {
    given([planned])
      .when({ ...cancel, on: '2020-07-01' })
      .thenThrows(refusal('BAD_USER_INPUT', 'on', /future/));
  });

  it('refuses a cancellation dated before the last status change', () => {
    given([planned, started, paused])
      .when({ ...cancel, on: '2020-03-01' })
      .thenThrows(refusal('CONFLICT', 'on', /since 2020-03-20/));
  });
});

describe('nothing happens to a completed or cancelled action', () => {
  const afterCancel = [planned, cancelled];
  const afterComplete = [planned, started, completed];

  it('refuses to complete a cancelled action, saying it is CANCELLED and why', () => {
    given(afterCancel)
      .when(complete)
      .thenThrows(
        refusal(
          'CONFLICT',
          undefined,
          /CANCELLED \(since 2019-10-01: Funding withdrawn\).*completing it is refused/,
        ),
      );
  });

  it.each([
    ['start', start],
    ['reach a milestone of', reach],
    ['pause', pause],
    ['resume', resume],
    ['cancel', cancel],
    ['revise', { ...revise, title: 'New title' }],
  ] as [string, ActionCommand][])('refuses to %s a cancelled action', (_verb, command) => {
    given(afterCancel)
      .when(command)
      .thenThrows(refusal('CONFLICT', undefined, /CANCELLED/));
  });

  it.each([
    ['complete', complete],
    ['reach a milestone of', reach],
    ['pause', pause],
    ['cancel', cancel],
    ['revise', { ...revise, title: 'New title' }],
  ] as [string, ActionCommand][])('refuses to %s a completed action', (_verb, command) => {
    given(afterComplete)
      .when(command)
      .thenThrows(refusal('CONFLICT', undefined, /COMPLETED/));
  });
});

describe('revising an action', () => {
  it('records only what changed, with the reason', () => {
    given([planned])
      .when({
        ...revise,
        title: ' Schools Linking (phase 1) ',
        description: planned.data.description,
        themes: ['EDUCATION_AND_YOUNG_PEOPLE', 'ENGLISH_LANGUAGE'],
        leadPartnerId: 'p-schools',
        partnerIds: ['p-council', 'p-police'],
        plannedStart: '2019-10-01',
        plannedEnd: '2020-07-31',
        addMilestones: [{ milestoneId: 'm-3', title: 'Celebration event', dueDate: '2020-07-15' }],
      })
      .then([
        {
          type: 'ActionRevised',
          data: {
            actionId: ID,
            reason: 'Board decision',
            changes: {
              title: 'Schools Linking (phase 1)',
              themes: ['EDUCATION_AND_YOUNG_PEOPLE', 'ENGLISH_LANGUAGE'],
              partnerIds: ['p-council', 'p-police'],
              plannedStart: '2019-10-01',
              milestonesAdded: [{ milestoneId: 'm-3', title: 'Celebration event', dueDate: '2020-07-15' }],
            },
          },
        },
      ]);
  });

  it('revises a paused action and can change its lead partner', () => {
    given([planned, started, paused])
      .when({ ...revise, leadPartnerId: 'p-police' })
      .then([
        {
          type: 'ActionRevised',
          data: { actionId: ID, reason: 'Board decision', changes: { leadPartnerId: 'p-police' } },
        },
      ]);
  });

  it('records nothing when nothing differs', () => {
    given([planned])
      .when({ ...revise, title: 'Schools Linking', themes: [...planned.data.themes] })
      .then([]);
  });

  it('needs a reason', () => {
    given([planned])
      .when({ ...revise, reason: '  ', title: 'X' })
      .thenThrows(refusal('BAD_USER_INPUT', 'reason'));
  });

  it('refuses an action that was never planned', () => {
    given([])
      .when({ ...revise, title: 'X' })
      .thenThrows(refusal('NOT_FOUND'));
  });

  it('refuses a blank title', () => {
    given([planned])
      .when({ ...revise, title: ' ' })
      .thenThrows(refusal('BAD_USER_INPUT', 'title'));
  });

  it('checks revised themes against the catalogue', () => {
    given([planned])
      .when({ ...revise, themes: [] })
      .thenThrows(refusal('BAD_USER_INPUT', 'themes', /at least one/));
    given([planned])
      .when({ ...revise, themes: ['NOPE'] })
      .thenThrows(refusal('BAD_USER_INPUT', 'themes', /NOPE/));
    given([planned])
      .when({ ...revise, themes: ['OLD_THEME'] })
      .thenThrows(refusal('BAD_USER_INPUT', 'themes', /retired/));
  });

  it('checks a revised lead partner and partners against the area', () => {
    given([planned])
      .when({ ...revise, leadPartnerId: 'p-x' })
      .thenThrows(refusal('BAD_USER_INPUT', 'leadPartnerId', /p-x/));
    given([planned])
      .when({ ...revise, partnerIds: ['p-y'] })
      .thenThrows(refusal('BAD_USER_INPUT', 'partnerIds.0', /p-y/));
    given([planned])
      .when({ ...revise, leadPartnerId: 'p-council' })
      .thenThrows(refusal('BAD_USER_INPUT', 'leadPartnerId', /lead/));
    given([planned])
      .when({ ...revise, partnerIds: ['p-schools'] })
      .thenThrows(refusal('BAD_USER_INPUT', 'partnerIds', /lead/));
  });

  it('checks revised dates', () => {
    given([planned])
      .when({ ...revise, plannedStart: '2019-09-31' })
      .thenThrows(refusal('BAD_USER_INPUT', 'plannedStart', /ISO 8601/));
    given([planned])
      .when({ ...revise, plannedEnd: '2019-08-01' })
      .thenThrows(refusal('BAD_USER_INPUT', 'plannedEnd', /before the planned start/));
    given([planned])
      .when({ ...revise, plannedStart: '2020-08-01' })
      .thenThrows(refusal('BAD_USER_INPUT', 'plannedStart'));
  });

  it('keeps the milestones inside a revised period', () => {
    given([planned])
      .when({ ...revise, plannedEnd: '2020-06-30' })
      .thenThrows(refusal('BAD_USER_INPUT', 'plannedEnd', /Evaluation report/));
    given([planned])
      .when({ ...revise, plannedStart: '2019-12-01' })
      .thenThrows(refusal('BAD_USER_INPUT', 'plannedStart', /First link visits/));
  });

  it('checks added milestones like planned ones', () => {
    const add = (m: { milestoneId: string; title: string; dueDate: string }) => ({
      ...revise,
      addMilestones: [m],
    });
    given([planned])
      .when(add({ milestoneId: 'm-3', title: 'X', dueDate: '2020-02-30' }))
      .thenThrows(refusal('BAD_USER_INPUT', 'addMilestones.0.dueDate', /ISO 8601/));
    given([planned])
      .when(add({ milestoneId: 'm-3', title: 'X', dueDate: '2020-08-01' }))
      .thenThrows(refusal('BAD_USER_INPUT', 'addMilestones.0.dueDate', /outside/));
    given([planned])
      .when(add({ milestoneId: 'm-3', title: '', dueDate: '2020-01-01' }))
      .thenThrows(refusal('BAD_USER_INPUT', 'addMilestones.0.title'));
    given([planned])
      .when(add({ milestoneId: 'm-1', title: 'X', dueDate: '2020-01-01' }))
      .thenThrows(refusal('BAD_USER_INPUT', 'addMilestones.0', /already used/));
  });

  it('lets later revisions build on earlier ones', () => {
    const first: ActionEvent = {
      type: 'ActionRevised',
      data: { actionId: ID, reason: 'r', changes: { plannedEnd: '2020-12-31' } },
    };
    const state = given([planned, first]).state;
    expect(state.exists && state.plan.plannedEnd).toBe('2020-12-31');
    given([planned, first])
      .when({ ...revise, addMilestones: [{ milestoneId: 'm-3', title: 'Extra', dueDate: '2020-11-01' }] })
      .then([
        {
          type: 'ActionRevised',
          data: {
            actionId: ID,
            reason: 'Board decision',
            changes: { milestonesAdded: [{ milestoneId: 'm-3', title: 'Extra', dueDate: '2020-11-01' }] },
          },
        },
      ]);
  });
});

describe("the period lock (the area's returns are a fact given to the decider)", () => {
  // 2020-03-20 is in 2019-20 Q4; 2020-05-01 in 2020-21 Q1.
  const q4Submitted: ReturnsState = new Map([['2019-20 Q4', 'SUBMITTED']]);

  it('refuses a status change dated in a quarter whose return is submitted or approved', () => {
    given([planned, started])
      .when({ ...pause, returns: q4Submitted })
      .thenThrows(refusal('CONFLICT', 'on', /2019-20 Q4 is locked for E06000008: its return is submitted/));
    given([planned, started])
      .when({ ...reach, on: '2020-01-10', returns: new Map([['2019-20 Q4', 'APPROVED']]) })
      .thenThrows(refusal('CONFLICT', 'on', /2019-20 Q4 is locked/));
  });

  it('accepts it in another quarter, or once the return is sent back', () => {
    given([planned, started, paused])
      .when({ ...resume, returns: q4Submitted })
      .then([{ type: 'ActionResumed', data: { actionId: ID, on: '2020-05-01' } }]);
    given([planned, started])
      .when({ ...pause, returns: new Map([['2019-20 Q4', 'SENT_BACK']]) })
      .then([{ type: 'ActionPaused', data: { actionId: ID, on: '2020-03-20', reason: 'Schools closed' } }]);
  });

  it("applies the action's own rules first: they explain an illegal change best", () => {
    given([planned])
      .when({ ...pause, returns: q4Submitted })
      .thenThrows(refusal('CONFLICT', undefined, /PLANNED/));
  });
});
