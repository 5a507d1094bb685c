/** autocannon, the load generator every HTTP bench drives (CommonJS, loaded on first use). */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** What the benches read of one autocannon run. */
export interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; p97_5: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  throughput: { total: number };
  duration: number;
}

/** Runs one load (autocannon's options) and resolves with its figures. */
export function autocannon(options: Record<string, unknown>): Promise<AutocannonResult> {
  return (require('autocannon') as (o: Record<string, unknown>) => Promise<AutocannonResult>)(options);
}
