import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { loadConfig, securityOptions, webSettings } from '../apps/server/src/config.js';
import { TEST_JWT_SECRET, type TestApp, startTestApp } from './support/test-app.js';

/** Abuse limits (4) and structured logs (6), against the real server on a real PostgreSQL. */

const A = 'E06000008';
const CENTRAL = { role: 'CENTRAL' as const, subject: 'central-sec', name: 'Central' };
const LEAK = /\bat [^\s]+ \(|\.(js|ts):\d+|node_modules|\bSELECT\b|\bINSERT\b|relation "|QueryFailedError/;

const post = (t: TestApp, body: string, headers: Record<string, string> = {}) =>
  fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

describe('4. abuse limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ tokenless: 'anonymous', security: { bodyLimitBytes: 16 * 1024 } });
    const res = await t.gql(
      'mutation { registerArea(input: { code: "E06000008", name: "Blackburn with Darwen", kind: PILOT, region: "North West" }) { code } }',
      {},
      t.as(CENTRAL),
    );
    expect(res.errors).toBeUndefined();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses a query nested deeper than the limit with QUERY_TOO_DEEP, before running anything', async () => {
    let sel = 'name';
    for (let i = 0; i < 8; i++) sel = `fields { type { ${sel} } }`;
    const res = await t.gql(`{ __schema { types { ${sel} } } }`, {}, t.as(CENTRAL));
    expect(res.data).toBeNull();
    expect(res.errors).toContainEqual(
      expect.objectContaining({
        message: 'The operation is nested 19 levels deep: at most 15 are allowed',
        extensions: { code: 'QUERY_TOO_DEEP' },
      }),
    );
    // the standard introspection query (GraphiQL's) fits
    const normal = await t.gql(
      '{ __schema { types { name fields { name type { name ofType { name } } } } } }',
      {},
      t.as(CENTRAL),
    );
    expect(normal.errors).toBeUndefined();
  });

  it('refuses an over-complex query with QUERY_TOO_COMPLEX, saying what to change', async () => {
    const fields = 'id title summary body themes actionIds indicatorCodes status publishedAt adoptionCount';
    const aliases = Array.from(
      { length: 25 },
      (_, i) => `l${i}: learningLibrary(first: 100) { nodes { ${fields} } }`,
    );
    const res = await t.gql(`{ ${aliases.join(' ')} }`);
    expect(res.errors?.[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect(res.errors?.[0].message).toMatch(
      /too complex: an estimated \d+ field resolutions, at most 20000 are allowed/,
    );
    const fine = await t.gql(`{ learningLibrary(first: 100) { nodes { ${fields} } } }`);
    expect(fine.errors).toBeUndefined();
  });

  it('refuses more than ten mutations in one request, writing nothing', async () => {
    const before = await t.eventCount();
    const many = Array.from(
      { length: 11 },
      (_, i) => `m${i}: registerPartner(input: { areaCode: "${A}", name: "P${i}", sector: POLICE }) { id }`,
    );
    const res = await t.gql(`mutation { ${many.join(' ')} }`, {}, t.as(CENTRAL));
    expect(res.errors?.[0]).toMatchObject({
      message: 'The operation has 11 mutations: at most 10 are allowed in one request',
      extensions: { code: 'QUERY_TOO_COMPLEX' },
    });
    expect(await t.eventCount()).toBe(before);
  });

  it('refuses a request body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await post(
      t,
      JSON.stringify({ query: '{ themes { code } }', variables: { pad: 'x'.repeat(20_000) } }),
    );
    expect(res.status).toBe(413);
    // refused before GraphQL reads it: a request error, with no data entry (GraphQL over HTTP)
    expect(await res.json()).toEqual({
      errors: [
        {
          message: 'The request body is too large: at most 16384 bytes are accepted',
          extensions: { code: 'PAYLOAD_TOO_LARGE' },
        },
      ],
    });
  });

  it('answers malformed requests with clean errors: no stack traces, no SQL', async () => {
    const cases: [string, number, string][] = [
      ['{"query": ', 400, 'BAD_REQUEST'],
      ['', 400, 'BAD_REQUEST'],
      [JSON.stringify({ query: '' }), 400, 'BAD_REQUEST'],
      // errors of the GraphQL document itself: 200 with errors, as GraphQL over HTTP answers application/json
      [JSON.stringify({ query: '{ areas { code } ' }), 200, 'GRAPHQL_PARSE_FAILED'],
      [JSON.stringify({ query: '{ nope }' }), 200, 'GRAPHQL_VALIDATION_FAILED'],
      [
        JSON.stringify({ query: 'query($c: String!) { area(code: $c) { code } }', variables: { c: 7 } }),
        200,
        'BAD_USER_INPUT',
      ],
      [
        JSON.stringify({ query: '{ learningLibrary(filter: { text: "a\\u0000b" }) { nodes { id } } }' }),
        200,
        'BAD_USER_INPUT',
      ],
      [
        JSON.stringify({
          query: 'query($t: String) { learningLibrary(filter: { text: $t }) { nodes { id } } }',
          variables: { t: 'a\u0000b' },
        }),
        // a refused variable value, like any other: 200 with application/json (400 with graphql-response+json)
        200,
        'BAD_USER_INPUT',
      ],
      [
        JSON.stringify({ query: '{ history(stream: "area-\'; DROP TABLE es_events; --") { type } }' }),
        200,
        'UNAUTHENTICATED',
      ],
    ];
    for (const [body, status, code] of cases) {
      const res = await post(t, body);
      const text = await res.text();
      expect([body, res.status]).toEqual([body, status]);
      const parsed = JSON.parse(text) as { errors: { extensions: { code: string } }[] };
      expect([body, parsed.errors[0].extensions.code]).toEqual([body, code]);
      expect(text).not.toMatch(LEAK);
    }
    const injection = await t.gql(
      '{ history(stream: "area-\'; DROP TABLE es_events; --") { type } }',
      {},
      t.as(CENTRAL),
    );
    expect(injection.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'stream' });
  });

  it('sends security headers', async () => {
    const res = await post(t, JSON.stringify({ query: '{ themes { code } }' }));
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'",
    );
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('allows cross-origin calls from the allow-list only', async () => {
    const preflight = (origin: string) =>
      fetch(`${t.url}/graphql`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
    const allowed = await preflight('https://allowed.example');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://allowed.example');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await post(t, JSON.stringify({ query: '{ themes { code } }' }), {
      origin: 'https://evil.example',
    });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves GraphiQL only when configured, with a policy that lets it load', async () => {
    expect((await fetch(`${t.url}/graphiql`)).status).toBe(404);
    const withIde = await startTestApp({ graphiql: true });
    try {
      const page = await fetch(`${withIde.url}/graphiql`);
      expect(page.status).toBe(200);
      // Its assets are served by the server itself (test/graphiql.e2e-spec.ts): no CDN in the policy.
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self';");
      expect(page.headers.get('content-security-policy')).not.toContain('unpkg');
      expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    } finally {
      await withIde.close();
    }
  });

  describe('with introspection off (as in production)', () => {
    let prod: TestApp;
    beforeAll(async () => {
      prod = await startTestApp({
        security: { queryLimits: { maxDepth: 15, maxComplexity: 20_000, introspection: false } },
      });
    });
    afterAll(async () => {
      await prod?.close();
    });

    it('refuses introspection but still answers queries', async () => {
      const res = await prod.gql('{ __schema { types { name } } }');
      expect(res.errors?.[0].message).toMatch(/introspection has been disabled/);
      expect(res.data).toBeNull();
      const typed = await prod.gql('{ themes { __typename code } }');
      expect(typed.errors).toBeUndefined();
    });
  });

  describe('rate limits', () => {
    let limited: TestApp;
    beforeAll(async () => {
      limited = await startTestApp({
        tokenless: 'anonymous',
        security: { rateLimit: { max: 5, windowMs: 60_000 } },
      });
    });
    afterAll(async () => {
      await limited?.close();
    });

    it('answers 429 RATE_LIMITED past the limit of one token, writing nothing; other tokens are counted apart', async () => {
      const pilot = limited.as({ role: 'PILOT', area: A, subject: 'busy-officer' });
      for (let i = 0; i < 5; i++)
        expect((await limited.gql('{ themes { code } }', {}, pilot)).status).toBe(200);
      const before = await limited.eventCount();
      const res = await post(
        limited,
        JSON.stringify({
          query:
            'mutation { registerArea(input: { code: "E09000030", name: "Tower Hamlets", kind: NON_PILOT, region: "London" }) { code } }',
        }),
        pilot,
      );
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0].extensions.code).toBe('RATE_LIMITED');
      expect(body.errors[0].message).toMatch(/Too many requests: at most 5 per window/);
      expect(await limited.eventCount()).toBe(before);
      // a new token of the same subject shares its budget; another subject has its own
      const sameSubject = await limited.gql(
        '{ themes { code } }',
        {},
        limited.as({ role: 'PILOT', area: A, subject: 'busy-officer' }),
      );
      expect(sameSubject.status).toBe(429);
      const other = await limited.gql(
        '{ themes { code } }',
        {},
        limited.as({ role: 'CENTRAL', subject: 'someone-else' }),
      );
      expect(other.status).toBe(200);
    });

    it('counts visitors without a token by address', async () => {
      let last = 0;
      for (let i = 0; i < 6; i++) last = (await limited.gql('{ themes { code } }')).status;
      expect(last).toBe(429);
    });
  });
});

describe('configuration', () => {
  it('turns GraphiQL and introspection off in production unless asked, and requires a real secret there', async () => {
    const prod = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) });
    expect(prod).toMatchObject({ graphiql: false, introspection: false, production: true });
    expect(
      loadConfig({ NODE_ENV: 'production', GRAPHIQL: 'true', GRAPHQL_INTROSPECTION: 'true' }),
    ).toMatchObject({
      graphiql: true,
      introspection: true,
    });
    expect(loadConfig({})).toMatchObject({
      graphiql: true,
      introspection: true,
      corsOrigins: [],
      rateLimitMax: 600,
      rateLimitWindowMs: 60_000,
      bodyLimitBytes: 1_048_576,
      queryMaxDepth: 15,
      queryMaxComplexity: 20_000,
    });
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example' }).corsOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
    expect(() => loadConfig({ RATE_LIMIT_MAX: 'lots' })).toThrow(/RATE_LIMIT_MAX/);
    expect(() => securityOptions(loadConfig({ NODE_ENV: 'production' }))).toThrow(/JWT_SECRET/);
    expect(() => securityOptions(loadConfig({ JWT_SECRET: 'short' }))).toThrow(/at least 32/);
    expect(
      securityOptions(loadConfig({ NODE_ENV: 'production', JWT_JWKS_URL: 'https://idp.example/jwks' }))
        .tokens,
    ).toEqual({
      secret: undefined,
      jwksUrl: 'https://idp.example/jwks',
      issuer: undefined,
      audience: undefined,
    });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'iap-config-'));
    try {
      const first = securityOptions(loadConfig({ DATA_DIR: dir })).tokens.secret;
      expect(first?.length).toBeGreaterThanOrEqual(32);
      expect(securityOptions(loadConfig({ DATA_DIR: dir })).tokens.secret).toBe(first);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('requires a session secret for the web pages in production, and offers demo sign-in only outside it', () => {
    const prodEnv = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) };
    const prod = loadConfig(prodEnv);
    expect(() => webSettings(prod, securityOptions(prod))).toThrow(/SESSION_SECRET/);
    const withSecret = loadConfig({ ...prodEnv, SESSION_SECRET: 's'.repeat(40) });
    expect(webSettings(withSecret, securityOptions(withSecret))).toMatchObject({
      production: true,
      demoSignIn: false,
      sessionIdleMinutes: 30,
      returnDueDays: 30,
    });
    expect(() => loadConfig({ SESSION_SECRET: 'short' })).toThrow(/SESSION_SECRET must be at least 32/);
    const dev = loadConfig({ JWT_SECRET: 'y'.repeat(40) });
    expect(webSettings(dev, securityOptions(dev))).toMatchObject({ demoSignIn: true, production: false });
    const oidc = loadConfig({
      JWT_SECRET: 'y'.repeat(40),
      OIDC_ISSUER_URL: 'https://idp.example',
      OIDC_CLIENT_ID: 'iap',
      PORT: '3000',
    });
    expect(webSettings(oidc, securityOptions(oidc))).toMatchObject({
      demoSignIn: false,
      oidc: { issuerUrl: 'https://idp.example', redirectUri: 'http://localhost:3000/sign-in/callback' },
    });
  });
});

describe('6. structured logs', () => {
  let t: TestApp;
  const lines: string[] = [];
  beforeAll(async () => {
    t = await startTestApp({
      tokenless: 'anonymous',
      logDestination: { write: (s: string) => void lines.push(s) },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('logs JSON lines with the request’s correlation id, which is also in its events, and never a token', async () => {
    const token = t.token(CENTRAL);
    const res = await post(
      t,
      JSON.stringify({
        query:
          'mutation { registerArea(input: { code: "E06000031", name: "Peterborough", kind: PILOT, region: "East of England" }) { code } }',
      }),
      { authorization: `Bearer ${token}`, 'x-correlation-id': 'log-test-1' },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('x-correlation-id')).toBe('log-test-1');
    const badToken = `${token.slice(0, -4)}AAAA`;
    await post(t, JSON.stringify({ query: '{ areas { code } }' }), {
      authorization: `Bearer ${badToken}`,
      'x-correlation-id': 'log-test-2',
    });
    await new Promise((r) => setTimeout(r, 100));

    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const mine = entries.filter((e) => e.correlationId === 'log-test-1');
    expect(mine.length).toBeGreaterThanOrEqual(2); // request received, response sent
    expect(mine).toContainEqual(
      expect.objectContaining({
        level: 'info',
        subject: 'central-sec',
        role: 'CENTRAL',
        res: expect.objectContaining({ statusCode: 200 }),
      }),
    );
    expect(entries.filter((e) => e.correlationId === 'log-test-2')).toContainEqual(
      expect.objectContaining({ res: expect.objectContaining({ statusCode: 401 }) }),
    );
    const all = lines.join('\n');
    expect(all).not.toContain(token);
    expect(all).not.toContain(badToken);
    expect(all).not.toContain(token.split('.')[2]);
    expect(all).not.toContain(TEST_JWT_SECRET);

    const c = new pg.Client({ connectionString: t.db.url });
    await c.connect();
    try {
      const { rows } = await c.query(`SELECT metadata FROM es_events WHERE stream_id = 'area-E06000031'`);
      expect(rows[0].metadata).toMatchObject({
        correlationId: 'log-test-1',
        actor: { subject: 'central-sec' },
      });
    } finally {
      await c.end();
    }
  });

  it('gives requests without a usable x-correlation-id one of their own', async () => {
    const res = await post(t, JSON.stringify({ query: '{ themes { code } }' }), {
      'x-correlation-id': 'bad id with spaces',
    });
    const id = res.headers.get('x-correlation-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await new Promise((r) => setTimeout(r, 50));
    expect(lines.some((l) => (JSON.parse(l) as { correlationId?: string }).correlationId === id)).toBe(true);
  });
});
