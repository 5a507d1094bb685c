import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { ProjectionRunner } from '@iap/projections';
import { ACTIVITY_TOPIC } from '../src/activity/graphql/activity.read.js';
import { GraphQLPublisher } from '../src/shared/graphql-publisher.js';
import { type TestApp, startTestApp } from './support/test-app.js';

describe('GraphQL subscriptions over graphql-ws', () => {
  let t: TestApp;
  let client: Client;
  beforeAll(async () => {
    t = await startTestApp();
    client = createClient({
      url: t.url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      lazy: true,
    });
  });
  afterAll(async () => {
    await client?.dispose();
    await t?.close();
  });

  it('delivers new activity for the chosen area, only after the feed can show it', async () => {
    const received: { type: string; areaCode: string; summary: string }[] = [];
    let visibleInFeed = false;
    const done = new Promise<void>((resolve, reject) => {
      const unsubscribe = client.subscribe<{
        activityAdded: { type: string; areaCode: string; summary: string; eventId: string };
      }>(
        { query: 'subscription { activityAdded(areaCode: "E06000031") { eventId type areaCode summary } }' },
        {
          next: async (msg) => {
            const a = msg.data!.activityAdded;
            received.push(a);
            // Published after the projection's commit: the query side already has it.
            const feed = await t.gql<{ activity: { nodes: { eventId: string }[] } }>(
              '{ activity(first: 5, areaCode: "E06000031") { nodes { eventId } } }',
            );
            visibleInFeed = feed.data!.activity.nodes.some((n) => n.eventId === a.eventId);
            unsubscribe();
            resolve();
          },
          error: reject,
          complete: () => undefined,
        },
      );
    });
    await new Promise((r) => setTimeout(r, 300)); // let the subscription start
    const other = await t.gql(
      'mutation { registerArea(input: { code: "E08000030", name: "Walsall", kind: PILOT, region: "West Midlands" }) { code } }',
    );
    expect(other.errors).toBeUndefined();
    const mine = await t.gql(
      'mutation { registerArea(input: { code: "E06000031", name: "Peterborough", kind: PILOT, region: "East of England" }) { code } }',
    );
    expect(mine.errors).toBeUndefined();
    await done;
    expect(received).toEqual([
      expect.objectContaining({
        type: 'AreaRegistered',
        areaCode: 'E06000031',
        summary: 'Area registered “Peterborough”',
      }),
    ]);
    expect(visibleInFeed).toBe(true);
  });

  it('listens to the activity projection only while someone subscribes to the feed', async () => {
    const publisher = t.app.get(GraphQLPublisher);
    const runner = t.app.get(ProjectionRunner);
    const listening = () =>
      (runner as unknown as { listeners: Map<unknown, ReadonlySet<string> | null> }).listeners.size;
    // The test before stopped its subscription: the server hears of it a moment later.
    for (let i = 0; i < 100 && publisher.subscribers(ACTIVITY_TOPIC) > 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(publisher.subscribers(ACTIVITY_TOPIC)).toBe(0);
    const idle = listening();
    let stop: () => void = () => undefined;
    const started = new Promise<void>((resolve, reject) => {
      stop = client.subscribe(
        { query: 'subscription { activityAdded { eventId } }' },
        { next: () => undefined, error: reject, complete: () => undefined },
      );
      const poll = setInterval(() => {
        if (publisher.subscribers(ACTIVITY_TOPIC) === 1) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    await started;
    expect(listening()).toBe(idle + 1);
    stop();
    for (let i = 0; i < 100 && publisher.subscribers(ACTIVITY_TOPIC) > 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(publisher.subscribers(ACTIVITY_TOPIC)).toBe(0);
    expect(listening()).toBe(idle);

    // A client that goes away without stopping its subscription (its connection closes) is counted out too.
    const leaving = createClient({ url: t.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket });
    leaving.subscribe(
      { query: 'subscription { activityAdded { eventId } }' },
      { next: () => undefined, error: () => undefined, complete: () => undefined },
    );
    for (let i = 0; i < 100 && publisher.subscribers(ACTIVITY_TOPIC) === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(publisher.subscribers(ACTIVITY_TOPIC)).toBe(1);
    await leaving.dispose();
    for (let i = 0; i < 100 && publisher.subscribers(ACTIVITY_TOPIC) > 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(publisher.subscribers(ACTIVITY_TOPIC)).toBe(0);
    expect(listening()).toBe(idle);
  });

  it('delivers newly published learning for a theme once the library shows it', async () => {
    const got = new Promise<{ id: string; title: string; inLibrary: boolean }>((resolve, reject) => {
      const unsubscribe = client.subscribe<{ learningPublished: { id: string; title: string } }>(
        { query: 'subscription { learningPublished(theme: "ENGLISH_LANGUAGE") { id title themes } }' },
        {
          next: async (msg) => {
            const item = msg.data!.learningPublished;
            const lib = await t.gql<{ learningLibrary: { nodes: { id: string }[] } }>(
              '{ learningLibrary(first: 20) { nodes { id } } }',
            );
            unsubscribe();
            resolve({ ...item, inLibrary: lib.data!.learningLibrary.nodes.some((n) => n.id === item.id) });
          },
          error: reject,
          complete: () => undefined,
        },
      );
    });
    await new Promise((r) => setTimeout(r, 300));
    const draft = async (title: string, themes: string[]) => {
      const res = await t.gql<{ draftLearning: { id: string } }>(
        'mutation($i: DraftLearningInput!) { draftLearning(input: $i) { id } }',
        {
          i: {
            areaCode: 'E06000031',
            type: 'CASE_STUDY',
            title,
            summary: 'What we learned (illustrative)',
            body: 'Body text',
            themes,
          },
        },
      );
      expect(res.errors).toBeUndefined();
      const id = res.data!.draftLearning.id;
      const pub = await t.gql('mutation($i: PublishLearningInput!) { publishLearning(input: $i) { id } }', {
        i: { id },
      });
      expect(pub.errors).toBeUndefined();
      return id;
    };
    await draft('Community spaces', ['PLACES_AND_COMMUNITY']); // another theme: not delivered
    const esol = await draft('Conversation clubs for ESOL learners', ['ENGLISH_LANGUAGE']);
    const item = await got;
    expect(item).toMatchObject({ id: esol, title: 'Conversation clubs for ESOL learners', inLibrary: true });
  });
});
