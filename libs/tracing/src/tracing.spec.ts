import { describe, expect, it } from '@jest/globals';
import { enterTracedRequest, flushTraces, traced, tracingStarted, tracingWanted } from './index.js';

describe('tracingWanted: which settings switch tracing on', () => {
  it('is off without an OTLP endpoint, whatever else is set', () => {
    expect(tracingWanted({})).toBe(false);
    expect(tracingWanted({ OTEL_SERVICE_NAME: 'iap', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })).toBe(false);
    expect(tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toBe(false);
  });

  it('is on with OTEL_EXPORTER_OTLP_ENDPOINT, or the traces-only endpoint', () => {
    expect(tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingWanted({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(
      true,
    );
  });

  it('is off when the standard variables say so, endpoint or not', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(tracingWanted({ ...endpoint, OTEL_SDK_DISABLED: 'true' })).toBe(false);
    expect(tracingWanted({ ...endpoint, OTEL_SDK_DISABLED: ' TRUE ' })).toBe(false);
    expect(tracingWanted({ ...endpoint, OTEL_SDK_DISABLED: 'false' })).toBe(true);
    expect(tracingWanted({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
    expect(tracingWanted({ ...endpoint, OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true);
  });
});

describe('with tracing off (no SDK started in this process)', () => {
  it('runs the work as it is, without computing span attributes', async () => {
    expect(tracingStarted()).toBe(false);
    let asked = 0;
    const attributes = () => {
      asked++;
      return { 'iap.stream': 'area-E06000008' };
    };
    await expect(traced('event-store append', attributes, async () => 42)).resolves.toBe(42);
    await expect(
      traced('event-store append', attributes, async () => {
        throw new RangeError('refused');
      }),
    ).rejects.toThrow(RangeError);
    expect(asked).toBe(0);
  });

  it('runs the rest of a request at once, and has nothing to flush', async () => {
    const calls: string[] = [];
    enterTracedRequest({ correlationId: 'c-1', method: 'GET', route: '/' }, () => calls.push('next'));
    expect(calls).toEqual(['next']);
    await expect(flushTraces()).resolves.toBeUndefined();
  });
});
