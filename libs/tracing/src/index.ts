/**
 * Tracing as the code uses it: spans around the work worth seeing in a trace, and each request's correlation id
 * carried to every span under it. It loads nothing: while tracing is off (no OTEL_EXPORTER_OTLP_ENDPOINT), every
 * function here runs the work as it is, and no OpenTelemetry package is in the process. `sdk.ts` (loaded on demand
 * by the server's `--import` entry, apps/server/src/tracing.ts) starts OpenTelemetry and installs the real spans.
 */

/** Attribute values as OpenTelemetry takes them. */
export type SpanAttributes = Record<string, string | number | boolean | readonly string[]>;

/** The attribute every span of a request carries: the request's correlation id (see create-app.ts). */
export const CORRELATION_ID_ATTRIBUTE = 'iap.correlation_id';

/** What `sdk.ts` installs when tracing starts. */
export interface SpanSource {
  /** Runs `work` in a new span (a child of the current one, or the root of a new trace with `root`). */
  inSpan<T>(name: string, attributes: SpanAttributes, work: () => Promise<T>, root: boolean): Promise<T>;
  /**
   * Runs the rest of an HTTP request (`next`) in a context carrying its correlation id, which every span started
   * under it then carries too, and names the request's own (HTTP server) span after its route.
   */
  enterRequest(request: TracedRequest, next: () => void): void;
  /** Sends the spans still held (before the process ends). */
  flush(): Promise<void>;
}

export interface TracedRequest {
  readonly correlationId: string;
  readonly method: string;
  /** The route's pattern (`/areas/:code`), when one matched. */
  readonly route?: string;
}

let source: SpanSource | null = null;

/** Called once by `sdk.ts` when tracing starts. */
export function installSpanSource(s: SpanSource): void {
  source = s;
}

/** Whether tracing was started in this process. */
export function tracingStarted(): boolean {
  return source !== null;
}

/**
 * Runs `work` in a span named `name` when tracing is on (an error it throws is recorded on the span and
 * rethrown), else just runs it. `attributes` may be a function, called only when tracing is on.
 */
export function traced<T>(
  name: string,
  attributes: SpanAttributes | (() => SpanAttributes),
  work: () => Promise<T>,
  options: { readonly root?: boolean } = {},
): Promise<T> {
  if (!source) return work();
  return source.inSpan(
    name,
    typeof attributes === 'function' ? attributes() : attributes,
    work,
    options.root ?? false,
  );
}

/** See SpanSource.enterRequest; with tracing off, `next()`. */
export function enterTracedRequest(request: TracedRequest, next: () => void): void {
  if (!source) return next();
  source.enterRequest(request, next);
}

/** Sends the spans still held; with tracing off, nothing. */
export async function flushTraces(): Promise<void> {
  await source?.flush();
}

/**
 * Whether these settings ask for traces: OTEL_EXPORTER_OTLP_ENDPOINT (or the traces-only
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) set, and neither OTEL_SDK_DISABLED=true nor OTEL_TRACES_EXPORTER=none.
 */
export function tracingWanted(env: NodeJS.ProcessEnv): boolean {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return false;
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  return env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() !== 'none';
}
