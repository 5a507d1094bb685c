/**
 * Starts OpenTelemetry tracing: spans of HTTP requests, GraphQL operations and PostgreSQL queries (from the
 * official instrumentations), and of whatever the code wraps in `traced` (see index.ts), exported over OTLP/HTTP
 * to OTEL_EXPORTER_OTLP_ENDPOINT. Loaded on demand, only when tracing is wanted: import it dynamically.
 *
 * It must start before the instrumented packages load, so it runs from `node --import` (see
 * apps/server/src/tracing.ts). Everything instrumented here is CommonJS (pg, graphql, and node:http as fastify
 * requires it), which the instrumentations patch as it is required, also when an ES module imports it: no ES
 * module loader hook (import-in-the-middle) is registered, so the rest of the application loads as usual.
 *
 * The standard variables apply: OTEL_EXPORTER_OTLP_ENDPOINT / _TRACES_ENDPOINT, _HEADERS, _TIMEOUT, _COMPRESSION,
 * OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL (`http/protobuf`, the default, or `http/json`), OTEL_SERVICE_NAME,
 * OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER(_ARG) and OTEL_BSP_* (the batch span processor).
 */
import {
  type Attributes,
  type Context,
  DiagLogLevel,
  ROOT_CONTEXT,
  type Span,
  SpanStatusCode,
  context,
  createContextKey,
  diag,
  trace,
} from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import {
  defaultResource,
  detectResources,
  envDetector,
  hostDetector,
  processDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { CORRELATION_ID_ATTRIBUTE, type SpanSource, type TracedRequest, installSpanSource } from './index.js';

const CORRELATION_ID = createContextKey('iap.correlation_id');

export interface TracingOptions {
  /** The service's name unless OTEL_SERVICE_NAME (or service.name in OTEL_RESOURCE_ATTRIBUTES) says otherwise. */
  readonly serviceName: string;
  /** Incoming requests to leave untraced (health checks, metrics scrapes, static files), by path. */
  readonly ignorePath?: (path: string) => boolean;
  /** Where the SDK's own warnings and errors go (an export that failed, a bad setting). */
  readonly warn: (message: string) => void;
}

/** Starts tracing with the settings of `env`. Throws on a setting it cannot honour (the gRPC protocol). */
export async function startTracing(
  options: TracingOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const say = (...parts: unknown[]) => options.warn(parts.map(readable).join(' '));
  diag.setLogger(
    {
      error: say,
      warn: say,
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  const resource = defaultResource()
    .merge(resourceFromAttributes({ 'service.name': options.serviceName }))
    .merge(detectResources({ detectors: [hostDetector, processDetector, envDetector] }));
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: [new CorrelationIdProcessor(), new BatchSpanProcessor(await exporter(env))],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) =>
          options.ignorePath?.((request.url ?? '/').split('?')[0]) ?? false,
      }),
      // Resolvers that only read a property make no span; list items share one; argument values stay out.
      new GraphQLInstrumentation({ ignoreTrivialResolveSpans: true, mergeItems: true, allowValues: false }),
      // Only queries made for something traced: not the projections' polling, leases and notifications.
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  installSpanSource(spanSource(provider, options.warn));
}

/** The OTLP/HTTP exporter of the protocol asked for: protobuf by default, as the specification says. */
async function exporter(env: NodeJS.ProcessEnv): Promise<SpanExporter> {
  const protocol = (
    env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ||
    env.OTEL_EXPORTER_OTLP_PROTOCOL ||
    'http/protobuf'
  ).trim();
  if (protocol === 'http/protobuf') {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
    return new OTLPTraceExporter();
  }
  if (protocol === 'http/json') {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    return new OTLPTraceExporter();
  }
  throw new Error(
    `OTEL_EXPORTER_OTLP_PROTOCOL: "${protocol}" is not supported here; use http/protobuf (the default) or http/json`,
  );
}

/** Every span started in a request's context carries the request's correlation id. */
class CorrelationIdProcessor implements SpanProcessor {
  onStart(span: Span, parentContext: Context): void {
    const id = parentContext.getValue(CORRELATION_ID);
    if (typeof id === 'string') span.setAttribute(CORRELATION_ID_ATTRIBUTE, id);
  }
  onEnd(): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function spanSource(provider: NodeTracerProvider, warn: (message: string) => void): SpanSource {
  const tracer = provider.getTracer('iap');
  return {
    inSpan(name, attributes, work, root) {
      const parent = root ? ROOT_CONTEXT : context.active();
      // SpanAttributes are Attributes (read-only arrays of strings among them).
      return tracer.startActiveSpan(name, { attributes: attributes as Attributes }, parent, async (span) => {
        try {
          return await work();
        } catch (err) {
          span.recordException(err instanceof Error ? err : String(err));
          span.setStatus({
            code: SpanStatusCode.ERROR,
            message: describe(err),
          });
          throw err;
        } finally {
          span.end();
        }
      });
    },
    enterRequest(request: TracedRequest, next: () => void) {
      const span = trace.getActiveSpan();
      if (span) {
        span.setAttribute(CORRELATION_ID_ATTRIBUTE, request.correlationId);
        if (request.route) {
          span.setAttribute('http.route', request.route);
          span.updateName(`${request.method} ${request.route}`);
        }
      }
      context.with(context.active().setValue(CORRELATION_ID, request.correlationId), next);
    },
    // Never fails (a collector away must not stop the server from closing): says so instead.
    flush: () =>
      provider.forceFlush().catch((err: unknown) => warn(`Could not send the last spans: ${describe(err)}`)),
  };
}

function describe(err: unknown): string {
  if (Array.isArray(err)) return err.map(describe).join('; ');
  return err instanceof Error ? err.message : String(err);
}

/** The SDK reports a failed export as the error in JSON (with its stack): its message is enough. */
function readable(part: unknown): string {
  if (typeof part !== 'string' || !part.startsWith('{')) return describe(part);
  try {
    const parsed = JSON.parse(part) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : part;
  } catch {
    return part;
  }
}
