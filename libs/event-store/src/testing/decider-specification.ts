import { expect } from '@jest/globals';
import type { Decider, NewEvent } from '../decider.js';

/**
 * What a refused command's error must be: its class, properties it must have (Jest's asymmetric matchers
 * allowed, e.g. `message: expect.stringMatching(/retired/)`), or a function that asserts on it.
 */
export type ErrorExpectation =
  (abstract new (...args: never[]) => Error) | Record<string, unknown> | ((error: Error) => void);

/**
 * The one way to test a decider: given(events) / when(command) / then(events), thenThrows(...) or
 * thenNothingHappened() (after Emmett's DeciderSpecification). Pure: no store, no clock, no database.
 *
 *   const given = deciderSpecification(areaDecider);
 *   given([registered]).when(registerAgain).thenThrows(AppError, { code: 'CONFLICT' });
 */
export function deciderSpecification<State, Command, Event extends NewEvent>(
  decider: Decider<State, Command, Event>,
) {
  return function given(events: readonly Event[] = []) {
    const state = events.reduce((s, e) => decider.evolve(s, e), decider.initialState());
    return {
      /** The state the given events leave. */
      state,
      when(command: Command) {
        const decide = () => decider.decide(command, state);
        return {
          /** The command is accepted and causes exactly these events. */
          then(expected: readonly Event[]): void {
            expect(decide()).toEqual(expected);
          },
          /** The command is accepted and causes nothing (e.g. it asks for what is already so). */
          thenNothingHappened(): void {
            expect(decide()).toEqual([]);
          },
          /** The command is refused with an error meeting every expectation; returns the error. */
          thenThrows<E extends Error = Error>(...expectations: ErrorExpectation[]): E {
            let thrown: unknown;
            let events: readonly Event[] | undefined;
            try {
              events = decide();
            } catch (err) {
              thrown = err;
            }
            if (thrown === undefined) {
              throw new Error(`Expected the command to be refused, but it caused ${JSON.stringify(events)}`);
            }
            expect(thrown).toBeInstanceOf(Error);
            for (const expectation of expectations) {
              if (
                typeof expectation === 'function' &&
                (expectation === Error || expectation.prototype instanceof Error)
              ) {
                expect(thrown).toBeInstanceOf(expectation);
              } else if (typeof expectation === 'function') {
                (expectation as (error: Error) => void)(thrown as Error);
              } else {
                expect(thrown).toMatchObject(expectation);
              }
            }
            return thrown as E;
          },
        };
      },
    };
  };
}
