import { randomUUID } from 'node:crypto';
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { issueToken } from '@iap/auth';
import { createTestDatabase, freePort, type TestDatabase } from '@iap/database';
import { buildServer, startServer, type ServerProcess } from './support/built-server.js';

/** One span as an OTLP/HTTP JSON request carries it, with its attributes and its resource's read out. */
interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  readonly scope: string;
  readonly attributes: Record<string, unknown>;
  readonly resource: Record<string, unknown>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: OtlpValue[] };
}
type OtlpAttributes = { key: string; value: OtlpValue }[] | undefined;
interface OtlpTraces {
  resourceSpans: {
    resource: { attributes?: OtlpAttributes };
    scopeSpans: {
      scope: { name: string };
      spans: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        attributes?: OtlpAttributes;
      }[];
    }[];
  }[];
}

function valueOf(v: OtlpValue): unknown {
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(valueOf);
  if (v.intValue !== undefined) return Number(v.intValue);
  return v.stringValue ?? v.doubleValue ?? v.boolValue;
}

function attributesOf(list: OtlpAttributes): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((a) => [a.key, valueOf(a.value)]));
}

/** A tiny OTLP/HTTP receiver: accepts JSON on POST /v1/traces and keeps every span. */
class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly contentTypes: string[] = [];
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      this.contentTypes.push(String(req.headers['content-type']));
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpTraces;
      for (const rs of body.resourceSpans) {
        const resource = attributesOf(rs.resource.attributes);
        for (const ss of rs.scopeSpans)
          for (const s of ss.spans)
            this.spans.push({
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId ?? '',
              name: s.name,
              scope: ss.scope.name,
              attributes: attributesOf(s.attributes),
              resource,
            });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Records, in a file, every module of @opentelemetry/* the process resolves (an ES module loader hook, given
 * with `--import` before the tracing entry): proof of what tracing loads, or does not.
 */
async function importRecorder(dir: string): Promise<{ args: string[]; loaded(): Promise<string[]> }> {
  const file = path.join(dir, 'resolved.txt');
  await writeFile(file, '');
  await writeFile(
    path.join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
let file;
export function initialize(data) { file = data.file; }
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (resolved.url.includes('/node_modules/@opentelemetry/')) appendFileSync(file, resolved.url + '\\n');
  return resolved;
}
`,
  );
  await writeFile(
    path.join(dir, 'record.mjs'),
    `import { register } from 'node:module';
register(${JSON.stringify(new URL(`file://${path.join(dir, 'hooks.mjs')}`).href)}, { data: { file: ${JSON.stringify(file)} } });
`,
  );
  return {
    args: ['--import', path.join(dir, 'record.mjs')],
    loaded: async () => (await readFile(file, 'utf8')).split('\n').filter(Boolean),
  };
}

/** A span of a PostgreSQL statement or connection (the pg instrumentation's). */
const isDatabaseSpan = (s: ReceivedSpan) => s.scope === '@opentelemetry/instrumentation-pg';

async function waitFor<T>(what: string, probe: () => T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Tracing as an operator switches it on: the built server started as `npm start` starts it (`node --import` of
 * the tracing entry), exporting to an OTLP/HTTP receiver in this process.
 */
describe('OpenTelemetry tracing (OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  let build: Awaited<ReturnType<typeof buildServer>>;
  let tracingEntry: string;
  let db: TestDatabase;
  let dir: string;
  let server: ServerProcess | undefined;
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_FORMAT: 'json' };
  delete env.EVENTSTORE_CONNECTION_STRING;
  for (const name of Object.keys(env)) if (name.startsWith('OTEL_')) delete env[name];
  env.JWT_SECRET = 'tracing-test-secret-long-enough-for-hs256-01';
  const authorization = `Bearer ${issueToken(env.JWT_SECRET, { sub: 'tracing-test', role: 'CENTRAL' }, { expiresInSeconds: 3600 })}`;

  beforeAll(async () => {
    build = await buildServer();
    tracingEntry = path.join(build.dir, 'apps', 'server', 'src', 'tracing.js');
    db = await createTestDatabase('iap_tracing');
    dir = await mkdtemp(path.join(os.tmpdir(), 'iap-tracing-'));
  }, 180_000);

  // Each test's server stops when the test ends, whether it passed or not.
  afterEach(async () => {
    if (server) await stop(server);
  });

  afterAll(async () => {
    await db?.drop();
    await build?.remove();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function stop(s: ServerProcess): Promise<void> {
    server = undefined;
    if (s.child.exitCode !== null || s.child.signalCode !== null) return;
    const exited = new Promise((r) => s.child.once('exit', r));
    s.child.kill('SIGTERM');
    await exited;
  }

  async function registerArea(url: string, code: string, correlationId: string): Promise<unknown> {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization, 'x-correlation-id': correlationId },
      body: JSON.stringify({
        query: 'mutation RegisterTracedArea($i: RegisterAreaInput!) { registerArea(input: $i) { code } }',
        variables: { i: { code, name: `Council ${code}`, kind: 'NON_PILOT', region: 'South East' } },
      }),
    });
    expect(res.headers.get('x-correlation-id')).toBe(correlationId);
    return res.json();
  }

  it('exports the spans of a mutation, each with its correlation id, and of the projection batches it causes', async () => {
    const receiver = new OtlpReceiver();
    const endpoint = await receiver.listen();
    const recorder = await importRecorder(await mkdtemp(path.join(dir, 'on-')));
    try {
      server = await startServer(
        build.main,
        {
          ...env,
          DATABASE_URL: db.url,
          OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
          OTEL_BSP_SCHEDULE_DELAY: '100',
          OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=e2e',
        },
        await freePort(),
        [...recorder.args, '--import', tracingEntry],
      );
      const correlationId = `trace-test-${randomUUID()}`;
      expect(await registerArea(server.url, 'E07000901', correlationId)).toEqual({
        data: { registerArea: { code: 'E07000901' } },
      });

      // The request's own span (the HTTP server span, named after its route) carries the correlation id ...
      const request = await waitFor('the request span', () =>
        receiver.spans.find(
          (s) => s.name === 'POST /graphql' && s.attributes['iap.correlation_id'] === correlationId,
        ),
      );
      expect(request.parentSpanId).toBe('');
      expect(request.attributes['http.route']).toBe('/graphql');
      expect(request.resource['service.name']).toBe('iap');
      expect(request.resource['deployment.environment.name']).toBe('e2e');
      // ... and so does every span under it: the GraphQL operation, the event append and the queries.
      const inTrace = () => receiver.spans.filter((s) => s.traceId === request.traceId);
      await waitFor('the append and its queries', () =>
        inTrace().some((s) => s.name === 'event-store append') && inTrace().some(isDatabaseSpan)
          ? true
          : undefined,
      );
      for (const s of inTrace())
        expect([s.name, s.attributes['iap.correlation_id']]).toEqual([s.name, correlationId]);

      const operation = inTrace().find((s) => s.name === 'mutation RegisterTracedArea');
      expect(operation?.attributes['graphql.operation.name']).toBe('RegisterTracedArea');
      expect(operation?.attributes['graphql.operation.type']).toBe('mutation');
      const append = inTrace().find((s) => s.name === 'event-store append')!;
      expect(append.attributes).toMatchObject({
        'iap.stream': 'area-E07000901',
        'iap.event_count': 1,
        'iap.event_types': ['AreaRegistered'],
        'iap.expected_revision': 'no_stream',
      });
      const queries = inTrace().filter(isDatabaseSpan);
      // The append's own statement is a child of the append span.
      expect(queries.some((q) => q.parentSpanId === append.spanId && q.name.startsWith('pg.query'))).toBe(
        true,
      );

      // The projections apply the event in batches of their own (new traces), naming the requests they serve.
      const batch = await waitFor('the areas projection batch', () =>
        receiver.spans.find(
          (s) =>
            s.name === 'projection batch' &&
            s.attributes['iap.projection'] === 'areas' &&
            (s.attributes['iap.correlation_ids'] as string[]).includes(correlationId),
        ),
      );
      expect(batch.parentSpanId).toBe('');
      expect(batch.traceId).not.toBe(request.traceId);
      expect(batch.attributes['iap.projection.events']).toBeGreaterThanOrEqual(1);
      await waitFor('the batch queries', () =>
        receiver.spans.some((s) => s.parentSpanId === batch.spanId && isDatabaseSpan(s)) ? true : undefined,
      );

      // Probes are not traced; the export was OTLP/HTTP JSON, as asked.
      expect((await fetch(`${server.url}/health/live`)).status).toBe(200);
      expect(receiver.contentTypes.every((t) => t.startsWith('application/json'))).toBe(true);
      expect((await recorder.loaded()).length).toBeGreaterThan(0);
      await stop(server);
      expect(receiver.spans.filter((s) => s.name.includes('/health'))).toEqual([]);
    } finally {
      await receiver.close();
    }
  }, 120_000);

  it('loads and starts nothing of OpenTelemetry without OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    const recorder = await importRecorder(await mkdtemp(path.join(dir, 'off-')));
    server = await startServer(build.main, { ...env, DATABASE_URL: db.url }, await freePort(), [
      ...recorder.args,
      '--import',
      tracingEntry,
    ]);
    expect(await registerArea(server.url, 'E07000902', 'untraced-request')).toEqual({
      data: { registerArea: { code: 'E07000902' } },
    });
    const output = server.output();
    await stop(server);
    expect(await recorder.loaded()).toEqual([]);
    expect(output).not.toMatch(/OTEL|OpenTelemetry|"context":"Tracing"/);
  }, 120_000);
});
