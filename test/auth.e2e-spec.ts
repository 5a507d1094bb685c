import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { createClient } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import { operationPolicies } from '@iap/auth';
import { tokenIssue } from '../apps/cli/src/token-command.js';
import { TEST_JWT_SECRET, type TestApp, startTestApp } from './support/test-app.js';
import { step } from './support/steps.js';
import { succeeds } from './support/graphql.js';

/**
 * Roles (1), authentication (2), the actor in every event (3) and the audit trail (5), over HTTP and WebSocket
 * against the real server and a real PostgreSQL. The full role × operation matrix is in auth-matrix.e2e-spec.ts.
 */
const A = 'E06000008';
const B = 'E08000032';
const C = 'E06000016';

const PILOT_A = { role: 'PILOT' as const, area: A, subject: 'officer-a', name: 'Officer A' };
const PILOT_B = { role: 'PILOT' as const, area: B, subject: 'officer-b', name: 'Officer B' };
const COUNCIL_C = { role: 'COUNCIL' as const, area: C, subject: 'leicester-1', name: 'Leicester officer' };
const CENTRAL = { role: 'CENTRAL' as const, subject: 'central-1', name: 'Central Team' };

describe('roles, tokens, actors and audit', () => {
  let t: TestApp;
  let partnerA: string;
  let draftId: string;
  let publishedId: string;

  async function sql<R = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<R[]> {
    const c = new pg.Client({ connectionString: t.db.url });
    await c.connect();
    try {
      return (await c.query(text, params)).rows as R[];
    } finally {
      await c.end();
    }
  }

  const ok = <T>(query: string, variables: Record<string, unknown>, headers: Record<string, string>) =>
    succeeds<T>(t, query, variables, headers);

  beforeAll(async () => {
    t = await startTestApp({ tokenless: 'anonymous' });
    const central = t.as(CENTRAL);
    const reg = 'mutation($i: RegisterAreaInput!) { registerArea(input: $i) { code } }';
    await ok(
      reg,
      { i: { code: A, name: 'Blackburn with Darwen', kind: 'PILOT', region: 'North West' } },
      central,
    );
    await ok(
      reg,
      { i: { code: B, name: 'Bradford', kind: 'PILOT', region: 'Yorkshire and The Humber' } },
      central,
    );
    await ok(reg, { i: { code: C, name: 'Leicester', kind: 'NON_PILOT', region: 'East Midlands' } }, central);
    const p = await ok<{ registerPartner: { id: string } }>(
      'mutation($i: RegisterPartnerInput!) { registerPartner(input: $i) { id } }',
      { i: { areaCode: A, name: 'Blackburn with Darwen Council', sector: 'COUNCIL' } },
      t.as(PILOT_A),
    );
    partnerA = p.registerPartner.id;
    const draft = (title: string) =>
      ok<{ draftLearning: { id: string } }>(
        'mutation($i: DraftLearningInput!) { draftLearning(input: $i) { id } }',
        {
          i: {
            areaCode: A,
            type: 'CASE_STUDY',
            title,
            summary: 'Pupils from different schools met.',
            body: 'Twelve schools were linked.',
            themes: ['EDUCATION_AND_YOUNG_PEOPLE'],
          },
        },
        t.as(PILOT_A),
      );
    draftId = (await draft('Still a draft')).draftLearning.id;
    publishedId = (await draft('Schools linking')).draftLearning.id;
    await ok(
      'mutation($i: PublishLearningInput!) { publishLearning(input: $i) { id } }',
      { i: { id: publishedId } },
      t.as(PILOT_A),
    );
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  // ------------------------------------------------------------------------------------------- 1. roles

  describe('1. roles', () => {
    const ITEM = 'query($id: ID!) { learningItem(id: $id) { id title status } }';

    it('shows a draft to pilots and the central team, and to other councils and visitors as nothing', async () => {
      for (const who of [t.as(PILOT_A), t.as(PILOT_B), t.as(CENTRAL)]) {
        const res = await ok<{ learningItem: { status: string } }>(ITEM, { id: draftId }, who);
        expect(res.learningItem.status).toBe('DRAFT');
      }
      for (const who of [t.as(COUNCIL_C), {}]) {
        const res = await ok<{ learningItem: unknown }>(ITEM, { id: draftId }, who);
        expect(res.learningItem).toBeNull();
        const published = await ok<{ learningItem: { title: string } }>(ITEM, { id: publishedId }, who);
        expect(published.learningItem.title).toBe('Schools linking');
      }
    });

    it('lets anonymous visitors read the library and the Atom feed, and nothing about the pilots', async () => {
      const library = await ok<{ learningLibrary: { nodes: { id: string }[] } }>(
        '{ learningLibrary { nodes { id title adoptions { adoptingAreaCode } } } }',
        {},
        {},
      );
      expect(library.learningLibrary.nodes.map((n) => n.id)).toEqual([publishedId]);
      const feed = await fetch(`${t.url}/feeds/learning.atom`);
      expect(feed.status).toBe(200);
      expect(await feed.text()).toContain('Schools linking');
      for (const query of [
        '{ areas { code } }',
        '{ activity { nodes { type } } }',
        '{ indicatorCatalogue { code } }',
      ]) {
        const res = await t.gql(query);
        expect(res.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
        expect(res.data).toBeNull();
      }
    });

    it('lets a council record adoption for itself only', async () => {
      const ADOPT = 'mutation($i: AdoptLearningInput!) { adoptLearning(input: $i) { adoptionCount } }';
      const before = await t.eventCount();
      const forOther = await t.gql(
        ADOPT,
        { i: { id: publishedId, adoptingAreaCode: B, note: 'x' } },
        t.as(COUNCIL_C),
      );
      expect(forOther.errors?.[0].extensions.code).toBe('FORBIDDEN');
      expect(await t.eventCount()).toBe(before);
      const own = await ok<{ adoptLearning: { adoptionCount: number } }>(
        ADOPT,
        { i: { id: publishedId, adoptingAreaCode: C, note: 'Running it in our schools' } },
        t.as(COUNCIL_C),
      );
      expect(own.adoptLearning.adoptionCount).toBe(1);
    });

    it('refuses a pilot writing into another pilot’s record, writing nothing', async () => {
      const before = await t.eventCount();
      const res = await t.gql(
        'mutation($i: RegisterPartnerInput!) { registerPartner(input: $i) { id } }',
        { i: { areaCode: A, name: 'Intruder', sector: 'BUSINESS' } },
        t.as(PILOT_B),
      );
      expect(res.errors?.[0]).toMatchObject({
        message: `You act for ${B}: you may not change ${A}'s partners`,
        extensions: { code: 'FORBIDDEN' },
      });
      const revise = await t.gql(
        'mutation($i: ReviseLearningInput!) { reviseLearning(input: $i) { id } }',
        { i: { id: publishedId, title: 'Hijacked' } },
        t.as(PILOT_B),
      );
      expect(revise.errors?.[0].extensions.code).toBe('FORBIDDEN');
      expect(await t.eventCount()).toBe(before);
    });

    it('hides the notes on pilots’ returns from councils reading the programme comparison', async () => {
      await ok(
        'mutation($i: SubmitReturnInput!) { submitReturn(input: $i) { status } }',
        { i: { areaCode: A, quarter: '2019-20 Q1', note: 'Our frank note' } },
        t.as(PILOT_A),
      );
      await ok(
        'mutation($i: SendBackReturnInput!) { sendBackReturn(input: $i) { status } }',
        { i: { areaCode: A, quarter: '2019-20 Q1', comments: 'Spend is missing' } },
        t.as(CENTRAL),
      );
      const COMPARE =
        '{ comparePilots(year: "2019-20") { areaCode returns { quarter status note comments } } }';
      type Compare = {
        comparePilots: {
          areaCode: string;
          returns: { quarter: string; status: string; note: string | null; comments: string | null }[];
        }[];
      };
      const q1 = (data: Compare) =>
        data.comparePilots.find((p) => p.areaCode === A)!.returns.find((r) => r.quarter === '2019-20 Q1');
      expect(q1(await ok<Compare>(COMPARE, {}, t.as(PILOT_B)))).toEqual({
        quarter: '2019-20 Q1',
        status: 'SENT_BACK',
        note: 'Our frank note',
        comments: 'Spend is missing',
      });
      expect(q1(await ok<Compare>(COMPARE, {}, t.as(COUNCIL_C)))).toEqual({
        quarter: '2019-20 Q1',
        status: 'SENT_BACK',
        note: null,
        comments: null,
      });
    });

    it('gives every root operation of the running server a policy', () => {
      const ops = operationPolicies(t.app.get(DiscoveryService), t.app.get(MetadataScanner));
      expect(ops.length).toBeGreaterThanOrEqual(55);
      expect(ops.filter((o) => !o.rule).map((o) => o.operation)).toEqual([]);
    });

    describe('subscriptions', () => {
      const clients: ReturnType<typeof createClient>[] = [];
      afterAll(async () => {
        await Promise.all(clients.map((c) => c.dispose()));
      });

      function client(token?: string) {
        const c = createClient({
          url: t.url.replace('http', 'ws') + '/graphql',
          webSocketImpl: WebSocket,
          lazy: true,
          retryAttempts: 0,
          connectionParams: token ? { authorization: `Bearer ${token}` } : undefined,
        });
        clients.push(c);
        return c;
      }

      /** The first message or error of a subscription (resolves with whichever comes first). */
      function first(
        c: ReturnType<typeof createClient>,
        query: string,
      ): Promise<{ data?: unknown; error?: unknown }> {
        return new Promise((resolve) => {
          const stop = c.subscribe(
            { query },
            {
              next: (msg) => {
                stop();
                resolve(msg.errors ? { error: msg.errors } : { data: msg.data });
              },
              error: (error) => resolve({ error }),
              complete: () => undefined,
            },
          );
        });
      }

      it('refuses the activity feed to councils and visitors', async () => {
        const council = await first(client(t.token(COUNCIL_C)), 'subscription { activityAdded { type } }');
        expect(JSON.stringify(council.error)).toContain('FORBIDDEN');
        const visitor = await first(client(), 'subscription { activityAdded { type } }');
        expect(JSON.stringify(visitor.error)).toContain('UNAUTHENTICATED');
      });

      it('refuses a connection with an invalid token', async () => {
        const bad = await first(client('not-a-token'), 'subscription { learningPublished { id } }');
        expect(bad.error).toBeDefined();
      });

      it('streams activity to a pilot, and published learning to anyone', async () => {
        const activity = first(
          client(t.token(PILOT_B)),
          `subscription { activityAdded(areaCode: "${A}") { type actorSubject } }`,
        );
        const learning = first(client(), 'subscription { learningPublished { title } }');
        await new Promise((r) => setTimeout(r, 300));
        const id = (
          await ok<{ draftLearning: { id: string } }>(
            'mutation($i: DraftLearningInput!) { draftLearning(input: $i) { id } }',
            {
              i: {
                areaCode: A,
                type: 'TOOLKIT',
                title: 'Welcome packs',
                summary: 'How to welcome new arrivals.',
                body: 'A pack.',
                themes: ['MIGRANTS_AND_RESIDENTS'],
              },
            },
            t.as(PILOT_A),
          )
        ).draftLearning.id;
        await ok(
          'mutation($i: PublishLearningInput!) { publishLearning(input: $i) { id } }',
          { i: { id } },
          t.as(PILOT_A),
        );
        expect(await activity).toEqual({
          data: { activityAdded: { type: 'LearningDrafted', actorSubject: 'officer-a' } },
        });
        expect(await learning).toEqual({ data: { learningPublished: { title: 'Welcome packs' } } });
      });
    });
  });

  // ---------------------------------------------------------------------------------- 2. authentication

  describe('2. authentication', () => {
    const AREAS = '{ areas { code } }';

    it.each([
      ['expired', () => t.token({ role: 'CENTRAL', expiresIn: -60 }), /expired/],
      ['malformed', () => 'eyJhbGciOiJIUzI1NiJ9.not-json.sig', /malformed|signature/],
      ['not a JWT at all', () => 'hello', /not a JSON Web Token/],
      [
        'wrongly signed',
        () =>
          new JwtService({}).sign(
            { sub: 'x', role: 'CENTRAL' },
            { secret: 'some-other-secret-of-enough-length-00000000', expiresIn: 60 },
          ),
        /signature/,
      ],
      [
        'role-less',
        () =>
          new JwtService({}).sign({ sub: 'x', name: 'No role' }, { secret: TEST_JWT_SECRET, expiresIn: 60 }),
        /no role/,
      ],
      [
        'a pilot token without an area',
        () =>
          new JwtService({}).sign({ sub: 'x', role: 'PILOT' }, { secret: TEST_JWT_SECRET, expiresIn: 60 }),
        /area code/,
      ],
      [
        'an unknown role',
        () =>
          new JwtService({}).sign({ sub: 'x', role: 'ADMIN' }, { secret: TEST_JWT_SECRET, expiresIn: 60 }),
        /CENTRAL, PILOT or COUNCIL/,
      ],
    ])(
      'answers a token that is %s with 401 UNAUTHENTICATED, writing nothing',
      async (_label, token, message) => {
        const before = await t.eventCount();
        for (const query of [
          AREAS,
          'mutation { registerArea(input: { code: "E09000030", name: "Tower Hamlets", kind: NON_PILOT, region: "London" }) { code } }',
        ]) {
          const res = await t.gql(query, {}, { authorization: `Bearer ${token()}` });
          expect(res.status).toBe(401);
          expect(res.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
          expect(res.errors?.[0].message).toMatch(message);
        }
        expect(await t.eventCount()).toBe(before);
      },
    );

    it('accepts a valid token and a valid token only in the Bearer scheme', async () => {
      expect((await t.gql(AREAS, {}, t.as(CENTRAL))).errors).toBeUndefined();
      const basic = await t.gql(AREAS, {}, { authorization: 'Basic dXNlcjpwYXNz' });
      expect(basic.status).toBe(401);
    });

    it('issues tokens from the CLI (token:issue) that the server accepts', async () => {
      const out: string[] = [];
      const err: string[] = [];
      const stdout = jest
        .spyOn(process.stdout, 'write')
        .mockImplementation((s) => (out.push(String(s)), true));
      const stderr = jest
        .spyOn(process.stderr, 'write')
        .mockImplementation((s) => (err.push(String(s)), true));
      let code: number;
      let usage: number;
      let noArea: number;
      let jwksOnly: number;
      try {
        code = await tokenIssue(['--role', 'PILOT', '--area', A, '--name', 'Jo Bloggs', '--expires', '30d'], {
          JWT_SECRET: TEST_JWT_SECRET,
        });
        usage = await tokenIssue(['--area', A], { JWT_SECRET: TEST_JWT_SECRET });
        noArea = await tokenIssue(['--role', 'COUNCIL'], { JWT_SECRET: TEST_JWT_SECRET });
        jwksOnly = await tokenIssue(['--role', 'CENTRAL'], { JWT_JWKS_URL: 'https://idp.example/jwks' });
      } finally {
        stdout.mockRestore();
        stderr.mockRestore();
      }
      expect([code, usage, noArea, jwksOnly]).toEqual([0, 2, 2, 1]);
      const token = out[0].trim();
      const claims = new JwtService({}).decode(token) as Record<string, unknown>;
      expect(claims).toMatchObject({ sub: 'jo-bloggs', role: 'PILOT', area: A, name: 'Jo Bloggs' });
      expect((claims.exp as number) - (claims.iat as number)).toBe(30 * 86_400);
      const res = await t.gql<{ areas: unknown[] }>(AREAS, {}, { authorization: `Bearer ${token}` });
      expect(res.errors).toBeUndefined();
      expect(err.join('')).toMatch(/--role is required/);
    });

    it('without a configured secret, keeps one generated secret in the data directory (zero-setup start)', async () => {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'iap-token-'));
      const out: string[] = [];
      const stdout = jest
        .spyOn(process.stdout, 'write')
        .mockImplementation((s) => (out.push(String(s)), true));
      const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      try {
        expect(await tokenIssue(['--role', 'CENTRAL'], { DATA_DIR: dataDir })).toBe(0);
        expect(await tokenIssue(['--role', 'CENTRAL'], { DATA_DIR: dataDir })).toBe(0);
        expect(await tokenIssue(['--role', 'CENTRAL'], { DATA_DIR: dataDir, NODE_ENV: 'production' })).toBe(
          1,
        );
      } finally {
        stdout.mockRestore();
        stderr.mockRestore();
      }
      const file = path.join(dataDir, 'jwt-secret');
      const secret = (await readFile(file, 'utf8')).trim();
      expect(secret.length).toBeGreaterThanOrEqual(32);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      for (const line of out)
        await expect(new JwtService({}).verifyAsync(line.trim(), { secret })).resolves.toBeTruthy();
      await rm(dataDir, { recursive: true, force: true });
    });

    describe('RS256 tokens from an identity provider (JWKS)', () => {
      let idp: http.Server;
      let rs: TestApp;
      const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const rogue = generateKeyPairSync('rsa', { modulusLength: 2048 });
      let jwksRequests = 0;

      const sign = (privateKey: typeof key.privateKey, claims: Record<string, unknown>, kid = 'idp-key-1') =>
        new JwtService({}).sign(claims, {
          privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }),
          algorithm: 'RS256',
          keyid: kid,
          expiresIn: 600,
          issuer: 'https://idp.example',
          audience: 'iap',
        });

      beforeAll(async () => {
        idp = http.createServer((_req, res) => {
          jwksRequests++;
          const jwk = key.publicKey.export({ format: 'jwk' });
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ keys: [{ ...jwk, kid: 'idp-key-1', use: 'sig', alg: 'RS256' }] }));
        });
        await new Promise<void>((r) => idp.listen(0, '127.0.0.1', r));
        const port = (idp.address() as AddressInfo).port;
        rs = await startTestApp({
          tokenless: 'anonymous',
          security: {
            tokens: {
              jwksUrl: `http://127.0.0.1:${port}/jwks.json`,
              issuer: 'https://idp.example',
              audience: 'iap',
            },
          },
        });
      });
      afterAll(async () => {
        await rs?.close();
        await new Promise((r) => idp?.close(r));
      });

      it('accepts the provider’s tokens, with the actor they describe', async () => {
        const token = sign(key.privateKey, {
          sub: 'idp|42',
          role: 'PILOT',
          area: A,
          name: 'Pat from the IdP',
        });
        const res = await rs.gql('{ areas { code } }', {}, { authorization: `Bearer ${token}` });
        expect(res.errors).toBeUndefined();
        const council = sign(key.privateKey, { sub: 'idp|43', role: 'COUNCIL', area: C });
        const refused = await rs.gql('{ areas { code } }', {}, { authorization: `Bearer ${council}` });
        expect(refused.errors?.[0].extensions.code).toBe('FORBIDDEN');
      });

      it.each([
        [
          'signed with another key under the same key id',
          () => sign(rogue.privateKey, { sub: 'x', role: 'CENTRAL' }),
          /signature/,
        ],
        [
          'signed with a key the provider does not publish',
          () => sign(rogue.privateKey, { sub: 'x', role: 'CENTRAL' }, 'other'),
          /does not publish/,
        ],
        [
          'HS256, when only the provider is trusted',
          () => rs.token({ role: 'CENTRAL' }),
          /HS256 is not accepted/,
        ],
        [
          'for another audience',
          () =>
            new JwtService({}).sign(
              { sub: 'x', role: 'CENTRAL' },
              {
                privateKey: key.privateKey.export({ type: 'pkcs8', format: 'pem' }),
                algorithm: 'RS256',
                keyid: 'idp-key-1',
                expiresIn: 600,
                issuer: 'https://idp.example',
                audience: 'another-app',
              },
            ),
          /audience/,
        ],
        ['role-less', () => sign(key.privateKey, { sub: 'x' }), /no role/],
      ])('refuses a token %s', async (_label, token, message) => {
        const res = await rs.gql('{ areas { code } }', {}, { authorization: `Bearer ${token()}` });
        expect(res.status).toBe(401);
        expect(res.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
        expect(res.errors?.[0].message).toMatch(message);
      });

      it('caches the key set rather than fetching it per request', () => {
        expect(jwksRequests).toBeLessThanOrEqual(2);
      });
    });
  });

  // ------------------------------------------------------------------------ 3. the actor in every event

  /** Officer A plans an action (with a correlation id): the audit lists it among what officer A did. */
  const actionPlanned = step(async () => {
    const res = await t.gql<{ planAction: { id: string } }>(
      'mutation($i: PlanActionInput!) { planAction(input: $i) { id } }',
      {
        i: {
          areaCode: A,
          title: 'Workplace mixing',
          themes: ['ECONOMIC_OPPORTUNITY'],
          leadPartnerId: partnerA,
          plannedStart: '2019-09-01',
          plannedEnd: '2020-07-31',
        },
      },
      { ...t.as(PILOT_A), 'x-correlation-id': 'req-auth-3' },
    );
    expect(res.errors).toBeUndefined();
    return res.data!.planAction.id;
  });

  describe('3. who did it, in every event', () => {
    it('writes subject, name, role, area and the correlation id into the events of a command', async () => {
      const actionId = await actionPlanned();
      const [event] = await sql<{ metadata: Record<string, unknown> }>(
        'SELECT metadata FROM es_events WHERE stream_id = $1',
        [`action-${actionId}`],
      );
      expect(event.metadata).toMatchObject({
        actor: { subject: 'officer-a', name: 'Officer A', role: 'PILOT', area: A },
        correlationId: 'req-auth-3',
      });
    });
  });

  // ------------------------------------------------------------------------------------------- 5. audit

  describe('5. audit: who did what', () => {
    it('shows the actor in an aggregate’s history and in the activity feed', async () => {
      const history = await ok<{
        history: { type: string; actorSubject: string; actorName: string; actorRole: string }[];
      }>(`{ history(stream: "area-${A}") { type actorSubject actorName actorRole } }`, {}, t.as(CENTRAL));
      expect(history.history).toEqual([
        {
          type: 'AreaRegistered',
          actorSubject: 'central-1',
          actorName: 'Central Team',
          actorRole: 'CENTRAL',
        },
        { type: 'PartnerRegistered', actorSubject: 'officer-a', actorName: 'Officer A', actorRole: 'PILOT' },
      ]);
      // The activity feed follows the mutations' own read models on its own.
      expect(await t.settle()).toBe(true);
      const feed = await ok<{
        activity: { nodes: { type: string; actorSubject: string; actorRole: string }[] };
      }>(
        `{ activity(areaCode: "${A}", first: 100) { nodes { type actorSubject actorRole } } }`,
        {},
        t.as(PILOT_B),
      );
      expect(feed.activity.nodes).toContainEqual({
        type: 'PartnerRegistered',
        actorSubject: 'officer-a',
        actorRole: 'PILOT',
      });
      expect(feed.activity.nodes).toContainEqual({
        type: 'AreaRegistered',
        actorSubject: 'central-1',
        actorRole: 'CENTRAL',
      });
    });

    const ACTOR = `query($s: String!, $from: DateTime!, $to: DateTime!, $first: Int, $after: String) {
      actorActivity(subject: $s, from: $from, to: $to, first: $first, after: $after) {
        nodes { type actorSubject areaCode recordedAt } pageInfo { hasNextPage endCursor } } }`;

    it('lists everything one subject did in a date range, newest first, page by page (central team only)', async () => {
      await actionPlanned();
      const from = new Date(Date.now() - 3_600_000).toISOString();
      const to = new Date(Date.now() + 3_600_000).toISOString();
      const all = await ok<{ actorActivity: { nodes: { type: string; actorSubject: string }[] } }>(
        ACTOR,
        { s: 'officer-a', from, to, first: 100 },
        t.as(CENTRAL),
      );
      const types = all.actorActivity.nodes.map((n) => n.type);
      expect(types).toEqual(
        expect.arrayContaining([
          'PartnerRegistered',
          'LearningDrafted',
          'LearningPublished',
          'ActionPlanned',
        ]),
      );
      expect(types).not.toContain('AreaRegistered'); // the central team did that
      expect(new Set(all.actorActivity.nodes.map((n) => n.actorSubject))).toEqual(new Set(['officer-a']));
      const [{ n }] = await sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM es_events WHERE metadata->'actor'->>'subject' = 'officer-a'`,
      );
      expect(types).toHaveLength(n);

      const page1 = await ok<{
        actorActivity: { nodes: { type: string }[]; pageInfo: { endCursor: string } };
      }>(ACTOR, { s: 'officer-a', from, to, first: 2 }, t.as(CENTRAL));
      const page2 = await ok<{ actorActivity: { nodes: { type: string }[] } }>(
        ACTOR,
        { s: 'officer-a', from, to, first: 100, after: page1.actorActivity.pageInfo.endCursor },
        t.as(CENTRAL),
      );
      expect([...page1.actorActivity.nodes, ...page2.actorActivity.nodes].map((x) => x.type)).toEqual(types);

      const later = await ok<{ actorActivity: { nodes: unknown[] } }>(
        ACTOR,
        { s: 'officer-a', from: to, to: new Date(Date.now() + 7_200_000).toISOString() },
        t.as(CENTRAL),
      );
      expect(later.actorActivity.nodes).toEqual([]);
      const backwards = await t.gql(ACTOR, { s: 'officer-a', from: to, to: from }, t.as(CENTRAL));
      expect(backwards.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
      const byPilot = await t.gql(ACTOR, { s: 'officer-a', from, to }, t.as(PILOT_A));
      expect(byPilot.errors?.[0].extensions.code).toBe('FORBIDDEN');
    });
  });
});
