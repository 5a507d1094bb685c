import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { type GraphQLObjectType } from 'graphql';
import { auditServer } from 'graphql-http';
import { type TestApp, startTestApp } from './support/test-app.js';

/**
 * GraphQL over HTTP (issue 13, point 12): the specification's own audit (graphql-http's auditServer) passes every
 * MUST and SHOULD, and the statuses the README documents hold for both media types.
 */

const GRAPHQL_RESPONSE = 'application/graphql-response+json';

describe('GraphQL over HTTP', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ tokenless: 'anonymous' });
  }, 60_000);
  afterAll(async () => t?.close());

  async function post(body: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type'), body: JSON.parse(text) };
  }

  it('passes every MUST and SHOULD of the audit, and every MAY we chose', async () => {
    const results = await auditServer({ url: `${t.url}/graphql` });
    const failing = results
      .filter((r) => r.status !== 'ok')
      .map((r) => `${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`);
    expect(failing).toEqual([]);
    expect(results.length).toBeGreaterThan(50);
  }, 60_000);

  it.each([
    ['a document that does not parse', { query: '{ themes { code ' }, 'GRAPHQL_PARSE_FAILED'],
    ['a document that does not validate', { query: '{ nope }' }, 'GRAPHQL_VALIDATION_FAILED'],
    [
      'a refused variable',
      { query: 'query($d: DateTime) { history(stream: "x", asOf: $d) { type } }', variables: { d: 'x' } },
      'BAD_USER_INPUT',
    ],
  ])(
    '%s: no data entry; 200 with application/json, 400 with graphql-response+json',
    async (_what, body, code) => {
      const json = await post(body, { accept: 'application/json' });
      expect([json.status, json.type, 'data' in json.body, json.body.errors[0].extensions.code]).toEqual([
        200,
        'application/json; charset=utf-8',
        false,
        code,
      ]);
      const gql = await post(body, { accept: `${GRAPHQL_RESPONSE}, application/json;q=0.9` });
      expect([gql.status, gql.type, 'data' in gql.body, gql.body.errors[0].extensions.code]).toEqual([
        400,
        `${GRAPHQL_RESPONSE}; charset=utf-8`,
        false,
        code,
      ]);
    },
  );

  it('null variables, operationName and extensions are parameters not sent, whatever the read-model cache holds', async () => {
    // a document of its own for each, so that no answer kept for an earlier request can stand in for it
    for (const [i, parameter] of ['variables', 'operationName', 'extensions'].entries()) {
      for (const accept of ['application/json', GRAPHQL_RESPONSE]) {
        const res = await post({ query: `{ nullParameter${i}: __typename }`, [parameter]: null }, { accept });
        expect([parameter, res.status, res.body]).toEqual([
          parameter,
          200,
          { data: { [`nullParameter${i}`]: 'Query' } },
        ]);
      }
    }
  });

  it('a token that cannot be verified: 401 before GraphQL runs, with both media types', async () => {
    for (const accept of ['application/json', GRAPHQL_RESPONSE]) {
      const res = await post({ query: '{ themes { code } }' }, { accept, authorization: 'Bearer nonsense' });
      expect([res.status, 'data' in res.body, res.body.errors[0].extensions.code]).toEqual([
        401,
        false,
        'UNAUTHENTICATED',
      ]);
    }
  });

  it('no token: GraphQL runs, and an operation that needs one is a field error (200) with both media types', async () => {
    for (const accept of ['application/json', GRAPHQL_RESPONSE]) {
      const res = await post({ query: '{ themes { code } area(code: "E06000008") { code } }' }, { accept });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({ themes: expect.any(Array), area: null });
      expect(res.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual([
        'UNAUTHENTICATED',
      ]);
    }
  });

  it('answers a successful request in the media type asked for', async () => {
    const json = await post({ query: '{ themes { code } }' });
    expect([json.status, json.type]).toEqual([200, 'application/json; charset=utf-8']);
    const gql = await post({ query: '{ themes { code } }' }, { accept: GRAPHQL_RESPONSE });
    expect([gql.status, gql.type]).toEqual([200, `${GRAPHQL_RESPONSE}; charset=utf-8`]);
    expect(gql.body.data.themes.length).toBeGreaterThan(0);
  });

  it("reads plain fields without Nest's resolver of each (withPlainFieldReads), and keeps the written ones", () => {
    const schema = t.app.get(GraphQLSchemaHost).schema;
    const fields = (name: string) => (schema.getType(name) as GraphQLObjectType).getFields();
    expect(fields('PilotComparison').areaCode.resolve).toBeUndefined();
    expect(fields('Area').name.resolve).toBeUndefined();
    expect(fields('Area').indicators.resolve).toBeDefined();
    expect(fields('Query').comparePilots.resolve).toBeDefined();
  });
});
