import { describe, expect, it } from '@jest/globals';
import type { FastifyRequest } from 'fastify';
import { KEPT_FORM_COOKIE_BYTES, type FormState, keepFormState, takeFormState } from './session.js';

/** A request whose session is a plain map, as @fastify/secure-session's get and set see it. */
function request(): { request: FastifyRequest; stored: () => unknown; store: (form: unknown) => void } {
  const data = new Map<string, unknown>();
  const session = { get: (k: string) => data.get(k), set: (k: string, v: unknown) => data.set(k, v) };
  return {
    request: { session } as unknown as FastifyRequest,
    stored: () => data.get('form'),
    store: (form) => data.set('form', form),
  };
}

const cookieBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

describe("a refused form's answers kept for the page it is sent back to", () => {
  it('keeps a short form whole in the session cookie', () => {
    const { request: r, stored } = request();
    const state: FormState = { form: 'f', values: { title: 'Schools Linking' }, errors: [] };
    keepFormState(r, state);
    expect(stored()).toEqual(state);
    expect(takeFormState(r, 'f')).toEqual(state);
    expect(takeFormState(r, 'f')).toBeUndefined();
  });

  it('holds the longest answers out of the cookie and gives them back once, to the same form only', () => {
    const { request: r, stored } = request();
    const state: FormState = {
      form: 'measure',
      values: { value: '12', source: 's'.repeat(3_000), note: 'ñ'.repeat(5_000) },
      errors: [{ field: 'source', text: 'Source must be 500 characters or fewer' }],
    };
    keepFormState(r, state);
    expect(cookieBytes(stored())).toBeLessThanOrEqual(KEPT_FORM_COOKIE_BYTES + 100);
    expect(stored()).toMatchObject({ values: { value: '12' }, errors: state.errors });
    expect(takeFormState(r, 'measure')).toEqual(state);

    keepFormState(r, state);
    expect(takeFormState(r, 'another form')).toBeUndefined();
    const other = request();
    // A cookie whose id the server does not hold (another instance's, or let go) shows what the cookie has.
    other.store({ form: 'measure', values: {}, errors: [], held: 'not-an-id' });
    expect(takeFormState(other.request, 'measure')).toEqual({ form: 'measure', values: {}, errors: [] });
  });

  it('cuts short an error that quotes an answer back, so that the cookie still fits', () => {
    const { request: r, stored } = request();
    keepFormState(r, { form: 'f', values: {}, errors: [{ field: 'x', text: `Got ${'x'.repeat(5_000)}` }] });
    expect(cookieBytes(stored())).toBeLessThan(KEPT_FORM_COOKIE_BYTES);
    expect(takeFormState(r, 'f')?.errors[0]?.text).toMatch(/^Got x+…$/);
  });
});
