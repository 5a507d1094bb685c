import { describe, expect, it } from '@jest/globals';
import { buildSchema } from 'graphql';
import { isUnavailableError } from '@iap/common';
import { operationLabel } from './metrics.js';

const schema = buildSchema(`
  type Query { area(code: String!): String, areas: [String] }
  type Mutation { registerArea(code: String!): String }
`);

describe('operationLabel', () => {
  it('names an operation by its kind and root fields, whatever the caller calls it', () => {
    expect(operationLabel('query Anything { areas }', schema)).toBe('query areas');
    expect(operationLabel('{ b: area(code: "x") a: areas }', schema)).toBe('query area,areas');
    expect(operationLabel('mutation { registerArea(code: "x") }', schema)).toBe('mutation registerArea');
    expect(operationLabel('query A { areas } query B { area(code: "x") }', schema, 'B')).toBe('query area');
  });

  it('keeps the labels bounded: unknown fields, bad documents and non-strings are "invalid"', () => {
    expect(operationLabel('{ made_up_1 }', schema)).toBe('invalid');
    expect(operationLabel('{ areas', schema)).toBe('invalid');
    expect(operationLabel(42, schema)).toBe('invalid');
    expect(operationLabel('query A { areas } query B { areas }', schema)).toBe('invalid');
    expect(operationLabel('{ __schema { types { name } } }', schema)).toBe('query __introspection');
  });
});

describe('isUnavailableError', () => {
  it('recognises a database that is away or too slow, also wrapped', () => {
    expect(isUnavailableError({ code: 'ECONNREFUSED' })).toBe(true);
    expect(
      isUnavailableError({ code: '57P01', message: 'terminating connection due to administrator command' }),
    ).toBe(true);
    expect(isUnavailableError({ code: '55P03', message: 'canceling statement due to lock timeout' })).toBe(
      true,
    );
    expect(isUnavailableError({ driverError: { code: '57014' } })).toBe(true);
    expect(isUnavailableError(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isUnavailableError(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it('leaves other failures alone', () => {
    expect(
      isUnavailableError({ code: '23505', message: 'duplicate key value violates unique constraint' }),
    ).toBe(false);
    expect(isUnavailableError(new Error('boom'))).toBe(false);
    expect(isUnavailableError(undefined)).toBe(false);
  });
});
