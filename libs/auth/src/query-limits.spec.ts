import { describe, expect, it } from '@jest/globals';
import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { queryLimitRules } from './query-limits.js';

const schema = buildSchema(`
  type Query { items(first: Int): ItemPage! item(id: ID!): Item }
  type Mutation { touch(id: ID!): Item }
  type ItemPage { nodes: [Item!]! }
  type Item { id: ID! name: String! children(first: Int): ItemPage! }
`);

function codes(source: string, limits = { maxDepth: 5, maxComplexity: 500, introspection: true }) {
  return validate(schema, parse(source), [...specifiedRules, ...queryLimitRules(limits)]).map((e) => [
    e.extensions.code ?? 'GRAPHQL_VALIDATION_FAILED',
    e.message,
  ]);
}

/** Limits where only depth can be exceeded. */
const roomy = { maxDepth: 5, maxComplexity: 1_000_000, introspection: true };

describe('query limits', () => {
  it('lets a modest query through', () => {
    expect(codes('{ items(first: 10) { nodes { id name } } }')).toEqual([]);
  });

  it('refuses a query nested deeper than the limit, naming the limit', () => {
    const deep = '{ item(id: 1) { children { nodes { children { nodes { id } } } } } }';
    expect(codes(deep, roomy)).toEqual([
      ['QUERY_TOO_DEEP', 'The operation is nested 6 levels deep: at most 5 are allowed'],
    ]);
  });

  it('counts depth through fragments, and survives fragment cycles', () => {
    const viaFragments =
      'query Q { item(id: 1) { ...A } } fragment A on Item { children { nodes { ...B } } } fragment B on Item { children { nodes { id } } }';
    expect(codes(viaFragments, roomy).map((c) => c[0])).toEqual(['QUERY_TOO_DEEP']);
    const cyclic = '{ item(id: 1) { ...A } } fragment A on Item { ...B } fragment B on Item { ...A }';
    expect(codes(cyclic).map((c) => c[0])).toContain('GRAPHQL_VALIDATION_FAILED');
  });

  it('multiplies a list by its page size: literal, default, or the maximum for a variable', () => {
    const fields = Array.from({ length: 9 }, (_, i) => `f${i}: name`).join(' ');
    expect(codes(`{ items(first: 40) { nodes { ${fields} } } }`)).toEqual([]); // 1 + 40 * (1 + 9) = 401
    expect(codes(`{ items(first: 60) { nodes { ${fields} } } }`).map((c) => c[0])).toEqual([
      'QUERY_TOO_COMPLEX',
    ]);
    expect(codes(`query($n: Int) { items(first: $n) { nodes { ${fields} } } }`).map((c) => c[0])).toEqual([
      'QUERY_TOO_COMPLEX',
    ]);
  });

  it('counts aliases, so repeating a field cannot hide its cost', () => {
    const many = Array.from({ length: 300 }, (_, i) => `a${i}: item(id: ${i}) { id }`).join(' ');
    expect(codes(`{ ${many} }`).map((c) => c[0])).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('refuses more than ten mutations in one request', () => {
    const ten = Array.from({ length: 10 }, (_, i) => `m${i}: touch(id: ${i}) { id }`).join(' ');
    const eleven = `${ten} m10: touch(id: 10) { id }`;
    expect(codes(`mutation { ${ten} }`)).toEqual([]);
    expect(codes(`mutation { ${eleven} }`)).toEqual([
      ['QUERY_TOO_COMPLEX', 'The operation has 11 mutations: at most 10 are allowed in one request'],
    ]);
  });

  it('refuses introspection when it is off, but not __typename', () => {
    const off = { maxDepth: 20, maxComplexity: 500, introspection: false };
    expect(codes('{ __schema { types { name } } }', off)[0][1]).toMatch(/introspection has been disabled/);
    expect(codes('{ items { __typename } }', off)).toEqual([]);
  });
});
