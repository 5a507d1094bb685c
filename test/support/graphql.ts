import { expect } from '@jest/globals';
import type { GraphQLResponse, TestApp } from './test-app.js';

/** A mutation taking `$input` of `inputType`, answering `fields`. */
export function mutation(name: string, inputType: string, fields = '__typename'): string {
  return `mutation($input: ${inputType}!) { ${name}(input: $input) { ${fields} } }`;
}

/** The data of a response that must have no errors. */
export function ok<T>(res: GraphQLResponse<T>): T {
  expect(res.errors).toBeUndefined();
  return res.data as T;
}

/**
 * The central team allocates an area's grant for a year (£500,000 of the Integration Area Programme), so that its
 * quarters are open and its returns due: what a suite needs beyond the demo's own years.
 */
export async function allocateGrant(t: TestApp, areaCode: string, year: string): Promise<void> {
  await succeeds(
    t,
    mutation('allocateGrant', 'AllocateGrantInput', 'year'),
    { input: { areaCode, year, fundingStream: 'Integration Area Programme', amountPence: 50_000_000 } },
    t.as({ role: 'CENTRAL' }),
  );
}

/** Runs a query or mutation that must succeed (as `headers` say, when given): its data. */
export async function succeeds<T = Record<string, unknown>>(
  t: Pick<TestApp, 'gql'>,
  query: string,
  variables?: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<T> {
  return ok(await t.gql<T>(query, variables, headers));
}

/**
 * A mutation that must be refused with `code` and write nothing; when `field` is given, the error names
 * `input.<field>` (the path from the arguments) and, for BAD_USER_INPUT, says it in the message. Its error.
 */
export async function refused(
  t: TestApp,
  query: string,
  input: Record<string, unknown>,
  code: string,
  field?: string,
): Promise<NonNullable<GraphQLResponse['errors']>[number]> {
  const before = await t.eventCount();
  const res = await t.gql(query, { input });
  expect(res.data).toBeNull();
  expect(res.errors?.[0].extensions.code).toBe(code);
  if (field) {
    expect(res.errors?.[0].extensions.field).toBe(`input.${field}`);
    if (code === 'BAD_USER_INPUT') expect(res.errors?.[0].message).toContain(field);
  }
  expect(await t.eventCount()).toBe(before);
  return res.errors![0];
}
