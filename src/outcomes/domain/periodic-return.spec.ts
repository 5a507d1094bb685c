import { describe, expect, it } from '@jest/globals';
import {
  type AreaFacts,
  type ReturnCommand,
  type ReturnEvent,
  type ReturnSnapshot,
  checkDateOpen,
  checkPeriodOpen,
  isLocked,
  namedReturns,
  returnDecider,
} from './periodic-return.js';
import { refusal } from '@iap/common/testing';
import { deciderSpecification } from '@iap/event-store/testing';

const given = deciderSpecification(returnDecider);

const pilot: AreaFacts = { registered: true, kind: 'PILOT' };
const snapshot: ReturnSnapshot = {
  spendPence: 12_500_00,
  measurements: 3,
  actionsByStatus: { IN_PROGRESS: 2, COMPLETED: 1 },
};
const areaCode = 'E06000008';
const quarter = '2019-20 Q1';
const submit: ReturnCommand = {
  type: 'SubmitReturn',
  areaCode,
  quarter,
  note: ' First quarter ',
  snapshot,
  today: '2019-07-15',
  area: pilot,
};
const submitted: ReturnEvent = {
  type: 'ReturnSubmitted',
  data: { areaCode, quarter, note: 'First quarter', snapshot },
};
const sentBack: ReturnEvent = {
  type: 'ReturnSentBack',
  data: { areaCode, quarter, comments: 'Add the ESOL figures' },
};
const approved: ReturnEvent = { type: 'ReturnApproved', data: { areaCode, quarter, comments: '' } };
const approve: ReturnCommand = { type: 'ApproveReturn', areaCode, quarter, comments: '' };
const sendBack: ReturnCommand = {
  type: 'SendBackReturn',
  areaCode,
  quarter,
  comments: ' Add the ESOL figures ',
};

describe('periodic return: submit', () => {
  it('submits a return with its snapshot, locking the quarter', () => {
    given([]).when(submit).then([submitted]);
    expect(given([submitted]).state.get(quarter)).toBe('SUBMITTED');
    expect(isLocked(given([submitted]).state.get(quarter))).toBe(true);
  });

  it('may submit during the quarter itself (it has started)', () => {
    given([])
      .when({ ...submit, today: '2019-04-01' })
      .then([submitted]);
  });

  it('refuses a quarter that has not started yet', () => {
    given([])
      .when({ ...submit, today: '2019-03-31' })
      .thenThrows(refusal('BAD_USER_INPUT', 'quarter', /not started/));
  });

  it.each(['2019-20', '2019-21 Q1', '2019-20 Q5', '2019/20 Q1', ''])(
    'refuses the malformed quarter %p',
    (q) => {
      given([])
        .when({ ...submit, quarter: q })
        .thenThrows(refusal('BAD_USER_INPUT', 'quarter'));
    },
  );

  it('refuses a second submission while submitted', () => {
    given([submitted])
      .when(submit)
      .thenThrows(refusal('CONFLICT', 'quarter', /already submitted/));
  });

  it('refuses a submission once approved', () => {
    given([submitted, approved])
      .when(submit)
      .thenThrows(refusal('CONFLICT', 'quarter', /already approved/));
  });

  it('accepts a resubmission after the return was sent back', () => {
    given([submitted, sentBack]).when(submit).then([submitted]);
  });

  it('refuses an unregistered area', () => {
    given([])
      .when({ ...submit, area: { registered: false } })
      .thenThrows(refusal('NOT_FOUND'));
  });

  it('refuses an area that is not a pilot', () => {
    given([])
      .when({ ...submit, area: { registered: true, kind: 'NON_PILOT' } })
      .thenThrows(refusal('BAD_USER_INPUT', 'areaCode'));
  });

  it('keeps quarters apart', () => {
    given([submitted])
      .when({ ...submit, quarter: '2019-20 Q2', today: '2019-10-01', note: '' })
      .then([{ type: 'ReturnSubmitted', data: { areaCode, quarter: '2019-20 Q2', note: '', snapshot } }]);
  });
});

describe('periodic return: approve and send back', () => {
  it('approves a submitted return (it stays locked)', () => {
    given([submitted]).when(approve).then([approved]);
    expect(isLocked(given([submitted, approved]).state.get(quarter))).toBe(true);
  });

  it('refuses to approve a return that is not submitted', () => {
    given([])
      .when(approve)
      .thenThrows(refusal('CONFLICT', 'quarter', /not submitted/));
    given([submitted, sentBack])
      .when(approve)
      .thenThrows(refusal('CONFLICT', 'quarter', /sent back/));
    given([submitted, approved])
      .when(approve)
      .thenThrows(refusal('CONFLICT', 'quarter', /approved/));
  });

  it('sends a submitted return back with comments, unlocking the quarter', () => {
    given([submitted]).when(sendBack).then([sentBack]);
    const { state } = given([submitted, sentBack]);
    expect(state.get(quarter)).toBe('SENT_BACK');
    expect(isLocked(state.get(quarter))).toBe(false);
  });

  it('refuses to send back without comments', () => {
    given([submitted])
      .when({ ...sendBack, comments: '  ' })
      .thenThrows(refusal('BAD_USER_INPUT', 'comments'));
  });

  it('refuses to send back a return that is not submitted', () => {
    given([]).when(sendBack).thenThrows(refusal('CONFLICT', 'quarter'));
    given([submitted, approved]).when(sendBack).thenThrows(refusal('CONFLICT', 'quarter'));
    given([submitted, sentBack]).when(sendBack).thenThrows(refusal('CONFLICT', 'quarter'));
  });
});

describe('period lock', () => {
  const state = (events: ReturnEvent[]) => given(events).state;

  it('refuses changes to a submitted or approved quarter, naming the field and period', () => {
    for (const events of [[submitted], [submitted, approved]]) {
      expect(() => checkPeriodOpen(state(events), areaCode, quarter, 'period')).toThrow(
        expect.objectContaining({ code: 'CONFLICT', details: { field: 'period', period: quarter } }) as never,
      );
    }
  });

  it('names the area by its name when the fact carries it, keeping the code and field', () => {
    const named = namedReturns(state([submitted]), 'Blackburn with Darwen');
    expect(() => checkPeriodOpen(named, areaCode, quarter, 'period')).toThrow(
      expect.objectContaining({
        code: 'CONFLICT',
        details: { field: 'period', period: quarter },
        message:
          '2019-20 Q1 is locked for Blackburn with Darwen: its return is submitted. Ask the central team to send it back to make changes.',
      }) as never,
    );
  });

  it('lets changes through for a quarter never submitted, or sent back', () => {
    expect(() => checkPeriodOpen(state([]), areaCode, quarter, 'period')).not.toThrow();
    expect(() => checkPeriodOpen(state([submitted, sentBack]), areaCode, quarter, 'period')).not.toThrow();
    expect(() => checkPeriodOpen(state([submitted]), areaCode, '2019-20 Q2', 'period')).not.toThrow();
  });

  it('finds the quarter a date falls in', () => {
    expect(() => checkDateOpen(state([submitted]), areaCode, '2019-06-30', 'period')).toThrow(
      /2019-20 Q1 is locked/,
    );
    expect(() => checkDateOpen(state([submitted]), areaCode, '2019-04-01', 'period')).toThrow(/locked/);
    expect(() => checkDateOpen(state([submitted]), areaCode, '2019-07-01', 'period')).not.toThrow();
    expect(() => checkDateOpen(state([submitted]), areaCode, '2019-03-31', 'period')).not.toThrow();
  });
});
