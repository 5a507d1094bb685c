import { expect } from '@jest/globals';
import { AppError } from '@iap/common';
import type { Decider, NewEvent } from '@iap/event-store';

/** given(events) / when(command) / then(events) or thenError(code, field) for a decider. */
export function givenWhenThen<State, Command, Event extends NewEvent>(
  decider: Decider<State, Command, Event>,
) {
  return function given(events: readonly Event[]) {
    const state = events.reduce((s, e) => decider.evolve(s, e), decider.initialState);
    return {
      state,
      when: (command: Command) => ({
        then: (expected: readonly Event[]) => expect(decider.decide(command, state)).toEqual(expected),
        thenError: (code: string, field?: string, message?: string | RegExp): AppError => {
          let thrown: unknown;
          try {
            decider.decide(command, state);
          } catch (err) {
            thrown = err;
          }
          expect(thrown).toBeInstanceOf(AppError);
          const err = thrown as AppError;
          expect(err.code).toBe(code);
          if (field) expect(err.details.field).toBe(field);
          if (message) expect(err.message).toMatch(message);
          return err;
        },
      }),
    };
  };
}
